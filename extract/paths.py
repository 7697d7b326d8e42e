"""Where the project's model assets live."""

from __future__ import annotations

import os
from pathlib import Path

MODELS_DIR = Path(os.environ.get("STJ_MODELS_DIR", Path(__file__).resolve().parent.parent / "models"))
