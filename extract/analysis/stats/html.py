"""HTML for the statistics pages: sortable tables (a small inline script; each column header is a button, so the
keyboard sorts as well as the mouse, and the sorted column carries ``aria-sort``), figures with their alt texts, and
the page frame. Verdicts show a glyph beside their word and a colour, never the colour alone; an empty rate shows
"not assessed".
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from extract.analysis.stats.cells import CAVEAT, FAIL, NOT_ASSESSED, NOT_LISTED, PASS
from extract.analysis.stats.plots import CHANGE_STYLE, STATE_STYLE

STATE_CLASS = {PASS: "st-pass", CAVEAT: "st-caveat", FAIL: "st-fail", NOT_ASSESSED: "st-none", NOT_LISTED: "st-none"}
STATE_ORDER = {PASS: 0, CAVEAT: 1, FAIL: 2, NOT_ASSESSED: 3, NOT_LISTED: 4}
CHANGE_CLASS = {"resolved": "st-pass", "persists": "st-fail", "regressed": "st-regressed", "maintained": "st-none"}

STYLE = f"""
body{{font-family:system-ui,sans-serif;max-width:1250px;margin:20px auto;padding:0 12px;color:#1d2330;line-height:1.45}}
img{{max-width:100%;border:1px solid #dde;background:#fff}} section{{margin-bottom:36px}}
figure{{margin:12px 0}} figcaption{{font-size:.92em;color:#333}}
table{{border-collapse:collapse;margin:10px 0;font-size:.88em}} caption{{text-align:left;font-weight:600;padding:4px 0}}
th,td{{border:1px solid #ccd;padding:3px 6px;vertical-align:top}} thead th{{background:#eef1f6}}
td.num{{text-align:right;font-variant-numeric:tabular-nums}}
button.sort{{font:inherit;font-weight:600;background:none;border:0;padding:2px;cursor:pointer;color:inherit;
text-align:left}}
button.sort:focus-visible{{outline:3px solid #0072B2;outline-offset:1px}}
th[aria-sort=ascending] .arrow::after{{content:" ▲"}} th[aria-sort=descending] .arrow::after{{content:" ▼"}}
.st-pass{{background:{STATE_STYLE[PASS][0]}40}} .st-caveat{{background:{STATE_STYLE[CAVEAT][0]}70}}
.st-fail{{background:{STATE_STYLE[FAIL][0]}55}} .st-none{{background:#f4f4f4;color:#555}}
.st-regressed{{background:{CHANGE_STYLE["regressed"][0]}40}}
.glyph{{font-weight:700;display:inline-block;min-width:1em}}
.sr-only{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}}
.scroll{{overflow-x:auto;position:relative}} .note{{color:#444;font-size:.92em}} nav li{{margin:2px 0}}
"""

SCRIPT = """
(function () {
  function value(cell) {
    var v = cell.getAttribute('data-sort');
    return v === null ? cell.textContent.trim() : v;
  }
  var number = /^-?\\d+(\\.\\d+)?$/;
  function compare(a, b) {
    if (number.test(a) && number.test(b)) return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, 'nl', {numeric: true, sensitivity: 'base'});
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('thead button.sort').forEach(function (button) {
      button.addEventListener('click', function () {
        var th = button.closest('th');
        var col = Array.prototype.indexOf.call(th.parentElement.children, th);
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        table.querySelectorAll('thead th[aria-sort]').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = value(r1.cells[col]), b = value(r2.cells[col]);
          if (a === '' || b === '') return (a === '') - (b === '');  // nothing to sort by: last either way
          var c = compare(a, b);
          return dir === 'ascending' ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        var status = document.getElementById('sort-status');
        if (status) status.textContent = (table.caption ? table.caption.textContent + ': ' : '') + 'sorted by ' +
          button.textContent.trim() + ', ' + dir;
      });
    });
  });
})();
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def state_cell(text: str, compact: bool = False) -> str:
    """A verdict or change as a table cell: its glyph, its word (hidden in a compact grid, kept for screen readers
    and the tooltip) and its colour."""
    state = str(text).split(" (")[0]
    if state in STATE_STYLE:
        glyph, css, order = STATE_STYLE[state][1], STATE_CLASS[state], STATE_ORDER[state]
    elif state in CHANGE_STYLE:
        glyph, css, order = CHANGE_STYLE[state][2], CHANGE_CLASS.get(state, "st-none"), list(CHANGE_STYLE).index(state)
    else:
        return f"<td>{esc(text)}</td>"
    word = f"<span class='sr-only'>{esc(text)}</span>" if compact else f" {esc(text)}"
    return (f"<td class='{css}' data-sort='{order}' title='{esc(text)}'><span class='glyph' aria-hidden='true'>"
            f"{glyph}</span>{word}</td>")


def _cell(column: str, value, states: set[str], compact: bool) -> str:
    if column in states and not _missing(value) and str(value):
        return state_cell(str(value), compact)
    if column.endswith("_rate"):
        if _missing(value) or str(value) == "":
            return f"<td class='num st-none' data-sort=''>{NOT_ASSESSED}</td>"
        return f"<td class='num' data-sort='{float(value):.6f}'>{float(value) * 100:.0f}%</td>"
    if _missing(value):
        return "<td data-sort=''></td>"
    if isinstance(value, (bool, np.bool_)):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, float, np.integer, np.floating)):
        shown = f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)
        return f"<td class='num' data-sort='{shown}'>{shown}</td>"
    return f"<td>{esc(value)}</td>"


def sortable(frame: pd.DataFrame, caption: str, table_id: str, labels: dict[str, str] | None = None,
             states: set[str] = frozenset(), compact: bool = False, links: dict[str, dict[str, str]] | None = None
             ) -> str:
    """``frame`` as a sortable table. ``states``: the columns that hold verdicts or changes (glyph cells);
    ``links``: column → {value: href}."""
    labels, links = labels or {}, links or {}
    head = "".join(f"<th scope='col' aria-sort='none'><button type='button' class='sort'>{esc(labels.get(c, c))}"
                   f"<span class='arrow' aria-hidden='true'></span></button></th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            if column in links and str(value) in links[column]:
                cells.append(f"<td><a href='{esc(links[column][str(value)])}'>{esc(value)}</a></td>")
            else:
                cells.append(_cell(column, value, states, compact))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<div class='scroll'><table class='sortable' id='{esc(table_id)}'><caption>{esc(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def figure(name: str, title: str, alt: str) -> str:
    return (f"<figure><img src='{esc(name)}.png' alt='{esc(alt)}'><figcaption>{esc(title)}</figcaption></figure>")


def csv_link(name: str) -> str:
    return f"<p class='note'>The table as CSV: <a href='{esc(name)}.csv'>{esc(name)}.csv</a></p>"


def page(title: str, body: str, back: str = "") -> str:
    back_link = f"<p><a href='{esc(back)}'>← all statistics</a></p>" if back else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{esc(title)}</title><style>{STYLE}</style>"
            f"</head><body>{back_link}<h1>{esc(title)}</h1>{body}"
            f"<p id='sort-status' class='sr-only' role='status' aria-live='polite'></p>"
            f"<script>{SCRIPT}</script></body></html>")


def section(anchor: str, heading: str, *parts: str) -> str:
    return f"<section id='{esc(anchor)}'><h2>{esc(heading)}</h2>{''.join(parts)}</section>"


def paragraph(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def bullets(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
