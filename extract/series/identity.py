"""Identity of named things across spellings: gemeenten and aanpakken (approaches).

A gemeente is compared exactly after normalising case, diacritics, punctuation and a leading "gemeente" (so "Haaren"
and "Haren" stay two gemeenten, while "Gemeente 's-Hertogenbosch" and "'s Hertogenbosch" are one).

An aanpak is written in many ways within one document and across the series: with or without a leading "aanpak" /
"de aanpak", with an abbreviation in parentheses ("Gezin Centraal Team (GCT)"), in another letter case, hyphenated
or broken over lines ("Gezins-" + "coaching"), or as part of an "X en Y" list. Every spelling is a ``Mention``;
``resolve_aanpakken`` groups the mentions of one document into ``Aanpak`` records, each with one canonical name
(the table header's wording where there is one, else the title's, else the introduction's) and every spelling seen
as an alias. Two spellings are the same aanpak when their ``name_key`` is equal, or when one is the other's
abbreviation (its parenthesised abbreviation, or the initials of its words).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass

from extract.core.enums import Role
from extract.core.rows import Aanpak
from extract.core.text import squash
from extract.series.description import series

log = logging.getLogger(__name__)

# Where a spelling was read, best first: the canonical name is the best source's most frequent spelling.
# ("line": the title block's list of the earlier aanpakken, ``Series.list_source``: "line-2013" in STJ)
SOURCE_RANK = {"header": 0, "title": 1, "line": 1, "intro": 2, "column": 3}
ROLES = tuple(r.value for r in Role)  # a factsheet's aanpak; a follow-up's earlier ones; a follow-up's new one
# the series' article-and-approach prefixes ("de aanpak") are ``Series.article_prefix`` and (lower case only: prose)
# ``Series.prose_prefix``


def role_label(role: Role) -> str:
    """How the dataset names a role: "assessed", or the year of the active series it stands for (STJ: "2013",
    "2014", the Role's own values)."""
    current = series()
    return {Role.earlier: current.earlier_role, Role.later: current.followup_role}.get(role, role.value)


def roles() -> tuple[str, ...]:
    """The roles an aanpak can play, as the dataset names them (``role_label``)."""
    return tuple(role_label(r) for r in Role)


def aanpak_year(aanpak: Aanpak) -> int:
    """The year an aanpak was judged in: the follow-up year for a follow-up's new one, else the assessed year."""
    current = series()
    return current.followup_year if aanpak.role == Role.later else current.assessed_year


def role_of_year(year: int | None) -> Role:
    """The role of a follow-up's aanpak judged in ``year``."""
    return Role.earlier if year == series().assessed_year else Role.later


def _rank(source: str) -> int:
    return SOURCE_RANK.get(source.split("-")[0], 9)
PARENTHESISED = re.compile(r"\s*\(([^()]*)\)\s*")
QUOTES = " '\"‘’“”.,;:"
MAX_ABBREVIATION = 8


# ---------------------------------------------------------------- gemeenten


def gemeente_key(name: str) -> str:
    """The form in which gemeente names are compared: exact after normalising case, diacritics, punctuation and a
    leading "gemeente"."""
    return squash(series().place_prefix_re.sub("", name or ""))


def same_gemeente(a: str, b: str) -> bool:
    key = gemeente_key(a)
    return bool(key) and key == gemeente_key(b)


# ---------------------------------------------------------------- spellings of one aanpak


def clean_name(text: str) -> str:
    """A spelling as it should be shown: line breaks and hyphenation across a line break joined, quotes, trailing
    punctuation and a lower-case prose prefix ("de aanpak X") dropped."""
    text = " ".join((text or "").split())
    text = re.sub(r"(\w)- (?!(?:en|of|tot|and)\b)([a-zà-ÿ])", r"\1\2", text)  # "Gezins- coaching" → "Gezinscoaching"
    text = text.strip(QUOTES)
    text = series().prose_prefix.sub("", text).strip(QUOTES)
    return text


def _without_abbreviation(text: str) -> str:
    return PARENTHESISED.sub(" ", text).strip()


def name_key(text: str) -> str:
    """The comparison key of an aanpak: letters and digits of its name, without a leading "(de) aanpak" and
    without a parenthesised abbreviation."""
    text = clean_name(text)
    text = series().article_prefix.sub("", text) if not series().approach_only.fullmatch(text) else text
    return squash(_without_abbreviation(text)) or squash(text)


def abbreviations(text: str) -> set[str]:
    """Short forms of a name: a parenthesised abbreviation ("... (GCT)"), the name itself when it is one ("GCT"),
    and the initials of a name of several capitalised words ("Gezin Centraal Team" → "gct")."""
    text = clean_name(text)
    found = set()
    for inner in PARENTHESISED.findall(text):
        key = squash(inner)
        if 2 <= len(key) <= MAX_ABBREVIATION:
            found.add(key)
    bare = series().article_prefix.sub("", _without_abbreviation(text))
    words = bare.split()
    if len(words) == 1 and re.fullmatch(r"[A-Z0-9&\-]{2,8}", words[0]):
        found.add(squash(words[0]))
    capitals = [w for w in re.split(r"[\s\-]+", bare) if w]
    if len(capitals) >= 2 and all(w[0].isupper() for w in capitals if len(w) > 3):
        found.add(squash("".join(w[0] for w in capitals if w[0].isalnum())))
    return {a for a in found if len(a) >= 2}


def same_aanpak(a: str, b: str) -> bool:
    """Two spellings name the same aanpak: equal keys, or one is an abbreviation of the other."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    short_a, short_b = abbreviations(a), abbreviations(b)
    return (key_a in short_b and _is_short_form(a)) or (key_b in short_a and _is_short_form(b)) or bool(
        short_a & short_b and (_has_parenthesis(a) or _has_parenthesis(b)))


def _is_short_form(text: str) -> bool:
    bare = series().article_prefix.sub("", _without_abbreviation(clean_name(text)))
    return len(bare.split()) == 1 and bool(re.fullmatch(r"[A-Z0-9&\-]{2,8}", bare.strip()))


def _has_parenthesis(text: str) -> bool:
    return bool(PARENTHESISED.search(text))


# ---------------------------------------------------------------- one document's aanpakken


@dataclass(frozen=True)
class Mention:
    """One spelling of an aanpak, where it was read and which role it plays in the document."""

    text: str
    source: str  # header | title | line-2013 | intro | column
    role: Role
    page: int | None = None  # where it was read (None: not known)


def aanpak_names(aanpak: Aanpak, text: str) -> bool:
    """Whether a spelling names this aanpak (its canonical name or one of its aliases)."""
    return any(same_aanpak(text, alias) for alias in [aanpak.canonical, *aanpak.aliases])


def same_aanpak_as(one: Aanpak, other: Aanpak) -> bool:
    """Whether another document's aanpak is this one (any spelling of one names the other)."""
    return any(aanpak_names(other, alias) for alias in [one.canonical, *one.aliases])


def split_list(text: str) -> list[str]:
    """"A, B en C" → [A, B, C]; "aanpak X en aanpak Y" → [aanpak X, aanpak Y]. A name that itself holds " en "
    is rejoined by ``resolve_aanpakken`` when another spelling shows it whole."""
    parts = re.split(r"\s*,\s*|\s+(?:en|&)\s+", " ".join(text.split()))
    return [p for p in (clean_name(p) for p in parts) if p]


def _rejoin(parts: list[str], known: list[str]) -> list[str]:
    """Join neighbouring parts of an "X en Y" split back into one name where a known spelling is that whole name
    ("Wonen en Werken")."""
    out, index = [], 0
    while index < len(parts):
        for end in range(len(parts), index + 1, -1):
            whole = " en ".join(parts[index:end])
            if any(name_key(whole) == name_key(k) for k in known):
                out.append(whole)
                index = end
                break
        else:
            out.append(parts[index])
            index += 1
    return out


def list_mentions(text: str, source: str, role: Role, known: list[str], page: int | None = None) -> list[Mention]:
    """The mentions of a list line such as "(2013: aanpak X en aanpak Y)", split and rejoined against ``known``."""
    if any(name_key(text) == name_key(k) for k in known):  # the whole line is one name ("Wonen en Werken")
        return [Mention(clean_name(text), source, role, page)]
    return [Mention(p, source, role, page) for p in _rejoin(split_list(text), known)]


def list_names(text: str, known: list[str]) -> list[str]:
    """The names of a list ("A, B en C"), a name that holds " en " kept whole where a ``known`` spelling shows it."""
    if any(name_key(text) == name_key(k) for k in known):
        return [clean_name(text)]
    current = series()
    article, word = re.escape(current.article), re.escape(current.approach_word)
    separated = re.split(rf"\s*(?:,|\ben\b|&)\s+{article}\s+{word}\s+", " ".join(text.split()), flags=re.IGNORECASE)
    if len(separated) > 1:  # "X en de aanpak Y": the repeated "de aanpak" marks where each name starts
        return [p for p in (clean_name(part) for part in separated) if p]
    return _rejoin(split_list(text), known)


def confirmed_list(text: str, known: list[str]) -> list[str]:
    """A name that may be a list ("Aanpak: A en B"): split only where another spelling confirms a part as a name of
    its own; otherwise it is one name ("Aanpak: Wonen en Werken", where nothing names "Wonen" or "Werken" alone)."""
    if any(name_key(text) == name_key(k) for k in known):
        return [clean_name(text)]
    parts = _rejoin(split_list(text), known)
    if len(parts) > 1 and any(any(same_aanpak(part, k) for k in known) for part in parts):
        return parts
    return [clean_name(text)]


def resolve_aanpakken(mentions: list[Mention]) -> list[Aanpak]:
    """Group one document's mentions into aanpakken, per role, in order of first mention by the best source."""
    groups: list[tuple[str, list[Mention]]] = []
    for mention in sorted(mentions, key=lambda m: _rank(m.source)):
        if not name_key(mention.text):
            continue
        group = next((g for role, g in groups if role == mention.role
                      and any(same_aanpak(mention.text, m.text) for m in g)), None)
        if group is None:
            groups.append((mention.role, [mention]))
        else:
            group.append(mention)
    return [_aanpak(role, group) for role, group in groups]


def _aanpak(role: Role, group: list[Mention]) -> Aanpak:
    best_rank = min(_rank(m.source) for m in group)
    best = [m.text for m in group if _rank(m.source) == best_rank]
    counts = Counter(best)
    canonical = max(best, key=lambda t: (counts[t], -best.index(t)))
    canonical = next((_respace(canonical, m.text) for m in group if _respace(canonical, m.text)), canonical)
    aliases = list(dict.fromkeys(m.text for m in group if m.text != canonical))
    sources = list(dict.fromkeys(m.source for m in group))
    pages = [m.page for m in group if m.page is not None]
    return Aanpak(canonical, role, aliases, sources, min(pages) if pages else None)


def _respace(wording: str, other: str) -> str:
    """``wording`` with the spaces of ``other`` where the two differ only in spaces: a header cell broken over lines
    mid-word ("Gezinsondersteunin" / "g Noord") is spaced as the title spells the name. '' when they differ more."""
    if wording == other or " ".join(wording.split()).replace(" ", "").lower() != other.replace(" ", "").lower():
        return ""
    letters = iter(wording.replace(" ", ""))
    return "".join(" " if c == " " else next(letters) for c in " ".join(other.split()))


def canonical_for(aanpakken: list[Aanpak], text: str, year: int) -> str:
    """The canonical name of the document's aanpak of that year that ``text`` names, else ``text`` cleaned."""
    for aanpak in aanpakken:
        if aanpak_year(aanpak) == year and aanpak_names(aanpak, text):
            return aanpak.canonical
    return clean_name(text)


def aanpak_id(doc_id: str, role: Role, canonical: str) -> str:
    """Stable id of a document's aanpak in a role."""
    return hashlib.sha256(f"{doc_id}|{role}|{name_key(canonical)}".encode()).hexdigest()[:16]
