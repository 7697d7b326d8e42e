"""The results cache: one JSON file per finished document, so an unchanged document is never extracted twice.

Key: the file's sha256, the run settings as given (``RunOptions`` with every stage's settings, without its cache
folder and switch: OCR dpi 'auto' stays 'auto'; the series description by the digest of its content and its
framework's, not by its path), the Tesseract version, ``extract.__version__`` and a digest (``code_digest``) of every
file of the package at any depth, of every file of the model assets (``models/``) and of the versions of the
libraries that read the PDFs. A new release, any change of code, model, data or settings, or other bytes therefore
never serve a stale result; nothing is bumped by hand.

Entries live in ``<cache_dir>/results/`` beside the OCR cache. They are JSON (the dataclass records tagged with
their type; only ``extract`` records are rebuilt, so an entry can never run code), written atomically (temporary
file + rename): parallel workers and interrupted runs never leave a half-written entry, and every document is stored
as soon as it is finished, so a run that is interrupted and started again only extracts the unfinished ones.
A broken or unreadable entry is ignored with a warning and the document extracted again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import lru_cache
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.core.digest import tree_digest
from extract.core.errors import StjError
from extract.core.records import DocumentResult
from extract.ocr.tesseract import tesseract_version
from extract.series.assets import MODELS_DIR
from extract.series.description import digest_of

if TYPE_CHECKING:
    from extract.core.settings import RunOptions

log = logging.getLogger(__name__)

SUBFOLDER = "results"
FORMAT = 2  # the layout of an entry; bump when it changes (2: enum members tagged, problems as records)
NOT_SETTINGS = frozenset({"cache_dir", "use_results_cache"})  # RunOptions fields that cannot change a result
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pytesseract", "opencv-python-headless", "numpy", "spacy")
TYPE_TAG, TUPLE_TAG, ENUM_TAG = "@type", "@tuple", "@enum"


# ---------------------------------------------------------------- key


PACKAGE = Path(__file__).resolve().parents[1]  # the ``extract`` folder


def code_digest_of(package: Path, models: Path) -> str:
    """Digest of every file under ``package`` and under ``models`` (any depth; compiled modules aside) and of the
    reading libraries' versions."""
    parts = [f"extract:{tree_digest(package)}", f"models:{tree_digest(models)}"]
    parts += [f"{library}={_library_version(library)}" for library in LIBRARIES]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """``code_digest_of`` this package and its model assets (once a process)."""
    return code_digest_of(PACKAGE, MODELS_DIR)


def _library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def package_version() -> str:
    """``extract.__version__``, read at each call (a test may replace it)."""
    return import_module("extract").__version__


def settings_fingerprint(options: RunOptions) -> str:
    """The run settings a result depends on, as given, and the Tesseract version (scans are read with it)."""
    settings = {f.name: repr(getattr(options, f.name)) for f in fields(options) if f.name not in NOT_SETTINGS}
    settings["series_file"] = f"series {digest_of(options.series_file)}"  # the description's content, not its path
    try:
        tesseract = tesseract_version()
    except StjError:
        tesseract = "unavailable"
    return json.dumps(settings, sort_keys=True) + f"|tesseract {tesseract}"


# ---------------------------------------------------------------- encoding


def encode(value: Any) -> Any:
    """A record (nested dataclasses, lists, tuples, dicts, enum members, scalars) as JSON-ready data, dataclasses
    and enum members tagged."""
    if is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        data = {f.name: encode(getattr(value, f.name)) for f in fields(value) if f.init}
        return {TYPE_TAG: f"{cls.__module__}:{cls.__qualname__}", **data}
    if isinstance(value, Enum):  # a StrEnum member is a str too: tagged, so that it comes back a member
        cls = type(value)
        return {ENUM_TAG: f"{cls.__module__}:{cls.__qualname__}", "value": value.value}
    if isinstance(value, tuple):
        return {TUPLE_TAG: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only dicts with string keys can be cached")
        return {k: encode(v) for k, v in value.items()}
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"a {type(value).__name__} cannot be cached")


def decode(data: Any) -> Any:
    """The inverse of ``encode``. Only dataclasses of this package are rebuilt; anything else is an error."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if TUPLE_TAG in data:
        return tuple(decode(v) for v in data[TUPLE_TAG])
    if ENUM_TAG in data:
        return _enum_class(data[ENUM_TAG])(data["value"])
    if TYPE_TAG in data:
        cls = _record_class(data[TYPE_TAG])
        return cls(**{k: decode(v) for k, v in data.items() if k != TYPE_TAG})
    return {k: decode(v) for k, v in data.items()}


def _record_class(tag: str) -> type:
    cls = _package_class(tag)
    if not is_dataclass(cls):
        raise ValueError(f"{tag!r} is not a record class")
    return cls


def _enum_class(tag: str) -> type[Enum]:
    cls = _package_class(tag)
    if not issubclass(cls, Enum):
        raise ValueError(f"{tag!r} is not an enum")
    return cls


def _package_class(tag: str) -> type:
    module, _, name = tag.partition(":")
    if not module.startswith("extract."):
        raise ValueError(f"{tag!r} is not a record of this package")
    cls = getattr(import_module(module), name)
    if not isinstance(cls, type):
        raise ValueError(f"{tag!r} is not a class")
    return cls


# ---------------------------------------------------------------- the cache


class ResultsCache:
    """Finished ``DocumentResult``s in ``<cache_dir>/results``, keyed by file hash, settings, version and code."""

    def __init__(self, cache_dir: Path, settings: str):
        self.folder = Path(cache_dir) / SUBFOLDER
        self.settings = settings

    def key(self, sha256: str) -> str:
        parts = [sha256, self.settings, package_version(), code_digest(), str(FORMAT)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def path(self, sha256: str) -> Path:
        key = self.key(sha256)
        return self.folder / key[:2] / f"{key}.json"

    def has(self, sha256: str) -> bool:
        """Whether an entry exists (cheap: not read, so a broken one still counts)."""
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> DocumentResult | None:
        """The stored result of the file with this hash, or None (absent, or broken: then with a warning)."""
        path = self.path(sha256)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            result = decode(data["result"])
            if data.get("sha256") != sha256 or not isinstance(result, DocumentResult) or result.sha256 != sha256:
                raise ValueError("the entry is not this file's result")
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with an entry, the document is extracted again
            log.warning("ignoring a broken results cache entry %s (%s: %s)", path, type(exc).__name__, exc)
            return None
        return result

    def put(self, sha256: str, result: DocumentResult) -> None:
        """Store a result atomically. A cache that cannot be written costs a warning, never the document."""
        path = self.path(sha256)
        try:
            text = json.dumps({"format": FORMAT, "sha256": sha256, "result": encode(result)}, ensure_ascii=False,
                              separators=(",", ":"))
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, TypeError, ValueError) as exc:
            log.warning("could not store the results of %s in the cache %s (%s)", result.source_file, self.folder,
                        exc)
