"""Stage: segment. What kind of document this is, whose it is, when it was published, which aanpakken it judges,
and the per-theme conclusions of a factsheet.

Everything here reads the series' fixed headings ("Uitkomsten toezichtonderzoek …", "Aanpak: …", "(2013: … en …)",
"Conclusie", "Wat gaat goed?" / "Wat kan beter?"); nothing depends on a particular gemeente or aanpak.
"""

from __future__ import annotations

import logging
import re

from .framework import match_theme, squash
from .records import Conclusion, DocumentInfo, Line, Table

log = logging.getLogger(__name__)

MONTHS = {m: i for i, m in enumerate(
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
     "november", "december"], start=1)}
MONTH_LINE = re.compile(r"^\s*(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)
FOLLOWUP_TITLE = re.compile(r"uitkomsten\s+verbeterpunten\s+toezichtonderzoek\s*(.*)$", re.IGNORECASE)
FACTSHEET_TITLE = re.compile(r"uitkomsten\s+toezichtonderzoek\s*(.*)$", re.IGNORECASE)
AANPAK_LINE = re.compile(r"^\s*aanpak\s*:\s*(.+?)\s*$", re.IGNORECASE)
AANPAK_2013_LINE = re.compile(r"^\s*\(?\s*2013\s*:\s*(.+?)\s*\)?\s*$")
REPORT_MARKERS = ("gezinnen met geringe sociale redzaamheid", "samenwerkend toezicht jeugd")
TITLE_LINES = 25  # the title block is within the first lines of page 1


def classify(first_lines: list[Line], all_text: str) -> str:
    """factsheet, followup, report or unknown, from the title block and the series' vocabulary."""
    head = [l.text for l in first_lines[:TITLE_LINES]]
    if any(FOLLOWUP_TITLE.search(t) for t in head):
        return "followup"
    if any(FACTSHEET_TITLE.search(t) for t in head):
        return "factsheet"
    lowered = " ".join(all_text.lower().split())
    if all(marker in lowered for marker in REPORT_MARKERS) or (
            "toezicht" in lowered and "geringe sociale redzaamheid" in lowered and "aanpakken" in lowered):
        return "report"
    return "unknown"


def gemeente_from_title(lines: list[Line]) -> str:
    """The name after "Uitkomsten (verbeterpunten) toezichtonderzoek", on the title line or the line below it."""
    for index, line in enumerate(lines[:TITLE_LINES]):
        match = FOLLOWUP_TITLE.search(line.text) or FACTSHEET_TITLE.search(line.text)
        if not match:
            continue
        name = match.group(1).strip()
        if not name and index + 1 < len(lines):
            name = lines[index + 1].text.strip()
        return re.sub(r"^gemeente\s+", "", name, flags=re.IGNORECASE)
    return ""


def published_month(lines: list[Line]) -> str:
    for line in lines[:TITLE_LINES + 10]:
        match = MONTH_LINE.match(line.text)
        if match:
            return f"{match.group(2)}-{MONTHS[match.group(1).lower()]:02d}"
    return ""


def aanpak_lines(lines: list[Line]) -> tuple[str, list[str]]:
    """The "Aanpak: …" name and the "(2013: A en B)" names (in the order the line gives them)."""
    aanpak, earlier = "", []
    for line in lines:
        text = line.text.strip()
        if not aanpak:
            match = AANPAK_LINE.match(text)
            if match:
                aanpak = match.group(1).strip(" .")
                continue
        match = AANPAK_2013_LINE.match(text)
        if match and not earlier:
            earlier = split_names(match.group(1))
    return aanpak, earlier


def split_names(text: str) -> list[str]:
    parts = [p.strip(" '\"‘’“”.") for p in re.split(r",|\s+en\s+(?=[^,]*$)", text)]
    return [p for p in parts if p]


def document_info(lines: list[Line], tables: list[Table], all_text: str) -> DocumentInfo:
    kind = classify(lines, all_text)
    info = DocumentInfo(kind=kind)
    if kind in ("factsheet", "followup"):
        info.gemeente = gemeente_from_title(lines)
        info.published = published_month(lines)
        info.aanpak, earlier = aanpak_lines(lines)
        info.aanpak_2013 = [info.aanpak] if kind == "factsheet" and info.aanpak else earlier
        if kind == "followup":
            from_headers = aanpakken_from_headers(tables)
            if from_headers:
                info.aanpak_2013 = _canonical_order(from_headers, earlier)
    elif kind == "report":
        info.published = published_month(lines)
    return info


def column_year_and_name(header: str) -> tuple[int | None, str]:
    """"2013 Aanpak A" → (2013, "Aanpak A"); "2014" → (2014, "")."""
    match = re.match(r"^\W*((?:19|20)\d\d)\b\s*(.*)$", header)
    if not match:
        return None, ""
    return int(match.group(1)), match.group(2).strip()


COLUMN_X_TOLERANCE = 12.0  # points: columns of different tables this close are the same column


def named_2013_columns(tables: list[Table]) -> list[tuple[float, str]]:
    """(x position, aanpak) of the follow-up columns whose header names a 2013 aanpak, left to right, one per
    column position (tables on other pages or scans may shift a column a few points)."""
    named: list[tuple[float, str]] = []
    for table in tables:
        for column in table.columns[1:]:
            year, name = column_year_and_name(column.header)
            if year == 2013 and name and not any(abs(x - column.x0) <= COLUMN_X_TOLERANCE for x, _ in named):
                named.append((column.x0, name))
    return sorted(named)


def aanpakken_from_headers(tables: list[Table]) -> list[str]:
    """The 2013 aanpakken named in follow-up column headers, in column order (left to right)."""
    return [name for _, name in named_2013_columns(tables)]


def _canonical_order(from_headers: list[str], from_line: list[str]) -> list[str]:
    """Header names win (their spelling is the table's); names only on the "(2013: …)" line are added after them."""
    seen = {squash(n) for n in from_headers}
    return from_headers + [n for n in from_line if squash(n) not in seen]


# ---------------------------------------------------------------- conclusions

GOES_WELL = "watgaatgoed"
COULD_IMPROVE = "watkanbeter"


def conclusions(lines: list[Line]) -> list[Conclusion]:
    """Per theme the "Wat gaat goed?" and "Wat kan beter?" text after the "Conclusie" heading."""
    start = next((i for i, l in enumerate(lines) if squash(l.text) == "conclusie"), None)
    if start is None:
        return []
    result: dict[str, dict[str, list[str]]] = {}
    theme, field = None, None
    for line in lines[start + 1:]:
        key = squash(line.text)
        if key.startswith("vervolgconclusie"):
            continue
        if match_theme(line.text) and len(key) < 20:
            theme, field = match_theme(line.text), None
            result.setdefault(theme, {"goes_well": [], "could_improve": []})
        elif key == GOES_WELL:
            field = "goes_well"
        elif key == COULD_IMPROVE:
            field = "could_improve"
        elif theme and field:
            result[theme][field].append(line.text)
    return [Conclusion(theme, join_lines(parts["goes_well"]), join_lines(parts["could_improve"]))
            for theme, parts in result.items()]


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines: a space between them, none after a hyphen that joins a compound ("CJG-" + "beleid")."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalnum() and not re.match(r"(en|of|tot)\b", text):
            out += text
        else:
            out = f"{out} {text}" if out else text
    return out


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘'\"(•])")


def sentences_by_page(lines: list[Line]) -> list[tuple[int, str]]:
    """Sentences of the running text (wrapped lines joined per page), each with its page."""
    by_page: dict[int, list[str]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line.text)
    return [(page, sentence.strip()) for page, texts in sorted(by_page.items())
            for sentence in SENTENCE_BREAK.split(join_lines(texts)) if sentence.strip()]
