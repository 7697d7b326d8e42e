"""``stj serve OUT``: the dataset browsable in Datasette, read-only, each finding linked to its page.

``prepare(out)`` writes ``OUT/serve/``: ``crops/<finding_id>.jpg`` (the finding's page region with its box, its
marker's box and its column header drawn, by ``stj audit``'s renderer: ``audit_images.render_document``),
``pdf/<doc_id>.pdf`` (the source PDFs, hard-linked or copied: Datasette serves no file through a link that leads out of its folder; a file
whose SHA-256 is no longer the run's is left out, its pages would not be the rows'), ``plugins/`` (the plugin that
draws the links, ``serve_links``) and ``stamp.json``. It is built again only when the dataset changed (a new run),
into a staging folder swapped in whole. ``datasette(out, prepared)`` is Datasette over the SQLite file of the
folder's current version, opened immutable (no write reaches it; Datasette 0.65 runs no SQL but SELECT, and no canned
query writes), with the metadata of ``serve_metadata``, the crops under ``/crops/`` and the PDFs under ``/pdf/``;
``serve_folder`` prepares and serves until Ctrl-C.
``write_metadata(out)`` writes ``OUT/metadata.json`` for ``datasette publish`` / ``datasette package``.

Datasette, uvicorn and the renderer are imported here only, so that the ``stj`` command starts without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from extract.analysis import serve_links
from extract.analysis.audit_images import HEADER_COLUMNS, DocumentJob, card_image, render_document
from extract.analysis.serve_metadata import ServeError, metadata, read_package
from extract.core.files import swap_in
from extract.output.dataset import SQLITE_FILE

SERVE_DIR = "serve"
STAMP = "stamp.json"
METADATA_FILE = "metadata.json"
PLUGIN_FILE = "stj_links.py"
BOX_COLUMNS = ("finding_id", "doc_id", "page", "x0", "top", "x1", "bottom", "marker_x0", "marker_top", "marker_x1",
               "marker_bottom")


@dataclass
class Prepared:
    """What ``prepare`` made: the database to serve, the folders to mount, and what it could not do."""

    database: Path
    folder: Path
    crops: int = 0
    pdfs: int = 0
    reused: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def static_mounts(self) -> list[tuple[str, str]]:
        return [(serve_links.CROPS, str(self.folder / serve_links.CROPS)),
                (serve_links.PDFS, str(self.folder / serve_links.PDFS))]

    @property
    def plugins_dir(self) -> Path:
        return self.folder / "plugins"


def database_of(out: Path) -> Path:
    """The SQLite file of the folder's current version (its link resolved, so that the server keeps serving the
    version its crops were made for when a new run is published meanwhile)."""
    path = out / SQLITE_FILE
    if not path.exists():
        raise ServeError(f"{out} holds no {SQLITE_FILE}: run `stj run ... --out {out}` first")
    return path.resolve()


def _stamp(database: Path) -> dict:
    status = database.stat()
    return {"database": str(database), "size": status.st_size, "mtime_ns": status.st_mtime_ns}


def _read_only(database: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"{database.as_uri()}?immutable=1", uri=True)
    db.row_factory = sqlite3.Row
    return db


def prepare(out: Path, progress: Callable[[int, int], None] | None = None, folder: Path | None = None) -> Prepared:
    """``OUT/serve/`` (or ``folder``) for the folder's current dataset: reused when it was made for it, else made
    again. Raises OSError when it cannot be written."""
    database = database_of(out)
    folder = folder or out / SERVE_DIR
    stamp = _stamp(database)
    try:
        previous = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    if previous is not None and previous.get("stamp") == stamp:
        made = Prepared(database, folder, previous.get("crops", 0), previous.get("pdfs", 0), True,
                        previous.get("notes", []))
        _write_plugin(made.plugins_dir)
        return made
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".stj-serve-", dir=folder.parent))
    try:
        made = Prepared(database, staging)
        with _read_only(database) as db:
            documents = {row["doc_id"]: row for row in db.execute("SELECT doc_id, source_file, path, sha256 FROM "
                                                                   "documents")}
            present = {row["name"] for row in db.execute("PRAGMA table_info(findings)")}
            columns = [c for c in (*BOX_COLUMNS, *HEADER_COLUMNS) if c in present]  # older runs: no header box
            rows = db.execute(f"SELECT {', '.join(columns)} FROM findings ORDER BY doc_id, page").fetchall()
        findings = [SimpleNamespace(**{k: "" if v is None else v for k, v in dict(row).items()}) for row in rows]
        made.pdfs = _link_pdfs(documents, {f.doc_id for f in findings}, staging / serve_links.PDFS, made.notes)
        made.crops = _render_crops(findings, staging / serve_links.PDFS, staging / serve_links.CROPS, progress)
        _write_plugin(made.plugins_dir)
        (staging / STAMP).write_text(json.dumps({"stamp": stamp, "crops": made.crops, "pdfs": made.pdfs,
                                                 "notes": made.notes}, indent=1), encoding="utf-8")
        swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    made.folder = folder
    return made


def _write_plugin(folder: Path) -> None:
    """The link plugin (``serve_links``) as ``folder/stj_links.py``, this version's."""
    text = Path(serve_links.__file__).read_bytes()
    target = folder / PLUGIN_FILE
    if not target.exists() or target.read_bytes() != text:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text)


def _source(row, out_of_date: list[str]) -> Path | None:
    """The document's PDF when it is still the file the run read (same SHA-256), else None (and a note)."""
    path = Path(row["path"] or "")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        out_of_date.append(f"{row['source_file']}: not found at {path}; its findings have no crop and no PDF link")
        return None
    if row["sha256"] and digest != row["sha256"]:
        out_of_date.append(f"{row['source_file']}: {path} changed since the run; its findings have no crop and no "
                           "PDF link")
        return None
    return path


def _link_pdfs(documents: dict, wanted: set[str], folder: Path, notes: list[str]) -> int:
    """``folder/<doc_id>.pdf`` for each document with findings: a hard link, or a copy across file systems."""
    folder.mkdir(parents=True)
    count = 0
    for doc_id in sorted(wanted & set(documents)):
        source = _source(documents[doc_id], notes)
        if source is None:
            continue
        target = folder / f"{doc_id}.pdf"
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        count += 1
    return count


def _render_crops(findings: list, pdfs: Path, folder: Path, progress: Callable[[int, int], None] | None) -> int:
    """``folder/<finding_id>.jpg`` for each finding whose PDF is in ``pdfs`` (the run's very file) and whose page
    renders: the audit's crops (``audit_images.render_document``: each page rendered once and let go, the column
    header strip included), made in a scratch folder and moved here."""
    folder.mkdir(parents=True)
    jobs: dict[str, DocumentJob] = {}
    scratch = Path(tempfile.mkdtemp(prefix=".images-", dir=folder.parent))
    try:
        (scratch / "img" / "pages").mkdir(parents=True)
        for finding in findings:
            source = pdfs / f"{finding.doc_id}.pdf"
            if finding.page and finding.x0 != "" and source.is_file():
                jobs.setdefault(finding.doc_id, DocumentJob(finding.doc_id, str(source), str(scratch))
                                ).cards.append(card_image(finding))
        count, done, total = 0, 0, sum(len(job.cards) for job in jobs.values())
        for job in jobs.values():
            for finding_id, made in render_document(job).cards.items():
                (scratch / made["image"]).replace(folder / f"{finding_id}{serve_links.CROP_SUFFIX}")
                count += 1
            done += len(job.cards)
            if progress is not None:
                progress(done, total)
        return count
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def datasette_metadata(out: Path) -> dict:
    """The metadata Datasette is given for ``out`` (from its datapackage.json)."""
    return metadata(read_package(out))


def write_metadata(out: Path) -> Path:
    """Write ``OUT/metadata.json`` (for ``datasette publish`` / ``datasette package``); returns its path."""
    path = out / METADATA_FILE
    path.write_text(json.dumps(datasette_metadata(out), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def publish_hint(out: Path) -> str:
    """The ``datasette package`` command that serves the folder as ``stj serve`` does (crops, PDFs, links)."""
    folder = out / SERVE_DIR
    return (f"datasette package {out / SQLITE_FILE} --metadata {out / METADATA_FILE} "
            f"--static {serve_links.CROPS}:{folder / serve_links.CROPS} "
            f"--static {serve_links.PDFS}:{folder / serve_links.PDFS} --plugins-dir {folder / 'plugins'}")


def datasette(out: Path, prepared: Prepared):
    """The Datasette instance over the prepared folder: the database immutable, the metadata, mounts and plugin."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(prepared.database)], metadata=datasette_metadata(out),
                     static_mounts=prepared.static_mounts, plugins_dir=str(prepared.plugins_dir),
                     settings={"allow_download": True})


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: a free port); a ServeError that names the port when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another --port") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve_folder(out: Path, sock: socket.socket, say: Callable[[str], None],
                 ready: Callable[[str, Prepared], None] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
    """Prepare ``OUT/serve`` (in a temporary folder when OUT cannot be written), then serve the folder on ``sock``
    until Ctrl-C (or a SIGTERM the caller turned into one). ``say``: a line about what could not be done;
    ``ready``: called with the address once the server listens."""
    with tempfile.TemporaryDirectory(prefix="stj-serve-") as temporary:
        try:
            try:
                prepared = prepare(out, progress)
            except OSError as exc:
                say(f"cannot write {out / SERVE_DIR} ({exc.strerror or exc}); the crops are made in a temporary "
                    "folder, removed when the server stops")
                prepared = prepare(out, progress, Path(temporary) / SERVE_DIR)
            for note in prepared.notes:
                say(note)
            run_server(datasette(out, prepared), sock,
                       None if ready is None else lambda: ready(url_of(sock), prepared))
        except KeyboardInterrupt:
            pass
        finally:
            sock.close()


def run_server(app_source, sock: socket.socket, started: Callable[[], None] | None = None) -> None:
    """Serve ``app_source`` (a Datasette) on ``sock`` until Ctrl-C or SIGTERM (uvicorn shuts down gracefully and
    raises the signal again: KeyboardInterrupt for Ctrl-C)."""
    import asyncio

    import uvicorn

    asyncio.run(app_source.invoke_startup())
    config = uvicorn.Config(app_source.app(), log_config=None, log_level="info", lifespan="on")
    server = uvicorn.Server(config)
    if started is not None:
        started()
    server.run(sockets=[sock])
