"""The OCR cache: one JSON file per OCR'd page, keyed by everything that changes the result.

Key: file hash, page number, render settings (the resolution the page is actually read at, whether it was chosen
or taken from the scan; deskew, psm), Tesseract version and language, the version of our own OCR code
(``OCR_CODE_VERSION``, which covers the automatic resolution policy) and the digest of the marker classifier's glyph
set. A second run over unchanged files therefore does no OCR. Files are
written atomically (temporary file + rename), so parallel workers and interrupted runs never leave a broken entry.
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

from extract.core.enums import Method
from extract.core.records import Page, Rule, Word
from extract.ocr.glyphs import MODEL_FILE

log = logging.getLogger(__name__)

OCR_CODE_VERSION = "12"


@lru_cache(maxsize=1)
def model_digest() -> str:
    """The marker classifier's glyph set takes part in the key: a new model re-reads the markers."""
    return hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()[:16]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stj-extract"


class OcrCache:
    def __init__(self, folder: Path, tesseract: str):
        self.folder = Path(folder)
        self.tesseract = tesseract

    def key(self, sha256: str, page: int, settings) -> str:
        """``settings`` as the page is read: its dpi resolved (``OcrSettings.for_page``), never 'auto'."""
        parts = [sha256, str(page), str(settings.resolved), str(settings.deskew), str(settings.psm), settings.lang,
                 self.tesseract, OCR_CODE_VERSION, model_digest()]
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
