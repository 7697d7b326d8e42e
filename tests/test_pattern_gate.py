"""The pattern gate never turns away a sentence the spaCy Matcher would match (so facts and figures read with it are
those read without it), and it does turn most prose away."""

from __future__ import annotations

import random

import pytest

from extract.facts import context, report
from extract.facts.pattern_gate import PatternGate, span_of
from extract.read.pdf import read_pdf
from extract.run.pipeline import document_lines
from extract.series.nlp import dutch
from extract.series.prose import sentences_by_page
from tests.synth import make_factsheet, make_followup
from tests.test_context_facts import FACTS

FILLERS = ["de", "gemeente", "2014", "ruim", "1.200", "gezinnen", "inwoners", "GGSR", "van", "op", "(", "%",
           "twintig", "gesprek", "3", "maart", "procent", "aanpak", "met", "kinderen", ",", "STJ", "rapport"]
OTHER_SENTENCES = [
    "28 van de 30 onderzochte aanpakken (93%) hebben een plan.", "In 26 aanpakken (87%) is dat zo.",
    "In tweederde van de onderzochte aanpakken (67%) gebeurt dit.", "In 80% van de aanpakken is er regie.",
    "In 93 procent van de gemeenten wel.", "Twintig van de dertig aanpakken voldoen.",
    "Op 3 november 2014 heeft een gesprek plaatsgevonden met de wethouder.",
    "Op 2 februari 2015 is het verslag aan STJ verstuurd.", "Het aandeel GGSR ligt op zo'n 4,5 procent.",
]


def _tokens(doc) -> list[tuple[str, str]]:
    return [(t.text, t.lower_) for t in doc]


@pytest.fixture(scope="module")
def sentences(tmp_path_factory) -> list[str]:
    """Prose of made-up documents, the fact sentences of the context tests, and shuffled, stretched and shortened
    variants of them (other orders and distances)."""
    folder = tmp_path_factory.mktemp("gate")
    found = [s for s, *_ in FACTS] + OTHER_SENTENCES
    for seed in (3, 4):
        for make, name in ((make_factsheet, "f"), (make_followup, "u")):
            path = folder / f"{name}{seed}.pdf"
            make(path, rng_seed=seed)
            found += [s for _, s in sentences_by_page(document_lines(read_pdf(path)))]
    rng = random.Random(11)
    variants = []
    for sentence in found[:400]:
        words = sentence.split()
        if len(words) < 2:
            continue
        shuffled = words[:]
        rng.shuffle(shuffled)
        stretched = words[:]
        for _ in range(rng.randint(1, 4)):
            stretched.insert(rng.randrange(len(stretched)), rng.choice(FILLERS))
        cut = [w for w in words if rng.random() > 0.2]
        variants += [" ".join(shuffled), " ".join(stretched), " ".join(cut)]
    return found + variants


@pytest.mark.slow  # a generated corpus: four typeset documents' prose and shuffled variants
@pytest.mark.parametrize("model", ["context", "report"])
def test_the_gate_never_turns_away_a_sentence_the_matcher_matches(sentences, model):
    if model == "context":
        matcher, gate = context._context_model().matcher, context._context_model().gate
    else:
        matcher, gate = report._matcher(), report._gate()
    turned_away = 0
    for sentence in sentences:
        doc = dutch()(sentence)
        passes = gate.may_match(_tokens(doc))
        if matcher(doc):
            assert passes, sentence
        turned_away += not passes
    assert turned_away > len(sentences) // 2  # and it spares the Matcher most sentences


@pytest.mark.slow  # a generated corpus: four typeset documents' prose and shuffled variants
def test_facts_read_with_and_without_the_gate_are_the_same(sentences, monkeypatch):
    with_gate = [context.facts_in_sentence(s) for s in sentences]
    model = context._context_model()
    monkeypatch.setattr(context, "_context_model", lambda: type(model)(model.matcher, model.rules, model.qualifiers,
                                                                      model.ratio_before, None))
    assert [context.facts_in_sentence(s) for s in sentences] == with_gate
    assert any(with_gate)


@pytest.mark.parametrize("model", ["context", "report"])
def test_the_gate_passes_the_handwritten_sentences_the_matcher_matches(model):
    """The fast layer's version of the property below: the handwritten fact and figure sentences only."""
    if model == "context":
        matcher, gate = context._context_model().matcher, context._context_model().gate
    else:
        matcher, gate = report._matcher(), report._gate()
    sentences = [s for s, *_ in FACTS] + OTHER_SENTENCES
    matched = [s for s in sentences if matcher(dutch()(s))]
    assert matched, "no sentence the Matcher matches: the check would be empty"
    assert [s for s in matched if not gate.may_match(_tokens(dutch()(s)))] == []


def test_spans_of_operators():
    assert span_of("?") == (0, 1) and span_of("+")[0] == 1 and span_of("*")[0] == 0
    assert span_of("{0,2}") == (0, 2) and span_of("{3}") == (3, 3) and span_of("{2,}")[0] == 2
    assert span_of("!")[0] == 0 and span_of("!")[1] > 1000


def _gate(*patterns: list[dict]) -> PatternGate:
    return PatternGate(patterns, {"num": lambda text: text.isdigit()})


def _may(gate: PatternGate, sentence: str) -> bool:
    return gate.may_match([(w, w.lower()) for w in sentence.split()])


def test_order_and_distance_of_required_elements():
    gate = _gate([{"_": {"num": True}}, {"LOWER": "x", "OP": "{0,2}"}, {"LOWER": {"IN": ["gezinnen", "families"]}}])
    assert _may(gate, "ruim 12 Gezinnen")
    assert _may(gate, "12 a b families")
    assert not _may(gate, "12 a b c gezinnen")  # more tokens between than the pattern allows
    assert not _may(gate, "gezinnen 12")  # the wrong order
    assert not _may(gate, "twaalf gezinnen")  # no token is a number


def test_unknown_constraints_accept_every_token():
    gate = _gate([{"POS": "NOUN"}, {"LOWER": "b"}], [{"TEXT": {"FUZZY": "abc"}}])
    assert _may(gate, "zomaar iets")
    regex = _gate([{"TEXT": {"REGEX": "^\\d+%$"}}, {"IS_PUNCT": True}, {"LOWER": "van"}])
    assert _may(regex, "3% . van") and _may(regex, "3% x van") and not _may(regex, "3% van")


@pytest.mark.slow  # a generated corpus: four typeset documents' prose and shuffled variants
def test_organisations_read_with_and_without_the_gate_are_the_same(sentences):
    names = [" ".join(p["pattern"]) if isinstance(p["pattern"], str) else " ".join(
        t.get("LOWER") or t.get("TEXT") or "Zuid" for t in p["pattern"] if isinstance(t.get("LOWER", ""), str))
        for p in context._organisation_patterns()]
    texts = sentences + [f"Samen met {name} en de gemeente." for name in names] + names

    def entities(doc):
        return [(e.text, e.ent_id_, e.start) for e in doc.ents] if doc is not None else []

    ruler, nlp = context._organisation_ruler(), dutch()
    gated = [entities(context._organisations_in(text)) for text in texts]
    assert gated == [entities(ruler(nlp.make_doc(text))) for text in texts]
    assert sum(bool(found) for found in gated) >= len(names)  # every organisation of the list is found
    assert any(context._organisations_in(text) is None for text in texts)  # and the gate turns prose away
