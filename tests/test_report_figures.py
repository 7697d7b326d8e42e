"""National report figures with counts in words, "procent"/"percent", and sentences that must never make
``figures_in_sentence`` raise. Every sentence here is made up."""

from __future__ import annotations

import random

import pytest

from extract.core.records import DocumentContext
from extract.facts.report import figures_in_sentence, national_figures
from tests.builders import line


@pytest.mark.parametrize("sentence,expected", [
    ("In twintig van de dertig aanpakken (67%) is een gezinsplan opgesteld.", (20, 30, 67.0)),
    ("In 28 van de 30 aanpakken (93 procent) staat het gezin centraal.", (28, 30, 93.0)),
    ("In 28 van de 30 aanpakken (93 percent) staat het gezin centraal.", (28, 30, 93.0)),
    ("Bij negen van de dertig onderzochte aanpakken ontbreekt een visie.", (9, 30, 30.0)),
    ("In 93 procent van de aanpakken is de regie belegd.", (None, None, 93.0)),
    ("In negentig procent van de aanpakken is de regie belegd.", (None, None, 90.0)),
    ("In tweederde van de aanpakken (67%) heeft de regisseur doorzettingsmacht.", (None, None, 67.0)),
    ("In eenentwintig van de dertig aanpakken (zeventig procent) is nazorg geregeld.", (21, 30, 70.0)),
    ("Het netwerk is betrokken in vijftien aanpakken (50 procent).", (15, None, 50.0)),
    ("In 20 van de 30 aanpakken (66,7%) wordt geëvalueerd.", (20, 30, 66.7)),
    ("Dit geldt voor twaalf van de dertig aanpakken (40 procent).", (12, 30, 40.0)),
    ("Dit geldt voor 27 van de 30 aanpakken, in de overige niet.", (27, 30, 90.0)),
])
def test_figures_in_words_and_procent(sentence, expected):
    (n, total, percent, span), = figures_in_sentence(sentence)
    assert (n, total, percent) == expected
    assert 0 <= span[0] < span[1] <= len(sentence)


@pytest.mark.parametrize("sentence", [
    "",
    "   ",
    "De gemeente heeft dertig medewerkers en twee teams.",
    "In 2013 zijn twintig aanpakken beoordeeld.",
    "In 130 procent van de aanpakken is dat zo.",
    "In een van de dertig aanpakken is dat zo.",
])
def test_sentences_without_a_readable_figure(sentence):
    assert figures_in_sentence(sentence) == []


def test_digit_figures_unchanged():
    """Digit statements read as before the number words came in."""
    assert [f[:3] for f in figures_in_sentence("28 van de 30 onderzochte aanpakken (93%) doen dit.")] == [
        (28, 30, 93.0)]
    assert [f[:3] for f in figures_in_sentence("Bij 23 van in totaal 28 aanpakken (82%) gebeurt dit.")] == [
        (23, 28, 82.0)]
    assert [f[:3] for f in figures_in_sentence("In 80% van de aanpakken gebeurt dit.")] == [(None, None, 80.0)]


ODD_PIECES = ["%", "(", ")", "procent", "percent", "van", "de", "in", "totaal", "aanpakken", "aanpak", "gemeenten",
              "onderzochte", "twintig", "dertig", "een", "één", "half", "anderhalf", "tweederde", "helft", "0", "00",
              "7", "30", "100", "999", "1.000", "12.5.3", "2,5", "3%", "(67%)", "(%)", "()", "1/2", ",", ".",
              "duizend", "miljoen", "nul", "-", "bij", "In", "–", "9999999999999999999999", "½", "٣", "²"]


def _odd_sentences(count: int) -> list[str]:
    rng = random.Random(20140612)
    sentences = []
    for _ in range(count):
        pieces = rng.choices(ODD_PIECES, k=rng.randint(0, 12))
        glue = rng.choice([" ", "", " "])
        sentences.append(glue.join(pieces))
    return sentences


HANDWRITTEN_ODD = [
    "In twintig van de aanpakken (67%)", "twintig van de dertig", "van de dertig aanpakken (67%)",
    "In (67%) van de aanpakken", "In % van de aanpakken", "In procent van de aanpakken", "In dertig procent",
    "In twintig van de nul aanpakken (%)", "In 0 van de 0 aanpakken", "nul van de nul aanpakken (0 procent)",
    "In duizend van de miljoen aanpakken (anderhalf procent)", "In tweederde van de aanpakken ()",
    "In 28 van de 30 aanpakken (93", "In 28 van de 30 aanpakken 93%)", "(((%)))", "van de van de van de",
    "In ½ van de aanpakken (½%)", "In ٣ van de ٣٠ aanpakken (١٠٠%)", "In 2² van de 30 aanpakken (7%)",
]


def _figure_problems(sentence: str) -> list[str]:
    """What is wrong with ``figures_in_sentence(sentence)``: an exception, or a figure out of its bounds."""
    try:
        figures = figures_in_sentence(sentence)
    except Exception as exc:  # noqa: BLE001 - the point is that nothing is raised
        return [f"raised {type(exc).__name__}: {exc}"]
    problems = []
    for n, total, percent, (start, end) in figures:
        if not (n is None or isinstance(n, int)):
            problems.append(f"n={n!r} is no int")
        if not (total is None or isinstance(total, int)):
            problems.append(f"total={total!r} is no int")
        if not (percent is None or 0 <= percent <= 100):
            problems.append(f"percent={percent!r} is outside 0-100")
        if not 0 <= start < end <= len(sentence):
            problems.append(f"span ({start}, {end}) is outside the sentence")
    return problems


def test_never_raises():
    """The handwritten odd sentences and 400 seeded random ones: one test, every failing sentence named."""
    sentences = HANDWRITTEN_ODD + _odd_sentences(400)
    assert len(sentences) == len(HANDWRITTEN_ODD) + 400
    failures = [(index, sentence, problems) for index, sentence in enumerate(sentences)
                if (problems := _figure_problems(sentence))]
    assert failures == [], f"{len(failures)} of {len(sentences)} sentences fail: " + "; ".join(
        f"#{index} {sentence!r}: {', '.join(problems)}" for index, sentence, problems in failures)


def test_the_checker_catches_an_exception_and_a_bad_span(monkeypatch):
    """The loop above can fail: an exception or a span outside the sentence is reported."""
    import tests.test_report_figures as here

    monkeypatch.setattr(here, "figures_in_sentence", lambda s: (_ for _ in ()).throw(ValueError("boom")))
    assert _figure_problems("x") == ["raised ValueError: boom"]
    monkeypatch.setattr(here, "figures_in_sentence", lambda s: [(1, 2, 150.0, (0, 99))])
    assert _figure_problems("abc") == ["percent=150.0 is outside 0-100", "span (0, 99) is outside the sentence"]


def test_report_with_words_is_read_not_failed():
    lines = [line("In twintig van de dertig aanpakken (67%) is een gezinsplan opgesteld.", 50, 100, page=3),
             line("In 93 procent van de aanpakken is nazorg geregeld.", 50, 100, page=4)]
    figures = national_figures(DocumentContext("report", "report.pdf"), lines)
    assert [(f.page, f.n, f.total, f.percent) for f in figures] == [(3, 20, 30, 67.0), (4, None, None, 93.0)]
    assert figures[1].indicator_id == "I30"
