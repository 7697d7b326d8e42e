"""The series' titles and vocabulary: which document a file is (factsheet, follow-up, national report or none of the
series), its title and month lines, and the series' own words that triage looks for."""

from __future__ import annotations

import logging
import re
import unicodedata

from extract.core.enums import Kind
from extract.core.records import Line
from extract.series.description import series

log = logging.getLogger(__name__)

TITLE_LINES = 25  # the title block is within the first lines of page 1


def classify(first_lines: list[Line], all_text: str) -> Kind:
    """factsheet, followup, report or unknown, from the title block and the series' vocabulary.

    A factsheet or follow-up has its title in the title block and the series' words (Samenwerkend Toezicht Jeugd,
    geringe sociale redzaamheid, GGSR) somewhere; the national report has the series' words and at least one figure
    over the aanpakken (``first_lines`` may be all the document's lines; ``all_text`` its opening text)."""
    current = series()
    head = [l.text for l in first_lines[:TITLE_LINES]]
    whole = " ".join([all_text] + [l.text for l in first_lines])
    squashed = re.sub(r"[^a-z]", "", whole.lower())
    in_series = any(word in squashed for word in current.series_words)
    if in_series and any(current.followup_title_re.search(t) for t in head):
        return Kind.followup
    if in_series and any(current.factsheet_title_re.search(t) for t in head):
        return Kind.factsheet
    lowered = " ".join(all_text.lower().split())
    if (all(marker in lowered for marker in current.report_markers) or all(
            word in lowered for word in current.report_words)) and (
            current.national_figure.search(" ".join(whole.split()))):
        return Kind.report
    return Kind.unknown


def series_evidence(text: str) -> str:
    """The first of the series' own words found in ``text`` ('' when there is none), with case, accents, spaces,
    line breaks and hyphens set aside: the titles' "toezichtonderzoek", or one of SERIES_WORDS.

    Every document ``classify`` accepts holds one in its opening lines: a factsheet or follow-up its title within
    the first TITLE_LINES lines, the national report "geringe sociale redzaamheid" (one of REPORT_MARKERS) within
    the opening text it is given. So an opening without any is none of the series (``triage`` relies on this)."""
    letters = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text.lower()))
    current = series()
    return next((word for word in (current.title_word, *current.series_words) if word in letters), "")
