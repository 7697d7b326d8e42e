"""The series' titles and vocabulary: which document a file is (factsheet, follow-up, national report or none of the
series), its title and month lines, and the series' own words that triage looks for."""

from __future__ import annotations

import logging
import re
import unicodedata

from extract.core.enums import Kind
from extract.core.records import Line

log = logging.getLogger(__name__)

MONTHS = {m: i for i, m in enumerate(
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
     "november", "december"], start=1)}
MONTH_LINE = re.compile(r"^\s*(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)
FOLLOWUP_TITLE = re.compile(r"uitkomsten\s+verbeterpunten\s+toezichtonderzoek\s*(.*)$", re.IGNORECASE)
FACTSHEET_TITLE = re.compile(r"uitkomsten\s+toezichtonderzoek\s*(.*)$", re.IGNORECASE)
REPORT_MARKERS = ("gezinnen met geringe sociale redzaamheid", "samenwerkend toezicht jeugd")
# the series' own words: a document titled "Uitkomsten toezichtonderzoek" without any of them is another series
# (the Inspectorate of Education, for one, titles its school reports so); compared with spaces and case set aside
SERIES_WORDS = ("samenwerkendtoezichtjeugd", "geringesocialeredzaamheid", "ggsr")
# what the national report is for: figures over the aanpakken ("28 van de 30 aanpakken (93%)", "in 26 aanpakken
# (87%)"); a newsletter or an article that retells an inspection in the series' words has none
NATIONAL_FIGURE = re.compile(r"aanpakken\W{0,3}[^.]{0,60}?\d{1,3}\s*(?:%|procent)"
                             r"|\d{1,3}\s*(?:%|procent)[^.]{0,60}?aanpakken", re.IGNORECASE)
TITLE_LINES = 25  # the title block is within the first lines of page 1


def classify(first_lines: list[Line], all_text: str) -> Kind:
    """factsheet, followup, report or unknown, from the title block and the series' vocabulary.

    A factsheet or follow-up has its title in the title block and the series' words (Samenwerkend Toezicht Jeugd,
    geringe sociale redzaamheid, GGSR) somewhere; the national report has the series' words and at least one figure
    over the aanpakken (``first_lines`` may be all the document's lines; ``all_text`` its opening text)."""
    head = [l.text for l in first_lines[:TITLE_LINES]]
    whole = " ".join([all_text] + [l.text for l in first_lines])
    squashed = re.sub(r"[^a-z]", "", whole.lower())
    series = any(word in squashed for word in SERIES_WORDS)
    if series and any(FOLLOWUP_TITLE.search(t) for t in head):
        return Kind.followup
    if series and any(FACTSHEET_TITLE.search(t) for t in head):
        return Kind.factsheet
    lowered = " ".join(all_text.lower().split())
    if (all(marker in lowered for marker in REPORT_MARKERS) or (
            "toezicht" in lowered and "geringe sociale redzaamheid" in lowered and "aanpakken" in lowered)) and (
            NATIONAL_FIGURE.search(" ".join(whole.split()))):
        return Kind.report
    return Kind.unknown


TITLE_WORD = "toezichtonderzoek"  # the word both titles (FACTSHEET_TITLE, FOLLOWUP_TITLE) end in


def series_evidence(text: str) -> str:
    """The first of the series' own words found in ``text`` ('' when there is none), with case, accents, spaces,
    line breaks and hyphens set aside: the titles' "toezichtonderzoek", or one of SERIES_WORDS.

    Every document ``classify`` accepts holds one in its opening lines: a factsheet or follow-up its title within
    the first TITLE_LINES lines, the national report "geringe sociale redzaamheid" (one of REPORT_MARKERS) within
    the opening text it is given. So an opening without any is none of the series (``triage`` relies on this)."""
    letters = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text.lower()))
    return next((word for word in (TITLE_WORD, *SERIES_WORDS) if word in letters), "")
