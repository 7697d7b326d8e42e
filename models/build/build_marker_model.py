"""Rebuild models/marker_glyphs.npz, the rendered glyph set of the pixel marker classifier.

Usage: .venv/bin/python models/build_marker_model.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extract.ocr.glyphs import MODEL_FILE, save_model  # noqa: E402

if __name__ == "__main__":
    count = save_model()
    print(f"wrote {count} glyphs to {MODEL_FILE}")
