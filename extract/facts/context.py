"""Stage: context. Facts around the findings from the prose of factsheets and follow-ups (inhabitants, households
with children, the estimated number and share of GGSR families, families in the aanpak, cases handled, the date of
the follow-up conversation), and the organisations: the respondents listed under "… is ingevuld door:" and the
organisations named in findings.

Facts are found with spaCy ``Matcher`` patterns and organisations with an ``EntityRuler``, both kept in
``models/`` (``context_patterns.json``, ``organisations.jsonl``). A fact pattern matches a number, its head noun
and the words around them with bounded gaps, so "naar schatting zo'n 1.800 gezinnen die voldoen aan de omschrijving
van GGSR" and "ruim tweeduizend inwoners" are read alike; numbers in digits and words are read by
``extract.numbers``. The Matcher's alignments tell which tokens of a match are the number (or the date).

Rules of reading (see the comment in ``context_patterns.json``):

- when two facts' patterns read the same number, the fact listed first in the file keeps it;
- a count is no count when it is a year (a bare 19xx/20xx with no qualifier before it: "in 2012", a table header
  "2013 <aanpak>"), a ratio ("één op de vijf") or a percentage;
- qualifiers are the words just before the number; stacked qualifiers are all kept, joined in reading order
  ("naar schatting zo'n");
- each fact is kept once per document: the first statement wins (later ones restate it or speak of a part);
- the date of the follow-up conversation is only taken from a date near words of a conversation (gesprek,
  besproken, overleg) or of a report to STJ / the inspecties, never from any date in the text.
"""

from __future__ import annotations

import datetime
import itertools
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extract.core.enums import OrganisationRole
from extract.core.records import DocumentContext, Finding, Line
from extract.core.rows import ContextFact, Organisation
from extract.core.text import drop_unmapped
from extract.facts.pattern_gate import PatternGate
from extract.series.assets import MODELS_DIR
from extract.series.description import series
from extract.series.nlp import dutch
from extract.series.numbers import (TEXT_EXTENSIONS, TOKEN_EXTENSIONS, is_percent_word, parse_number, phrase_value,
                                    register_token_extensions)
from extract.series.prose import list_item, sentences_by_page

if TYPE_CHECKING:  # spaCy is imported where prose is first read, not with this module
    from spacy.matcher import Matcher
    from spacy.pipeline import EntityRuler
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

CONTEXT_FILE = MODELS_DIR / "context_patterns.json"
ORGANISATIONS_FILE = MODELS_DIR / "organisations.jsonl"
QUANTIFIED_MACRO = re.compile(r"^([A-Z_]+)(\{\d*,\d*\})?$")
YEAR_LIKE = re.compile(r"^(19|20)\d\d$")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class FactRule:
    """One expanded pattern: its fact, and the role ('number', 'day', ...) of each pattern element."""
    fact: str
    unit: str
    kind: str  # count | percent | date
    priority: int
    roles: tuple[str | None, ...]


@dataclass(frozen=True)
class ContextModel:
    matcher: Matcher
    rules: dict[str, FactRule]  # by the Matcher key of each expanded pattern
    qualifiers: tuple[str, ...]  # longest first
    ratio_before: tuple[str, ...]
    gate: PatternGate | None = None  # a sentence the gate turns away matches no pattern: the Matcher is spared it


@dataclass(frozen=True)
class Reading:
    """A fact read from one match: value or date, where its number starts and how many tokens it has."""
    fact: str
    unit: str
    priority: int
    value: float | None
    date: str
    start: int
    tokens: tuple[int, ...]


def parse_dutch_number(text: str) -> float | None:
    """'144.000' → 144000, '1,5' → 1.5, '3%' → 3, 'tweeduizend' → 2000; None when it is no number."""
    return parse_number(text)


# ---------------------------------------------------------------- patterns


def _expand(items: list, macros: dict) -> list[list[dict]]:
    """Every token sequence a pattern stands for, macros replaced by each of their alternatives."""
    choices = [_alternatives(item, macros) for item in items]
    return [[token for part in combination for token in part] for combination in itertools.product(*choices)]


def _alternatives(item, macros: dict) -> list[list[dict]]:
    if isinstance(item, dict):
        return [[dict(item)]]
    match = QUANTIFIED_MACRO.match(item)
    if not match or match.group(1) not in macros:
        raise ValueError(f"{CONTEXT_FILE.name}: unknown macro {item!r}")
    name, quantifier = match.groups()
    alternatives = [sequence for alternative in macros[name] for sequence in _expand(alternative, macros)]
    if quantifier is None:
        return alternatives
    if any(len(sequence) != 1 for sequence in alternatives):
        raise ValueError(f"{CONTEXT_FILE.name}: {item!r} repeats a macro of more than one token")
    return [[{**sequence[0], "OP": quantifier}] for sequence in alternatives]


def _split_roles(tokens: list[dict]) -> tuple[list[dict], tuple[str | None, ...]]:
    """The Matcher pattern (without the 'ROLE' keys) and the role of each of its elements."""
    roles = tuple(token.get("ROLE") for token in tokens)
    return [{k: v for k, v in token.items() if k != "ROLE"} for token in tokens], roles


@lru_cache(maxsize=1)
def _context_model() -> ContextModel:
    dutch()  # spaCy loaded the quick way (extract.nlp.load_spacy) before anything of it is imported here
    from spacy.matcher import Matcher

    register_token_extensions()
    spec = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    matcher = Matcher(dutch().vocab)
    rules: dict[str, FactRule] = {}
    patterns: list[list[dict]] = []
    for priority, (fact, item) in enumerate(spec["facts"].items()):
        expanded = [sequence for pattern in item["patterns"] for sequence in _expand(pattern, spec["macros"])]
        for index, sequence in enumerate(expanded):
            pattern, roles = _split_roles(sequence)
            key = f"{fact}#{index}"
            matcher.add(key, [pattern])
            rules[key] = FactRule(fact, item["unit"], item["kind"], priority, roles)
            patterns.append(pattern)
    gate = PatternGate(patterns, TOKEN_EXTENSIONS, TEXT_EXTENSIONS)
    log.debug("context model: %d expanded patterns", len(rules))
    return ContextModel(matcher, rules, tuple(sorted(spec["qualifiers"], key=len, reverse=True)),
                        tuple(spec["ratio_before"]), gate)


# ---------------------------------------------------------------- reading a match


def _role_tokens(doc: Doc, start: int, alignment: list[int], roles: tuple[str | None, ...]) -> dict[str, list[Token]]:
    found: dict[str, list[Token]] = {}
    for offset, element in enumerate(alignment):
        role = roles[element]
        if role:
            found.setdefault(role, []).append(doc[start + offset])
    return found


def _is_year(number: list[Token], model: ContextModel) -> bool:
    """A bare 19xx/20xx (no thousands dot, not in words) is a year ("2013 Samen Sterk" in a table
    header, "in 2012 inwoners"), unless a qualifier stands right before it ("ongeveer 2000 gezinnen")."""
    first = number[0]
    if len(number) != 1 or not YEAR_LIKE.match(first.text):
        return False
    return not _qualifier(first.doc.text[:first.idx], model.qualifiers)


def _is_ratio(number: list[Token], model: ContextModel) -> bool:
    """'één op de vijf inwoners', 'per 1.000 inwoners': a denominator, no count."""
    before = " ".join(t.lower_ for t in number[0].doc[max(0, number[0].i - 3):number[0].i])
    return any(before == phrase or before.endswith(" " + phrase) for phrase in model.ratio_before)


def _is_percentage(number: list[Token]) -> bool:
    after = number[-1].i + 1
    return after < len(number[-1].doc) and is_percent_word(number[-1].doc[after].text)


def _count(number: list[Token], model: ContextModel) -> float | None:
    if _is_year(number, model) or _is_ratio(number, model) or _is_percentage(number):
        return None
    return phrase_value([t.text for t in number])


def _percent(number: list[Token]) -> float | None:
    value = phrase_value([t.text for t in number])
    return value if value is not None and 0 <= value <= 100 else None


def _date(parts: dict[str, list[Token]]) -> str:
    """ISO date of the day, month and year tokens; '' when they make no date ('31 februari')."""
    try:
        months = series().month_numbers
        day, month, year = (int(parts["day"][0].text), months[parts["month"][0].lower_], int(parts["year"][0].text))
        return datetime.date(year, month, day).isoformat()
    except (KeyError, IndexError, ValueError):
        return ""


def _reading(rule: FactRule, parts: dict[str, list[Token]], model: ContextModel) -> Reading | None:
    if rule.kind == "date":
        date = _date(parts)
        tokens = tuple(t.i for role in ("day", "month", "year") for t in parts.get(role, []))
        return Reading(rule.fact, rule.unit, rule.priority, None, date, tokens[0], tokens) if date else None
    number = parts.get("number")
    if not number:
        return None
    value = _percent(number) if rule.kind == "percent" else _count(number, model)
    if value is None:
        return None
    return Reading(rule.fact, rule.unit, rule.priority, value, "", number[0].i, tuple(t.i for t in number))


def _readings(doc: Doc, model: ContextModel) -> list[Reading]:
    """Each number (or date) of the sentence with the fact it states; a number is claimed by one fact only."""
    found = []
    for key, start, _end, alignment in model.matcher(doc, with_alignments=True):
        rule = model.rules[doc.vocab.strings[key]]
        reading = _reading(rule, _role_tokens(doc, start, alignment, rule.roles), model)
        if reading:
            found.append(reading)
    kept, claimed, facts = [], set(), set()
    for reading in sorted(found, key=lambda r: (r.priority, r.start, -len(r.tokens))):
        if claimed.intersection(reading.tokens):
            continue
        claimed.update(reading.tokens)  # a restatement of a fact still keeps its number from other facts
        if reading.fact not in facts:
            kept.append(reading)
            facts.add(reading.fact)
    return kept


def _qualifier(before: str, qualifiers: tuple[str, ...]) -> str:
    """The qualifiers ending the text before a number, joined in reading order ('naar schatting zo'n')."""
    tail = before.translate(APOSTROPHES).lower().rstrip()
    found: list[str] = []
    while True:
        qualifier = next((q for q in qualifiers if _ends_with_word(tail, q)), None)
        if qualifier is None:
            return " ".join(found)
        found.insert(0, qualifier)
        tail = tail[:-len(qualifier)].rstrip()


def _ends_with_word(text: str, word: str) -> bool:
    return text.endswith(word) and (len(text) == len(word) or not text[-len(word) - 1].isalnum())


def facts_in_sentence(sentence: str) -> list[tuple[str, float | None, str, str, str]]:
    """(fact, value, unit, qualifier, date) for each fact a sentence states, in order of the fact list."""
    model = _context_model()
    if model.gate is not None and not model.gate.may_match_text(sentence):
        return []
    doc = dutch()(sentence)
    if model.gate is not None and not model.gate.may_match([(t.text, t.lower_) for t in doc]):
        return []
    out = []
    for reading in _readings(doc, model):
        qualifier = "" if reading.date else _qualifier(sentence[:doc[reading.start].idx], model.qualifiers)
        out.append((reading.fact, reading.value, reading.unit, qualifier, reading.date))
    return out


def context_facts(document: DocumentContext, lines: list[Line]) -> list[ContextFact]:
    """Facts of the prose lines of one document; the first statement of a fact wins."""
    facts: dict[str, ContextFact] = {}
    for page, sentence in sentences_by_page(lines):
        for fact, value, unit, qualifier, date in facts_in_sentence(sentence):
            if fact not in facts:
                facts[fact] = ContextFact(document.doc_id, document.gemeente, fact, value, unit, qualifier, date,
                                          sentence, page)
    return list(facts.values())


# ---------------------------------------------------------------- organisations


@lru_cache(maxsize=1)
def _organisation_ruler() -> EntityRuler:
    """An entity ruler over ``dutch()``'s tokenizer and vocabulary (building a second Dutch pipeline for it cost as
    much as the first)."""
    nlp = dutch()
    from spacy.pipeline import EntityRuler

    ruler = EntityRuler(nlp, phrase_matcher_attr="TEXT")
    ruler.add_patterns(_organisation_patterns())
    return ruler


@lru_cache(maxsize=1)
def _organisation_patterns() -> list[dict]:
    with open(ORGANISATIONS_FILE, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=1)
def _organisation_gate() -> PatternGate:
    """A text this turns away names no organisation (phrase patterns taken as the tokens they match exactly)."""
    nlp = dutch()
    patterns = [p["pattern"] if isinstance(p["pattern"], list)
                else [{"TEXT": token.text} for token in nlp.make_doc(p["pattern"])] for p in _organisation_patterns()]
    return PatternGate(patterns, TOKEN_EXTENSIONS, TEXT_EXTENSIONS)


def _organisations_in(text: str) -> Doc | None:
    """``text`` tokenized with its organisations as entities; None when it surely names none."""
    if not _organisation_gate().may_match_text(text):
        return None
    return _organisation_ruler()(dutch().make_doc(text))


def canonical_organisation(name: str) -> str:
    doc = _organisations_in(name)
    return doc.ents[0].ent_id_ if doc is not None and doc.ents else name


def respondents(document: DocumentContext, lines: list[Line]) -> list[Organisation]:
    """The list under "… is ingevuld door:" (the series' ``respondents_intro``): one respondent per list item
    (``prose.list_item``: a line opening with a bullet)."""
    found, intro = [], series().respondents_line
    for index, line in enumerate(lines):
        if not intro.search(line.text):
            continue
        for following in lines[index + 1:]:
            item = list_item(following)
            if item is None:
                break
            name = drop_unmapped(item.text(following)).strip(" .;_-")
            if name:
                found.append(Organisation(document.doc_id, document.gemeente, name, canonical_organisation(name),
                                          OrganisationRole.respondent, "", f"{drop_unmapped(line.text)} {name}"))
    return found


def mentioned(findings: list[Finding]) -> list[Organisation]:
    """Organisations named in findings, one row per organisation and finding."""
    out = []
    for finding in findings:
        doc = _organisations_in(finding.finding)
        if doc is None:
            continue
        seen = set()
        for ent in doc.ents:
            canonical = ent.ent_id_ or ent.text
            if canonical in seen:
                continue
            seen.add(canonical)
            out.append(Organisation(finding.doc_id, finding.gemeente, ent.text, canonical, OrganisationRole.mentioned,
                                    finding.finding_id, ent.sent.text if doc.has_annotation("SENT_START")
                                    else finding.finding))
    return out
