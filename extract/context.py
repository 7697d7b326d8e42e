"""Stage: context. Facts around the findings from the prose of factsheets and follow-ups (inhabitants, households
with children, the estimated number and share of GGSR families, families in the aanpak, cases handled, the date of
the follow-up conversation), and the organisations: the respondents listed under "… is ingevuld door:" and the
organisations named in findings.

Facts are found with spaCy ``Matcher`` patterns and organisations with an ``EntityRuler``, both kept in
``models/`` (``context_patterns.json``, ``organisations.jsonl``). Dutch numbers ("144.000", "1,5", "3%") are parsed
here.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.matcher import Matcher

from .nlp import dutch
from .paths import MODELS_DIR
from .records import Finding, Line
from .segment import MONTHS, sentences_by_page

log = logging.getLogger(__name__)

CONTEXT_FILE = MODELS_DIR / "context_patterns.json"
ORGANISATIONS_FILE = MODELS_DIR / "organisations.jsonl"
RESPONDENTS_INTRO = re.compile(r"is\s+ingevuld\s+door\s*:\s*$", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[•·\-–*▪●◦]|\(cid:\d+\))\s*")  # an unmapped glyph opening a list line is a bullet


@dataclass
class ContextFact:
    doc_id: str
    gemeente: str
    fact: str
    value: float | None
    unit: str
    qualifier: str
    date: str
    sentence: str
    page: int


@dataclass
class Organisation:
    doc_id: str
    gemeente: str
    name: str
    canonical: str
    role: str  # respondent | mentioned
    finding_id: str
    sentence: str


def parse_dutch_number(text: str) -> float | None:
    """'144.000' → 144000, '25.445' → 25445, '1,5' → 1.5, '3%' → 3; None when it is no number."""
    cleaned = text.strip().rstrip("%").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        return float(cleaned.replace(".", ""))
    if re.fullmatch(r"\d+(,\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    if re.fullmatch(r"\d+", cleaned):
        return float(cleaned)
    return None


@lru_cache(maxsize=1)
def _context_model() -> tuple[Matcher, dict[str, str], list[str]]:
    spec = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    matcher = Matcher(dutch().vocab)
    units = {}
    for fact, item in spec["facts"].items():
        matcher.add(fact, item["patterns"])
        units[fact] = item["unit"]
    qualifiers = sorted(spec["qualifiers"], key=len, reverse=True)
    return matcher, units, qualifiers


def _qualifier(before: str, qualifiers: list[str]) -> str:
    tail = before.lower().rstrip()
    for qualifier in qualifiers:
        if tail.endswith(qualifier):
            return qualifier
    return ""


def context_facts(doc_id: str, gemeente: str, lines: list[Line]) -> list[ContextFact]:
    """Facts of the prose lines (not the findings tables) of one document; the first statement of a fact wins."""
    matcher, units, qualifiers = _context_model()
    facts: dict[str, ContextFact] = {}
    for page, sentence in sentences_by_page(lines):
        doc = dutch()(sentence)
        for match_id, start, end in matcher(doc):
            fact = doc.vocab.strings[match_id]
            if fact in facts:
                continue
            span = doc[start:end]
            value, date = _value(fact, span)
            if value is None and not date:
                continue
            facts[fact] = ContextFact(doc_id, gemeente, fact, value, units[fact],
                                      _qualifier(sentence[:span.start_char], qualifiers), date, sentence, page)
    return list(facts.values())


def _value(fact: str, span: spacy.tokens.Span) -> tuple[float | None, str]:
    if fact == "gesprek_datum":
        day, month, year = span[1].text, span[2].text.lower(), span[3].text
        return None, f"{year}-{MONTHS[month]:02d}-{int(day):02d}"
    for token in span:
        number = parse_dutch_number(token.text)
        if number is not None:
            return number, ""
    return None, ""


# ---------------------------------------------------------------- organisations


@lru_cache(maxsize=1)
def _organisation_ruler() -> spacy.language.Language:
    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "TEXT"})
    with open(ORGANISATIONS_FILE, encoding="utf-8") as handle:
        ruler.add_patterns([json.loads(line) for line in handle if line.strip()])
    return nlp


def canonical_organisation(name: str) -> str:
    doc = _organisation_ruler()(name)
    return doc.ents[0].ent_id_ if doc.ents else name


def respondents(doc_id: str, gemeente: str, lines: list[Line]) -> list[Organisation]:
    """The bullet list under "… is ingevuld door:"."""
    found = []
    for index, line in enumerate(lines):
        if not RESPONDENTS_INTRO.search(line.text):
            continue
        for item in lines[index + 1:]:
            if not BULLET.match(item.text):
                break
            name = BULLET.sub("", item.text).strip(" .;_-•·")
            found.append(Organisation(doc_id, gemeente, name, canonical_organisation(name), "respondent", "",
                                      line.text + " " + name))
    return found


def mentioned(findings: list[Finding]) -> list[Organisation]:
    """Organisations named in findings, one row per organisation and finding."""
    out = []
    nlp = _organisation_ruler()
    for finding in findings:
        doc = nlp(finding.finding)
        seen = set()
        for ent in doc.ents:
            canonical = ent.ent_id_ or ent.text
            if canonical in seen:
                continue
            seen.add(canonical)
            out.append(Organisation(finding.doc_id, finding.gemeente, ent.text, canonical, "mentioned",
                                    finding.finding_id, ent.sent.text if doc.has_annotation("SENT_START")
                                    else finding.finding))
    return out
