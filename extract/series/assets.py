"""Where the model assets and the series data live: the installed package data ``extract.models`` (the repository's
``models/`` folder, mapped into the package by pyproject.toml), found with ``importlib.resources``; the environment
variable ``STJ_MODELS_DIR`` overrides it with another folder of the same files."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def models_dir() -> Path:
    """The folder of the assets: ``$STJ_MODELS_DIR`` when set, else the installed package data."""
    override = os.environ.get("STJ_MODELS_DIR")
    if override:
        return Path(override)
    return Path(str(resources.files("extract.models")))  # an installed package is a folder, never a zip


MODELS_DIR = models_dir()
