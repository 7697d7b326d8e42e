"""Stage: segment. What kind of document this is, whose it is, when it was published, which aanpakken it judges,
and the per-theme conclusions of a factsheet.

Everything here reads the series' fixed headings, as the series description words them (``series()``; in STJ
"Uitkomsten toezichtonderzoek …", "Aanpak: …", "(2013: … en …)", "Conclusie", "Wat gaat goed?" / "Wat kan beter?");
nothing depends on a particular gemeente or aanpak.
"""

from __future__ import annotations

import logging
import re

from extract.core.enums import Kind, Role
from extract.core.records import Conclusion, DocumentInfo, Line, Table
from extract.core.stages import AlignSettings
from extract.core.text import squash
from extract.series.framework import match_theme
from extract.series.identity import (Aanpak, Mention, aanpak_names, clean_name, list_mentions, resolve_aanpakken,
                                     role_of_year, same_aanpak)
from extract.series.prose import join_lines
from extract.series.description import series
from extract.series.titles import TITLE_LINES, classify

log = logging.getLogger(__name__)

def gemeente_from_title(lines: list[Line]) -> str:
    """The name after "Uitkomsten (verbeterpunten) toezichtonderzoek", on the title line or the line below it."""
    current = series()
    for index, line in enumerate(lines[:TITLE_LINES]):
        match = current.followup_title_re.search(line.text) or current.factsheet_title_re.search(line.text)
        if not match:
            continue
        name = match.group(1).strip()
        if not name and index + 1 < len(lines):
            name = lines[index + 1].text.strip()
        return current.place_prefix_re.sub("", name)
    return ""


def published_month(lines: list[Line]) -> str:
    current = series()
    for line in lines[:TITLE_LINES + 10]:
        match = current.month_line.match(line.text)
        if match:
            return f"{match.group(2)}-{current.month_numbers[match.group(1).lower()]:02d}"
    return ""


NAME_TAIL_WORDS = 4  # a name broken over lines continues on a short line


def _joined_name(lines: list[Line], index: int) -> str:
    """A title-block line joined with the lines that continue a name broken over lines: after a hyphen or an open
    parenthesis, or a short line set tight below it (never a month line, a "(2013: …)" line, prose or a new page)."""
    text, previous, current = lines[index].text.strip(), lines[index], series()
    for line in lines[index + 1:index + 3]:
        tail = line.text.strip()
        if (current.month_line.match(tail) or current.earlier_line_start.match(tail) or line.page != previous.page
                or abs(line.size - previous.size) > 1.0 or line.top - previous.bottom > 0.8 * previous.size):
            break
        open_end = text.endswith("-") or not _balanced(text)
        short = len(line.words) <= NAME_TAIL_WORDS and not tail.endswith(".")
        if not (open_end or tail[:1].islower() or tail.startswith("(") or short):
            break
        text, previous = f"{text} {tail}", line
        if not open_end and _balanced(text) and not short:
            break
    return text


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")")


def title_mentions(lines: list[Line], kind: Kind) -> list[Mention]:
    """The aanpakken named in the title block: "Aanpak: …" and "(2013: … en …)", each possibly broken over lines."""
    found: list[Mention] = []
    current = series()
    role = Role.assessed if kind == Kind.factsheet else Role.later
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not any(m.source == "title" for m in found) and current.approach_line.match(text):
            match = current.approach_line.match(_joined_name(lines, index))
            found.append(Mention(match.group(1).strip(" ."), "title", role))
        elif (kind == Kind.followup and not any(m.source == current.list_source for m in found)
              and current.earlier_line_start.match(text)):
            match = current.earlier_line.match(_joined_name(lines, index))
            if match:
                found.append(Mention(match.group(1), current.list_source, Role.earlier))
    return found


def intro_mentions(lines: list[Line]) -> list[str]:
    """Names quoted after "de aanpak" in the running text ("de aanpak 'X' en de aanpak 'Y'", "beoordeelt STJ de
    aanpak X."): spellings that become aliases of the aanpakken the title and headers name."""
    text, current = " ".join(l.text for l in lines[:200]), series()
    return [m.group(1).strip() for m in current.intro_name.finditer(text)] + [
        m.group(1).strip() for m in current.intro_assessed.finditer(text)]


def aanpak_mentions(lines: list[Line], tables: list[Table], kind: Kind) -> list[Mention]:
    """Every spelling of every aanpak of a factsheet or follow-up: title block, column headers, introduction."""
    mentions: list[Mention] = []
    current = series()
    if kind == Kind.followup:
        for _, year, name in header_names(tables):
            mentions.append(Mention(clean_name(name), "header", role_of_year(year)))
    intro = intro_mentions(lines)
    whole_names = [m.text for m in mentions] + intro  # spellings that show a name holding " en " whole
    for mention in title_mentions(lines, kind):
        if mention.source == current.list_source:
            mentions += list_mentions(mention.text, current.list_source, Role.earlier, whole_names)
        else:
            mentions.append(Mention(clean_name(mention.text), mention.source, mention.role))
    known = list(mentions)
    for name in intro:
        owner = next((m for m in known if same_aanpak(name, m.text)), None)
        if owner is not None:
            mentions.append(Mention(clean_name(name), "intro", owner.role))
        elif kind == Kind.factsheet and not any(m.role == Role.assessed for m in known):
            mentions.append(Mention(clean_name(name), "intro", Role.assessed))
    return mentions


def document_info(lines: list[Line], tables: list[Table], all_text: str, settings: AlignSettings = AlignSettings()) -> DocumentInfo:
    kind = classify(lines, all_text)
    info = DocumentInfo(kind=kind)
    if kind in (Kind.factsheet, Kind.followup):
        info.gemeente = gemeente_from_title(lines)
        info.published = published_month(lines)
        info.aanpakken = resolve_aanpakken(aanpak_mentions(lines, tables, kind))
        main_role = Role.assessed if kind == Kind.factsheet else Role.later
        info.aanpak = next((a.canonical for a in info.aanpakken if a.role == main_role), "")
        if kind == Kind.factsheet:
            info.aanpak_2013 = [info.aanpak] if info.aanpak else []
        else:
            info.aanpak_2013 = _column_order([a for a in info.aanpakken if a.role == Role.earlier], tables,
                                             settings.column_x_tolerance)
    elif kind == Kind.report:
        info.published = published_month(lines)
    return info


def column_year_and_name(header: str) -> tuple[int | None, str]:
    """"2013 Aanpak A" → (2013, "Aanpak A"); "2014" → (2014, "")."""
    match = re.match(r"^\W*((?:19|20)\d\d)\b\s*(.*)$", header)
    if not match:
        return None, ""
    return int(match.group(1)), match.group(2).strip()


def header_names(tables: list[Table]) -> list[tuple[float, int, str]]:
    """(x position, year, name) of every findings column header that names an aanpak, in document order."""
    found, current = [], series()
    for table in tables:
        for column in table.columns[1:]:
            year, name = column_year_and_name(column.header)
            if year in (current.assessed_year, current.followup_year) and name:
                found.append((column.x0, year, name))
    return found


def named_earlier_columns(tables: list[Table], tolerance: float = AlignSettings().column_x_tolerance
                          ) -> list[tuple[float, str]]:
    """(x position, aanpak as written) of the follow-up columns whose header names an aanpak of the assessed year,
    left to right, one per column position (tables on other pages or scans may shift a column a few points:
    ``tolerance``)."""
    named: list[tuple[float, str]] = []
    assessed = series().assessed_year
    for x, year, name in header_names(tables):
        if year == assessed and not any(abs(x - seen) <= tolerance for seen, _ in named):
            named.append((x, name))
    return sorted(named)


def aanpakken_from_headers(tables: list[Table], tolerance: float = AlignSettings().column_x_tolerance
                           ) -> list[str]:
    """The 2013 aanpakken named in follow-up column headers, in column order (left to right)."""
    return [name for _, name in named_earlier_columns(tables, tolerance)]


def _column_order(earlier: list[Aanpak], tables: list[Table], tolerance: float) -> list[str]:
    """The 2013 aanpakken's canonical names: those heading a column first, left to right; then the others in the
    order the title gives them."""
    columns = aanpakken_from_headers(tables, tolerance)
    ordered: list[str] = []
    for name in columns:
        owner = next((a for a in earlier if aanpak_names(a, name)), None)
        if owner is not None and owner.canonical not in ordered:
            ordered.append(owner.canonical)
    return ordered + [a.canonical for a in earlier if a.canonical not in ordered]


# ---------------------------------------------------------------- conclusions

def conclusions(lines: list[Line]) -> list[Conclusion]:
    """Per theme the "Wat gaat goed?" and "Wat kan beter?" text after the "Conclusie" heading."""
    current = series()
    heading = squash(current.conclusion_heading)
    continued = squash(current.continued_heading + current.conclusion_heading)
    goes_well, could_improve = squash(current.goes_well_heading), squash(current.could_improve_heading)
    start = next((i for i, l in enumerate(lines) if squash(l.text) == heading), None)
    if start is None:
        return []
    result: dict[str, dict[str, list[str]]] = {}
    theme, field = None, None
    for line in lines[start + 1:]:
        key = squash(line.text)
        if key.startswith(continued):
            continue
        if match_theme(line.text) and len(key) < 20:
            theme, field = match_theme(line.text), None
            result.setdefault(theme, {"goes_well": [], "could_improve": []})
        elif key == goes_well:
            field = "goes_well"
        elif key == could_improve:
            field = "could_improve"
        elif theme and field:
            result[theme][field].append(line.text)
    return [Conclusion(theme, join_lines(parts["goes_well"]), join_lines(parts["could_improve"]))
            for theme, parts in result.items()]
