"""Writing output folders so that a crash or Ctrl-C never leaves a half-written one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(staging: Path, target: Path) -> None:
    """Put the complete folder ``staging`` in the place of ``target`` (renames only; the old one is removed last)."""
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)
