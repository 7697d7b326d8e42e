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
from extract.core.records import Conclusion, DocumentInfo, Line, Section, Table
from extract.core.stages import AlignSettings, LayoutSettings
from extract.core.text import squash
from extract.series.framework import match_theme
from extract.document.columns import header_names, named_columns
from extract.series.identity import (Aanpak, Mention, aanpak_names, clean_name, confirmed_list, list_mentions,
                                     list_names, resolve_aanpakken, role_of_year, same_aanpak)
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
        heading = previous.size > HEADING_SIZE * _body_size(lines, index) and not tail.endswith(".")
        if not (open_end or tail[:1].islower() or tail.startswith("(") or short or heading):
            break
        text, previous = f"{text} {tail}", line
        if not open_end and _balanced(text) and not short:
            break
    return text


HEADING_SIZE = LayoutSettings().heading_size_factor  # a line this much larger than the text around it is a heading


def _body_size(lines: list[Line], index: int, around: int = 40) -> float:
    """The most common type size of the lines after ``index``: the running text's."""
    sizes = sorted(round(l.size, 1) for l in lines[index + 1:index + 1 + around]) or [lines[index].size]
    return max(set(sizes), key=sizes.count)


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")")


def title_mentions(lines: list[Line], kind: Kind, known: list[str] = ()) -> list[Mention]:
    """The aanpakken named in "Aanpak: …" lines and a follow-up's "(2013: … en …)" line, each possibly broken over
    lines. A follow-up's first "Aanpak:" line is its later aanpak; in a factsheet every "Aanpak:" line names the
    aanpakken assessed in the section it starts ("Aanpak: A en B" split where ``known`` spellings confirm it)."""
    current = series()
    if kind == Kind.factsheet:
        return [Mention(part, "title", Role.assessed, line.page) for line, name in approach_headings(lines)
                for part in confirmed_list(name, list(known))]
    found = [Mention(name, "title", Role.later, line.page) for line, name in approach_headings(lines)][:1]
    for index, line in enumerate(lines):
        if current.earlier_line_start.match(line.text.strip()):
            match = current.earlier_line.match(_joined_name(lines, index))
            if match:
                return found + [Mention(match.group(1), current.list_source, Role.earlier, line.page)]
    return found


QUOTES = "'‘’\"“”"
QUOTED = re.compile(rf"(?<!\w)[{QUOTES}]([^{QUOTES}]{{2,120}}?)[{QUOTES}](?!\w)")  # a quote opens and closes at a word's edge


def _quoted_lists() -> re.Pattern:
    """ "de aanpak 'A'", "de aanpak 'A' en de aanpak 'B'", "de aanpakken 'A', 'B' en 'C'": the quoted names that
    follow the series' article and approach word."""
    current, q = series(), QUOTES
    word, plural = re.escape(current.approach_word), re.escape(current.approach_plural)
    article, connector = re.escape(current.article), r"\s*(?:,|\ben\b|&)\s*"
    item = rf"(?<!\w)[{q}][^{q}]{{2,120}}?[{q}](?!\w)"
    return re.compile(rf"\b{article}\s+(?:{plural}|{word})\s+({item}(?:{connector}(?:{article}\s+(?:{plural}|{word})"
                      rf"\s+)?{item})*)", re.IGNORECASE)


def _declaration() -> re.Pattern:
    """The sentence in which the document declares what it assesses ("beoordeelt STJ de aanpak X", "… de aanpakken
    'A' en 'B'", "beoordeelt STJ twee aanpakken: 'A' en 'B'"): the series' ``assessed_intro`` words, the approach
    word in either number, and what follows to the sentence's end."""
    current = series()
    words = current.assessed_intro.split()
    head = r"\s+".join(map(re.escape, words[:-2]))
    word, plural = re.escape(current.approach_word), re.escape(current.approach_plural)
    return re.compile(rf"\b{head}\s+(?:\w+\s+)?(?:{plural}|{word})\b\s*:?\s*(.{{2,240}}?)\s*(?:[.;](?:\s|$)|$)",
                      re.IGNORECASE)


def _declaring_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence with the series' verb of assessing in any form ("beoordeelt",
    "beoordeeld"), the approach word and a quote ("STJ heeft de aanpakken 'A' en 'B' beoordeeld."): its quoted
    names are declared."""
    current = series()
    verb = current.assessed_intro.split()[0]
    stem = re.compile(rf"\b{re.escape(verb[:-1] if len(verb) > 5 else verb)}", re.IGNORECASE)
    approach = re.compile(rf"\b{re.escape(current.approach_word)}", re.IGNORECASE)
    found, offset = [], 0
    for sentence in re.split(r"(?<=\.)\s", text):
        if any(q in sentence for q in QUOTES) and stem.search(sentence) and approach.search(sentence):
            found.append((offset, sentence))
        offset += len(sentence) + 1
    return found


def _names_in(text: str, known: list[str]) -> list[str]:
    """The quoted names in a declaration, else the declaration split as a list ("X en Y"; a name that holds " en "
    kept whole where ``known`` spellings show it so)."""
    quoted = _quoted_names(text)
    return quoted if quoted else list_names(text, known)


def _quoted_names(text: str) -> list[str]:
    """The names between quotes in ``text``; an apostrophe inside a word ("thema's") is no quote."""
    return [clean_name(q) for q in re.findall(QUOTED, text)]


def _paged_text(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """The lines' text joined, and (offset, page) where each line starts."""
    parts, starts, offset = [], [], 0
    for line in lines:
        starts.append((offset, line.page))
        parts.append(line.text)
        offset += len(line.text) + 1
    return " ".join(parts), starts


def _page_at(starts: list[tuple[int, int]], offset: int) -> int | None:
    pages = [page for start, page in starts if start <= offset]
    return pages[-1] if pages else None


def intro_mentions(lines: list[Line], known: list[str] = ()) -> list[tuple[str, int | None, bool]]:
    """Names quoted after "de aanpak" in the running text, and those of the declaration sentence ("In deze
    factsheet beoordeelt STJ de aanpak 'A' en de aanpak 'B'"): (name, page, declared as assessed)."""
    text, starts = _paged_text(lines[:INTRO_LINES])
    found = [(clean_name(name), _page_at(starts, m.start()), False) for m in _quoted_lists().finditer(text)
             for name in _quoted_names(m.group(1))]
    found += [(name, _page_at(starts, at), True) for at, sentence in _declaring_sentences(text)
              for name in _quoted_names(sentence)]
    whole = [*known, *(name for name, _, _ in found)]  # quoted spellings show where an unquoted list's names end
    found += [(name, _page_at(starts, m.start()), True) for m in _declaration().finditer(text)
              for name in _names_in(m.group(1), whole)]
    return [(name, page, declared) for name, page, declared in found if name]


INTRO_LINES = 200  # the introduction is within a document's first lines


def aanpak_mentions(lines: list[Line], tables: list[Table], kind: Kind) -> list[Mention]:
    """Every spelling of every aanpak of a factsheet or follow-up: column headers, title block and section
    headings, introduction."""
    mentions: list[Mention] = []
    current = series()
    for _, year, name, page in _header_mentions(tables, kind):
        mentions.append(Mention(clean_name(name), "header", role_of_year(year) if kind == Kind.followup
                                else Role.assessed, page))
    intro = intro_mentions(lines, [m.text for m in mentions])
    whole_names = [m.text for m in mentions] + [name for name, _, _ in intro]  # spellings that show names whole
    for mention in title_mentions(lines, kind, whole_names):
        if mention.source == current.list_source:
            mentions += list_mentions(mention.text, current.list_source, Role.earlier, whole_names, mention.page)
        else:
            mentions.append(Mention(clean_name(mention.text), mention.source, mention.role, mention.page))
    known = list(mentions)
    assessed_known = any(m.role == Role.assessed for m in known)
    for name, page, declared in intro:
        owner = next((m for m in known if same_aanpak(name, m.text)), None)
        if owner is not None:
            mentions.append(Mention(clean_name(name), "intro", owner.role, page))
        elif kind == Kind.factsheet and (declared or not assessed_known):
            mentions.append(Mention(clean_name(name), "intro", Role.assessed, page))
    return mentions


def _header_mentions(tables: list[Table], kind: Kind) -> list[tuple[float, int, str, int]]:
    """(x, year, name, page) of the findings column headers that name an aanpak."""
    found = []
    for table in tables:
        for x, year, name in header_names([table], kind):
            cell = next((c.cell for c in table.columns if c.x0 == x), None)
            found.append((x, year, name, cell.page if cell is not None else table.pages[0]))
    return found


def sections(lines: list[Line], kind: Kind, aanpakken: list[Aanpak]) -> list[Section]:
    """A factsheet's sections: each "Aanpak: …" heading starts one, naming the assessed aanpakken it judges."""
    if kind != Kind.factsheet:
        return []
    assessed = [a for a in aanpakken if a.role == Role.assessed]
    known = [name for a in assessed for name in (a.canonical, *a.aliases)]
    found = []
    for line, name in approach_headings(lines):
        owners = [next((a.canonical for a in assessed if aanpak_names(a, part)), "")
                  for part in confirmed_list(name, known)]
        if any(owners):
            found.append(Section(line.page, line.top, tuple(dict.fromkeys(o for o in owners if o))))
    return sorted(found, key=lambda s: (s.page, s.top))


def approach_headings(lines: list[Line]):
    """Each "Aanpak: …" line and the name it gives (joined with the lines that continue a name broken over lines)."""
    current = series()
    for index, line in enumerate(lines):
        if current.approach_line.match(line.text.strip()):
            yield line, current.approach_line.match(_joined_name(lines, index)).group(1).strip(" .")


def document_info(lines: list[Line], tables: list[Table], all_text: str, settings: AlignSettings = AlignSettings()) -> DocumentInfo:
    kind = classify(lines, all_text)
    info = DocumentInfo(kind=kind)
    if kind in (Kind.factsheet, Kind.followup):
        info.gemeente = gemeente_from_title(lines)
        info.published = published_month(lines)
        info.aanpakken = resolve_aanpakken(aanpak_mentions(lines, tables, kind))
        if kind == Kind.factsheet:
            info.aanpak_2013 = [a.canonical for a in info.aanpakken if a.role == Role.assessed]
            info.aanpak = info.aanpak_2013[0] if info.aanpak_2013 else ""
            info.sections = sections(lines, kind, info.aanpakken)
        else:
            info.aanpak = next((a.canonical for a in info.aanpakken if a.role == Role.later), "")
            info.aanpak_2013 = _column_order([a for a in info.aanpakken if a.role == Role.earlier], tables,
                                             settings.column_x_tolerance)
    elif kind == Kind.report:
        info.published = published_month(lines)
    return info


def aanpakken_from_headers(tables: list[Table], tolerance: float = AlignSettings().column_x_tolerance
                           ) -> list[str]:
    """The 2013 aanpakken named in follow-up column headers, in column order (left to right)."""
    assessed = series().assessed_year
    return [name for _, year, name in named_columns(tables, Kind.followup, tolerance) if year == assessed]


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
