"""The OCR cache: one JSON file per OCR'd page, keyed by everything that can change the reading.

Key: file hash, page number, the OCR settings the page is read with (``OcrSettings`` whole: the resolution the page
is actually read at, whether chosen or taken from the scan; deskew, psm, language, ``OcrTuning`` and
``MarkerSettings``), what a reading holds of the active series' description (``marks.SeriesMarks.key``: the words
written for a check and a cross, and the series' marker glyphs; the rest of the description changes no reading), the
Tesseract version, and a digest of the code and data that produce a reading (``ocr_code_digest``: every module of
``extract/ocr``, ``extract/read`` and ``extract/core`` at any depth, but ``core/stages.py``, the settings of the
stages after OCR; and the marker classifier's glyph set). Nothing is bumped by hand: a change to any of that code
re-reads the pages, while a change to the layout, alignment or any later stage (their code or their settings) leaves
the readings in place. A second run over unchanged files does no OCR.
Files are written atomically (temporary file + rename), so parallel workers and interrupted runs never leave a
broken entry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from extract.core.digest import file_digest, tree_digest
from extract.core.enums import Method
from extract.core.records import Page, Rule, Word
from extract.ocr.glyphs import MODEL_FILE
from extract.ocr.marks import series_marks

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parents[1]  # the ``extract`` folder
OCR_CODE = ("core", "read", "ocr")  # the sub-packages whose code produces an OCR reading
NOT_OCR_CODE = ("core/stages.py",)  # ... but for the settings of the stages after OCR (relative to the package)


def code_digest_of(package: Path, model: Path) -> str:
    """The digest of the code and data that produce an OCR reading: OCR_CODE's modules under ``package`` (at any
    depth, NOT_OCR_CODE left out) and the glyph model file ``model``."""
    parts = [f"{sub}:{tree_digest(package / sub, ('*.py',), _within(sub))}" for sub in OCR_CODE]
    return hashlib.sha256("|".join(parts + [f"model:{file_digest(model)}"]).encode()).hexdigest()[:16]


def _within(sub: str) -> tuple[str, ...]:
    return tuple(p.split("/", 1)[1] for p in NOT_OCR_CODE if p.startswith(f"{sub}/"))


@lru_cache(maxsize=1)
def ocr_code_digest() -> str:
    """``code_digest_of`` this package and its glyph model (once a process)."""
    return code_digest_of(PACKAGE, MODEL_FILE)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stj-extract"


class OcrCache:
    def __init__(self, folder: Path, tesseract: str):
        self.folder = Path(folder)
        self.tesseract = tesseract

    def key(self, sha256: str, page: int, settings) -> str:
        """``settings`` as the page is read: its dpi resolved (``OcrSettings.for_page``), never 'auto'; the page is
        read for the active series (``series()``: a reading under one series' markers is not another's)."""
        settings.resolved  # noqa: B018 - raises for dpi='auto': a key is for the resolution actually read at
        parts = [sha256, str(page), repr(settings), series_marks().key, self.tesseract, ocr_code_digest()]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Page | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring a broken OCR cache entry %s (%s)", path, exc)
            return None
        return Page(number=data["number"], width=data["width"], height=data["height"], method=Method.ocr,
                    words=[Word(**w) for w in data["words"]], rules=[Rule(**r) for r in data["rules"]],
                    skew=data.get("skew", 0.0), turns=data.get("turns", 0))

    def put(self, key: str, page: Page) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"number": page.number, "width": page.width, "height": page.height, "skew": page.skew,
                "turns": page.turns,
                "words": [asdict(w) for w in page.words], "rules": [asdict(r) for r in page.rules]}
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False)
        os.replace(temp, path)
