"""Follow-ups whose table rows are split over a page break, continued the way other templates continue them.

``tests/synth.py`` continues a table on the next page under its "Vervolg …" heading with the theme's title band and
the header row repeated, in the same place. Other templates continue it otherwise; ``make_split_followup`` writes
a follow-up with ``tests.synth.make_followup`` (split rows, ``page_break_rows``) and continues its tables:

- ``shift``: on every page a table continues on, everything below its "Vervolg …" heading stands this many points
  to the side (a scanned page laid elsewhere on the glass, a table set again on the next page): the columns keep
  their widths.
- ``repeat_title=False``: only the header row is repeated on the next page (a word processor's repeated header
  row), not the theme's title, so the header row stands at the top of each continued page.

The answers are ``make_followup``'s: the same rows and texts, only placed otherwise.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import tests.synth as synth
from tests.synth import SynthDocument, make_followup


class _ContinuedDrawer(synth._TableDrawer):
    """synth's table drawer, continuing a table on the next page as ``shift`` and ``repeat_title`` say."""

    shift = 0.0
    repeat_title = True

    def draw(self, table) -> None:
        self.started = self.continued = False
        super().draw(table)

    def _title_height(self) -> float:
        return super()._title_height() if not self.continued or self.repeat_title else 0.0

    def _header(self, table) -> None:
        if self.started:  # drawn again at the top of the page the table continues on: the rest of it moved aside
            self.continued = True
            self.w.canvas.translate(self.shift, 0)
        self.started = True
        title = table.title
        if self.continued and not self.repeat_title:
            table.title = ""
        try:
            super()._header(table)
        finally:
            table.title = title


@contextmanager
def _drawer(shift: float, repeat_title: bool):
    drawer = type("Drawer", (_ContinuedDrawer,), {"shift": shift, "repeat_title": repeat_title})
    original = synth._TableDrawer
    synth._TableDrawer = drawer
    try:
        yield
    finally:
        synth._TableDrawer = original


def make_split_followup(path: Path | str, shift: float = 0.0, repeat_title: bool = True, **kwargs) -> SynthDocument:
    """``make_followup(path, **kwargs)`` (pass a ``style`` with ``page_break_rows``), its tables continued on the
    next page ``shift`` points to the side and, with ``repeat_title=False``, under the header row alone."""
    with _drawer(shift, repeat_title):
        return make_followup(path, **kwargs)
