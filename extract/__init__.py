"""stj-extract: the findings of Samenwerkend Toezicht Jeugd factsheets as a dataset (see README.md)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stj-extract")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0.1.0"  # keep equal to the version in pyproject.toml
