"""Digests of files and folder trees, for the caches' keys: a cache entry is served again only while the code and
data that made it are byte for byte the same (no hand-bumped versions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

SKIPPED = frozenset({"__pycache__"})  # folders whose files are derived from others (compiled modules)


def tree_files(root: Path, patterns: tuple[str, ...] = ("*",), exclude: tuple[str, ...] = ()) -> list[Path]:
    """The files under ``root``, in every sub-folder, whose name matches one of ``patterns``, sorted by their path
    relative to ``root``; not those under SKIPPED folders nor those whose relative path (``a/b.py``) is in
    ``exclude``."""
    if not root.is_dir():
        return []
    found = {p for pattern in patterns for p in root.rglob(pattern) if p.is_file()}
    return sorted((p for p in found if not SKIPPED.intersection(p.relative_to(root).parts)
                   and p.relative_to(root).as_posix() not in exclude), key=lambda p: p.relative_to(root).as_posix())


def tree_digest(root: Path, patterns: tuple[str, ...] = ("*",), exclude: tuple[str, ...] = ()) -> str:
    """A digest of the files ``tree_files`` finds: their relative paths and their bytes. Any change of a file, a
    file added, removed or renamed, at any depth, changes it; a missing folder has the digest of an empty one."""
    digest = hashlib.sha256()
    for path in tree_files(Path(root), patterns, exclude):
        digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    """A digest of one file's bytes ('missing' when there is no such file)."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "missing"
