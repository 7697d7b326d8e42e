"""A Datasette plugin (``render_cell``): each finding links to its page crop and to its page in the source PDF.

``stj serve`` copies this file into ``OUT/serve/plugins/`` and starts Datasette with that folder as its plugins
directory (``datasette publish`` / ``package`` take the same ``--plugins-dir``). It imports nothing of stj-extract:
a published copy runs without it. The crops are served as static files under ``/crops/<finding_id>.jpg`` and the
source PDFs under ``/pdf/<doc_id>.pdf`` (``--static``); a link is drawn only when its file is there.

Where the links are drawn:
- the ``page`` cell of the ``findings`` table and of a finding's row page: the page number, then "crop" and "PDF"
  (the PDF opened at that page, ``#page=N``);
- any column named ``crop_url`` or ``pdf_url`` (the canned query ``findings_with_links`` selects them): the value,
  a path under the mounts, as a link.

On a table's page the column descriptions are folded under one line. It also refuses every request that could
write (``asgi_wrapper``: anything but GET, HEAD and OPTIONS gets 405), and keeps Datasette's error pages working
beside rich 14 (see ``_error_pages``).
"""

from __future__ import annotations

import os

import datasette.plugins  # noqa: F401 - first: it registers Datasette's own hooks whole, the error page's among them
import markupsafe
from datasette import handle_exception as _error_pages
from datasette import hookimpl

# Datasette 0.65's error page prints the traceback with rich when rich is installed, outside an except block, which
# rich 14 refuses: every 400, 403 and 404 became a 500. Its page is kept, without the print.
_error_pages.rich = None

CROPS = "crops"  # the static mount of the crops: /crops/<finding_id>.jpg
PDFS = "pdf"  # the static mount of the source PDFs: /pdf/<doc_id>.pdf
CROP_SUFFIX = ".jpg"
LINK_COLUMNS = {"crop_url": "crop", "pdf_url": "PDF"}
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _mounted(datasette, mount: str, name: str) -> bool:
    """Whether ``name`` is a file under the static mount ``mount``."""
    for prefix, folder in datasette.static_mounts:
        if prefix == mount:
            return os.path.isfile(os.path.join(folder, name))
    return False


def _link(datasette, path: str, text: str, css: str) -> str:
    href = markupsafe.escape(datasette.urls.path(path))
    return f'<a class="{css}" href="{href}">{markupsafe.escape(text)}</a>'


def page_links(datasette, finding_id: str, doc_id: str, page) -> markupsafe.Markup:
    """The page number, a link to the finding's crop and one to the page in the source PDF (those whose files are
    served)."""
    parts = [str(markupsafe.escape(page))]
    crop = f"{finding_id}{CROP_SUFFIX}"
    if _mounted(datasette, CROPS, crop):
        parts.append(_link(datasette, f"/{CROPS}/{crop}", "crop", "stj-crop"))
    if _mounted(datasette, PDFS, f"{doc_id}.pdf"):
        parts.append(_link(datasette, f"/{PDFS}/{doc_id}.pdf#page={page}", "PDF", "stj-pdf"))
    return markupsafe.Markup(" ".join(parts))


def _raw(value):
    """A cell's value: a foreign key the table page expanded is {"value": ..., "label": ...}."""
    return value.get("value") if isinstance(value, dict) else value


@hookimpl
def asgi_wrapper(datasette):
    """Every request that is not a GET, HEAD or OPTIONS is refused (405): the server is read-only whatever a page
    or plugin offers (the database is immutable as well, and Datasette runs no SQL but SELECT)."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                body = b"405: this dataset is served read-only"
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"allow", ", ".join(READ_METHODS).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)

        return read_only

    return wrap


# a table's column descriptions folded under one line (the findings table has 39 columns: the rows would be a long
# scroll away), and each column header's description as its tooltip
FOLD_DESCRIPTIONS = """
document.querySelectorAll('dl.column-descriptions').forEach(list => {
  const fold = document.createElement('details'), line = document.createElement('summary');
  fold.className = 'stj-column-descriptions';
  line.textContent = 'What the ' + list.querySelectorAll('dt').length + ' columns hold';
  list.replaceWith(fold);
  fold.append(line, list);
});
document.querySelectorAll('th[data-column-description]').forEach(th => { th.title = th.dataset.columnDescription; });
"""


@hookimpl
def extra_body_script(view_name):
    return FOLD_DESCRIPTIONS if view_name == "table" else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table == "findings" and column == "page" and value is not None:
        keys = row.keys()
        if "finding_id" in keys and "doc_id" in keys:
            return page_links(datasette, _raw(row["finding_id"]), _raw(row["doc_id"]), value)
    if table is None and column in LINK_COLUMNS and isinstance(value, str) and value.startswith("/"):
        mount, _, name = value.lstrip("/").partition("/")
        if mount in (CROPS, PDFS) and _mounted(datasette, mount, name.split("#")[0]):
            css = "stj-crop" if mount == CROPS else "stj-pdf"
            return markupsafe.Markup(_link(datasette, value, LINK_COLUMNS[column], css))
    return None
