"""A made-up second series, typeset here, extracted by the real pipeline pointed at its description: the extractor's
rows must be the generator's answers.

The series ("Toezicht Kwetsbare Kinderen", assessed 2019, followed up 2021) has its own framework (other themes,
criteria and indicator ids), titles, month line, approach word ("programma"), table header words, conclusion
headings and caveat wording, and its own markers: heavy checks and crosses (✔, ✘; neither STJ's ✓ nor its X), which
the dataset shows as "+" and "-". The generator below writes every word itself: it never reads a series description
(the extractor's or this test's), so that agreement between the two proves the extractor takes its words from the
description and not from STJ's code. Only synth's drawing helpers (which take every word as a parameter) are reused.
The factsheet is also read as a 200-dpi scan (real Tesseract): the pixel classifier's verdicts are written as the
description's markers, so that a scan keeps its verdicts as the born-digital file does.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from extract import api
from extract.cli import main
from extract.core.settings import OcrSettings, RunOptions
from extract.document.markers import classify_glyph
from extract.ocr import marks
from extract.ocr.cache import OcrCache
from extract.ocr.glyphs import GlyphVerdict
from extract.ocr.tesseract import OcrWord
from extract.run.results_cache import settings_fingerprint
from extract.series.description import SeriesError, load, series, using
from tests.scans import make_scan
from tests.synth import FACTSHEET_WIDTHS, SynthStyle, _followup_widths, _fonts, _Row, _Table, _TableDrawer, _Writer

ASSESSED, FOLLOWUP = 2019, 2021
GEMEENTE = "Veenendaal"
PROGRAMME, NEW_PROGRAMME = "Thuis Sterk", "Samen Verder"

# theme, criterion, indicator id, indicator
FRAMEWORK = [
    ("Veiligheid", "Risico's worden tijdig gezien", "V1",
     "Medewerkers gebruiken een vast instrument om onveiligheid bij kinderen vroeg te signaleren"),
    ("Veiligheid", "Risico's worden tijdig gezien", "V2",
     "Bij signalen van onveiligheid wordt binnen vijf werkdagen een veiligheidsplan gemaakt"),
    ("Veiligheid", "Er is toezicht op de uitvoering", "V3",
     "Het bestuur ontvangt elk kwartaal een overzicht van de lopende veiligheidsplannen"),
    ("Samenwerking", "Partners werken vanuit één plan", "S1",
     "Voor elk kind is er één plan waarin alle betrokken partners hun afspraken vastleggen"),
    ("Samenwerking", "Partners werken vanuit één plan", "S2",
     "Partners delen informatie volgens een schriftelijk vastgelegd convenant"),
    ("Toegang", "Hulp is snel beschikbaar", "T1",
     "Ouders kunnen zonder verwijzing terecht bij een vast aanspreekpunt in de wijk"),
    ("Toegang", "Hulp is snel beschikbaar", "T2", "De wachttijd tot de eerste afspraak is korter dan drie weken"),
    ("Toegang", "Ouders doen mee", "T3",
     "Ouders hebben inspraak in de keuze van de hulpverlener en in de doelen van het plan"),
]
# the assessed year's verdicts, a finding's text per indicator, and which finding carries a caveat
VERDICTS = {"V1": "pass", "V2": "fail", "V3": "pass", "S1": "fail", "S2": "pass", "T1": "fail", "T2": "pass",
            "T3": "fail"}
FOLLOWUP_VERDICTS = {"V2": "pass", "S1": "fail", "T1": "pass", "T3": "pass"}
TEXTS = {
    "V1": "Alle teams werken sinds twee jaar met dezelfde signaleringslijst.",
    "V2": "Een veiligheidsplan volgt vaak pas na een maand of later.",
    "V3": "Het bestuur bespreekt ieder kwartaal de lijst met lopende plannen.",
    "S1": "Scholen en huisartsen maken hun eigen plannen naast dat van het team.",
    "S2": "Het convenant over het delen van gegevens is door elke partner getekend.",
    "T1": "Ouders moeten eerst langs de huisarts voordat zij hulp kunnen krijgen.",
    "T2": "Gezinnen krijgen gemiddeld binnen twaalf dagen een eerste afspraak.",
    "T3": "Ouders worden wel gehoord, maar kiezen hun hulpverlener niet zelf.",
}
CAVEAT = {"S2": "Let wel: het convenant loopt eind volgend jaar af."}
LATER_TEXTS = {
    "V2": "Het plan volgt nu binnen vier werkdagen na een signaal.",
    "S1": "Partners werken nog steeds met afzonderlijke plannen voor hetzelfde kind.",
    "T1": "In elke wijk is een inloopspreekuur zonder verwijzing geopend.",
    "T3": "Ouders kiezen sinds dit jaar zelf hun vaste hulpverlener.",
}
CONCLUSIONS = {
    "Veiligheid": ("Signalen worden vroeg opgemerkt.", "Plannen volgen te laat."),
    "Toegang": ("Afspraken volgen snel.", "Ouders hebben weinig te kiezen."),
}
STYLE = SynthStyle(marker_style="heavy")  # the series' markers: ✔ and ✘
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def _description() -> dict:
    """The second series' description, as a user would write it for the extractor (the generator does not read it)."""
    return {
        "name": "Toezicht Kwetsbare Kinderen",
        "framework": "kader.csv",
        "years": {"assessed": ASSESSED, "followup": FOLLOWUP},
        "series_words": ["toezicht kwetsbare kinderen"],
        "titles": {"factsheet": "rapportage kwaliteitstoets", "followup": "rapportage herstelpunten kwaliteitstoets",
                   "common_word": "kwaliteitstoets", "place_prefix": "gemeente"},
        "report": {"markers": ["landelijk beeld kwetsbare kinderen"], "words": ["landelijk beeld", "programma's"],
                   "figure_subject": "programma's"},
        "months": list(MONTHS),
        "approach": {"word": "programma", "plural": "programma's", "articles": ["het", "dit"], "article": "het",
                     "assessed_intro": "beoordeelt TKK het programma"},
        "headings": {"conclusion": "Samenvatting", "continued": "Vervolg", "goes_well": "Wat is sterk?",
                     "could_improve": "Wat moet beter?"},
        "table_header": {"criterion": ["normen", "norm"], "indicator": ["kenmerken", "kenmerk"],
                         "findings": ["oordelen", "oordeel"], "labels": ["thema", "nr"],
                         "name_connectors": ["en", "van", "de", "het", "&", "-", "(", ")"]},
        "markers": {"checks": "✔", "crosses": "✘", "letter_crosses": "Xx",
                    "canonical": {"pass": "+", "fail": "-"}, "symbol_fonts": {}},
        "caveat": "LET WEL",
        "page_word": "blad",
        "respondents_intro": "werd beantwoord door",
        "repair_words": "Rapportage herstelpunten kwaliteitstoets Oordelen Normen Kenmerken Samenvatting Programma",
    }


def write_series(folder: Path) -> Path:
    """The description and its framework CSV in ``folder``; returns the description's path."""
    with open(folder / "kader.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["theme", "criterion", "indicator_id", "indicator"])
        writer.writerows(FRAMEWORK)
    path = folder / "tkk_series.json"
    path.write_text(json.dumps(_description(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the generator (its own words throughout)


class _SeriesWriter(_Writer):
    """synth's page writer with this series' running footer ("blad 3")."""

    def _draw_footer(self) -> None:
        self.canvas.saveState()
        self.canvas.setFont(self.fonts.regular, 7.0)
        self.canvas.drawString(50.0, 40.0, self.footer)
        self.canvas.drawRightString(545.0, 40.0, f"blad {self.page}")
        self.canvas.restoreState()


def _title_block(w: _Writer, title: str, lines: list[str], month: str) -> None:
    w.heading(title, size=17, keep=0)
    for line in lines:
        w.paragraph([w.fonts.run(line, size=11.5)], after=1)
    w.paragraph([w.fonts.run(month, size=9.5)], after=10)


def _finding(fonts, verdict: str, text: str, caveat: str = "") -> list:
    runs = [fonts.marker(verdict), fonts.run(" " + text)]
    if caveat:
        label, rest = caveat.split(":", 1)
        runs += [fonts.run(" " + label.upper() + ":", "bold"), fonts.run(rest, "bold")]
    return runs


def make_factsheet(path: Path) -> list[dict]:
    """A factsheet of the second series; returns the rows it shows."""
    fonts = _fonts(STYLE)
    title = f"Rapportage kwaliteitstoets {GEMEENTE}"
    w = _SeriesWriter(path, title, fonts, title)
    _title_block(w, title, ["Toezicht Kwetsbare Kinderen regio Utrecht"], f"November {ASSESSED}")
    w.prose(f"In dit rapport beoordeelt TKK het programma {PROGRAMME}. De inspecties kijken naar veiligheid, "
            "samenwerking en toegang van de hulp aan kinderen die extra kwetsbaar zijn.")
    w.heading(f"Programma: {PROGRAMME}")
    w.prose("Het programma werkt met wijkteams die gezinnen langdurig begeleiden.")
    w.new_page()
    w.heading("Oordelen kwaliteitstoets")
    drawer, rows = _TableDrawer(w, STYLE), []
    for theme in dict.fromkeys(t for t, *_ in FRAMEWORK):
        table_rows, seen = [], set()
        for _, criterion, ind, text in (r for r in FRAMEWORK if r[0] == theme):
            criterion_cell = [] if criterion in seen else [[fonts.run(criterion, "bold")]]
            seen.add(criterion)
            finding = _finding(fonts, VERDICTS[ind], TEXTS[ind], CAVEAT.get(ind, ""))
            table_rows.append(_Row([criterion_cell, [[fonts.run(text)]], [finding]],
                                   group_start=bool(criterion_cell)))
            rows.append({"indicator_id": ind, "verdict": VERDICTS[ind], "year": ASSESSED, "theme": theme,
                         "aanpak": PROGRAMME, "caveat": ind in CAVEAT})
        drawer.draw(_Table(theme, ["Normen", "Kenmerken", "Oordelen"], FACTSHEET_WIDTHS, table_rows, spanning=True))
    w.new_page()
    w.heading("Samenvatting")
    for theme, (good, better) in CONCLUSIONS.items():
        w.heading(theme, size=w.prose_size + 1.5, keep=60)
        w.heading("Wat is sterk?", size=w.prose_size, keep=12, before=0)
        w.prose(good)
        w.heading("Wat moet beter?", size=w.prose_size, keep=12, before=0)
        w.prose(better)
    w.finish()
    return rows


def make_followup(path: Path) -> list[dict]:
    """A follow-up of the second series: a row per failure of the assessed year; returns the rows it shows."""
    fonts = _fonts(STYLE)
    title = f"Rapportage herstelpunten kwaliteitstoets {GEMEENTE}"
    w = _SeriesWriter(path, title, fonts, title)
    _title_block(w, title, ["Toezicht Kwetsbare Kinderen regio Utrecht", f"Programma: {NEW_PROGRAMME}",
                            f"({ASSESSED}: {PROGRAMME})"], f"Maart {FOLLOWUP + 1}")
    w.prose(f"In {ASSESSED} hebben de inspecties het programma '{PROGRAMME}' getoetst. Sinds {FOLLOWUP} werkt de "
            f"gemeente met het programma '{NEW_PROGRAMME}'.")
    w.new_page()
    w.heading("Herstelpunten")
    drawer, rows = _TableDrawer(w, STYLE), []
    for theme in dict.fromkeys(t for t, *_ in FRAMEWORK):
        table_rows = []
        for _, _, ind, text in (r for r in FRAMEWORK if r[0] == theme and VERDICTS[r[2]] == "fail"):
            later = FOLLOWUP_VERDICTS[ind]
            table_rows.append(_Row([[[fonts.run(text)]], [_finding(fonts, "fail", TEXTS[ind])],
                                    [_finding(fonts, later, LATER_TEXTS[ind])]]))
            rows += [{"indicator_id": ind, "verdict": "fail", "year": ASSESSED, "theme": theme, "aanpak": PROGRAMME,
                      "caveat": False},
                     {"indicator_id": ind, "verdict": later, "year": FOLLOWUP, "theme": theme,
                      "aanpak": NEW_PROGRAMME, "caveat": False}]
        if table_rows:
            drawer.draw(_Table(theme, ["Kenmerk", f"{ASSESSED} {PROGRAMME}", f"{FOLLOWUP}"], _followup_widths(1),
                               table_rows))
    w.finish()
    return rows


def _extracted(out: Path, doc_id: str) -> list[dict]:
    """The findings rows of one document, as the dataset (``findings.csv``) holds them."""
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    return [{"indicator_id": r.indicator_id, "verdict": r.verdict, "year": int(r.year), "theme": r.theme,
             "aanpak": r.aanpak, "caveat": str(r.caveat).lower() == "true"}
            for r in findings[findings.doc_id == doc_id].itertuples()]


def _key(row: dict) -> tuple:
    return row["year"], row["indicator_id"]


# ---------------------------------------------------------------- the tests


@pytest.fixture
def second_series(tmp_path):
    """(description, factsheet, follow-up, the factsheet's rows, the follow-up's rows) in ``tmp_path``."""
    description = write_series(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    factsheet_rows = make_factsheet(docs / "veenendaal-2019.pdf")
    followup_rows = make_followup(docs / "veenendaal-2022.pdf")
    return description, docs / "veenendaal-2019.pdf", docs / "veenendaal-2022.pdf", factsheet_rows, followup_rows


def test_extractor_pointed_at_a_second_series_finds_the_generators_answers(second_series, tmp_path):
    description, factsheet, followup, factsheet_rows, followup_rows = second_series
    active_before = series()
    options = RunOptions(cache_dir=tmp_path / "cache", series_file=description)
    out = tmp_path / "out"
    summary = api.run([factsheet, followup], out, jobs=1, options=options)
    assert series() is active_before  # the run's series does not outlive the run

    by_name = {r.source_file: r for r in summary.results}
    sheet, later = by_name[factsheet.name], by_name[followup.name]
    assert (sheet.status, sheet.info.kind, sheet.info.gemeente, sheet.info.published, sheet.info.aanpak) == (
        "ok", "factsheet", GEMEENTE, f"{ASSESSED}-11", PROGRAMME), sheet.errors
    assert (later.status, later.info.kind, later.info.gemeente, later.info.aanpak, later.info.aanpak_2013) == (
        "ok", "followup", GEMEENTE, NEW_PROGRAMME, [PROGRAMME]), later.errors
    assert sorted(_extracted(out, sheet.doc_id), key=_key) == sorted(factsheet_rows, key=_key)
    assert sorted(_extracted(out, later.doc_id), key=_key) == sorted(followup_rows, key=_key)
    assert not summary.violations
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    # the finding text opens with the description's canonical marker for its verdict
    assert {(v, text.split()[0]) for v, text in zip(findings.verdict, findings.finding)} == {("pass", "+"),
                                                                                          ("fail", "-")}
    conclusions = pd.read_csv(out / "conclusions.csv", keep_default_na=False)
    assert {(c.theme, c.goes_well, c.could_improve) for c in conclusions.itertuples()} == {
        (theme, good, better) for theme, (good, better) in CONCLUSIONS.items()}
    # every failure of the assessed year is linked to its follow-up year's finding

    links = pd.read_csv(out / "links.csv", keep_default_na=False)
    changes = {"pass": "resolved", "fail": "persists"}
    assert {(r.indicator_id, r.change) for r in links.itertuples()} == {
        (ind, changes[verdict]) for ind, verdict in FOLLOWUP_VERDICTS.items()}


def test_the_same_documents_are_no_stj_documents(second_series, tmp_path):
    """Without the description the extractor does not know the second series: its words come from the description."""
    _, factsheet, followup, _, _ = second_series
    summary = api.run([factsheet, followup], tmp_path / "out", jobs=1,
                      options=RunOptions(cache_dir=tmp_path / "cache"))
    assert all(not r.findings and r.info.kind == "unknown" for r in summary.results)


def test_the_results_cache_key_follows_the_descriptions_content(tmp_path):
    description = write_series(tmp_path)
    options = RunOptions(cache_dir=tmp_path / "cache", series_file=description)
    first = settings_fingerprint(options)
    assert first != settings_fingerprint(RunOptions(cache_dir=tmp_path / "cache"))
    data = json.loads(description.read_text(encoding="utf-8"))
    data["caveat"] = "NOTA BENE"
    description.write_text(json.dumps(data), encoding="utf-8")  # same path, other content
    second = settings_fingerprint(options)
    assert second != first
    (tmp_path / "kader.csv").write_text("theme,criterion,indicator_id,indicator\nA,B,C1,D\n", encoding="utf-8")
    assert settings_fingerprint(options) not in (first, second)  # the framework beside it counts too


def test_a_bad_description_names_the_key(tmp_path):
    description = write_series(tmp_path)
    data = json.loads(description.read_text(encoding="utf-8"))
    data["years"]["followup"] = "later"
    description.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeriesError, match="years.followup"):
        load(description)
    data["years"]["followup"] = FOLLOWUP
    del data["titles"]
    description.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeriesError, match="titles"):
        load(description)


def test_stj_run_series_option_and_environment(second_series, tmp_path, monkeypatch):
    """``stj run --series FILE`` and ``$STJ_SERIES`` select the description as ``RunOptions.series_file`` does."""
    description, factsheet, _, factsheet_rows, _ = second_series
    for how, args in (("option", ["--series", str(description)]), ("environment", [])):
        if how == "environment":
            monkeypatch.setenv("STJ_SERIES", str(description))
        out = tmp_path / how
        result = CliRunner().invoke(main, ["run", str(factsheet), "--out", str(out), "--no-cache", "--jobs", "1",
                                           *args])
        assert result.exit_code == 0, result.output
        findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
        assert sorted(zip(findings.indicator_id, findings.verdict, findings.year)) == sorted(
            (r["indicator_id"], r["verdict"], r["year"]) for r in factsheet_rows)


def _with_markers(folder: Path, **markers) -> Path:
    """The second series' description with its "markers" part changed as given, in ``folder``."""
    folder.mkdir(exist_ok=True)
    description = write_series(folder)
    data = json.loads(description.read_text(encoding="utf-8"))
    data["markers"].update(markers)
    description.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return description


def test_the_ocr_writes_the_descriptions_own_markers(tmp_path, monkeypatch):
    """The pixel classifier decides check or cross; the word it writes is the active description's marker for that
    verdict: its canonical one when the description reads that glyph as the verdict, else its own marker glyph (no
    letter), never STJ's ✓ or X. Whatever is written, the markers stage reads it back as the classifier's verdict."""
    glyph = np.ones((10, 10), bool)
    cases = [
        (None, {"pass": "✓", "fail": "X"}),  # STJ: its canonical markers, as before
        (write_series(tmp_path), {"pass": "✔", "fail": "✘"}),  # canonical "+" and "-" are no markers of the series
        (_with_markers(tmp_path / "swapped", canonical={"pass": "✘", "fail": "✔"}, crosses="✘✔"),
         {"pass": "✔", "fail": "✘"}),  # a canonical glyph the description reads as the other verdict is not taken
        (_with_markers(tmp_path / "letters", canonical={"pass": "☑", "fail": "+"}, checks="✔☑", crosses="xX☒"),
         {"pass": "☑", "fail": "☒"}),  # a cross that is no letter is written before a letter
    ]
    for description, written in cases:
        with using(description):
            assert marks.series_marks().written == written, description
            for label, verdict in (("check", "pass"), ("cross", "fail")):
                monkeypatch.setattr(marks, "classify", lambda _, label=label: GlyphVerdict(label, 0.9))
                assert marks._verdict(glyph, looks_like_marker=True) == (written[verdict], 0.9)
                assert classify_glyph(written[verdict]) == verdict
            assert set(written.values()) <= marks.series_marks().lookalikes  # read as marker lookalikes too


def test_a_drawn_marker_left_of_a_line_becomes_the_series_marker(tmp_path):
    """A check and a cross Tesseract did not read (ink just left of a line's first word), classified from the pixels
    of a made-up page: the words written are the active series' markers."""
    binary = np.zeros((200, 400), np.uint8)
    cv2.line(binary, (30, 42), (38, 52), 255, 3)  # a check, about 24 px high: 8.6 pt at 200 dpi
    cv2.line(binary, (38, 52), (54, 30), 255, 3)
    cv2.line(binary, (30, 110), (50, 130), 255, 3)  # a cross
    cv2.line(binary, (50, 110), (30, 130), 255, 3)
    binary[32:52, 70:140] = 255  # the lines' first words, as ink blocks
    binary[112:132, 70:140] = 255
    binary = binary > 0
    words = [OcrWord("Alle", 70, 32, 70, 20, 95.0, (1, 1, 1), 29.0, 24.0),
             OcrWord("Ouders", 70, 112, 70, 20, 95.0, (1, 1, 2), 109.0, 24.0)]
    for description, written in ((None, ["✓", "X"]), (write_series(tmp_path), ["✔", "✘"])):
        with using(description):
            found = marks.classify_markers([replace(w) for w in words], binary, [], OcrSettings(dpi=200))
        markers = sorted((w for w in found if w.left < 70), key=lambda w: w.top)
        assert [w.text for w in markers] == written, description


def test_the_ocr_cache_key_follows_the_series_markers(tmp_path):
    """An OCR reading holds the series' marker words: a page read under STJ is not served to a series with other
    markers; the rest of a description (its caveat, say) changes no reading and no key."""
    cache, settings = OcrCache(tmp_path / "ocr", "tesseract 5.3.0"), OcrSettings(dpi=200)
    stj = cache.key("ab" * 32, 1, settings)
    description = write_series(tmp_path)
    with using(description):
        second = cache.key("ab" * 32, 1, settings)
    assert second != stj
    data = json.loads(description.read_text(encoding="utf-8"))
    data["caveat"] = "NOTA BENE"
    description.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with using(description):
        assert cache.key("ab" * 32, 1, settings) == second
    with using(_with_markers(tmp_path / "other", canonical={"pass": "✔", "fail": "✗"}, crosses="✘✗")):
        assert cache.key("ab" * 32, 1, settings) not in (stj, second)  # another cross written
    assert cache.key("ab" * 32, 1, settings) == stj


@pytest.mark.slow  # real Tesseract OCR of the factsheet's three pages at 200 dpi
def test_a_200_dpi_scan_of_the_second_series_keeps_every_verdict(second_series, tmp_path):
    """The factsheet printed and scanned at 200 dpi, read by real Tesseract under the second series' description:
    every row with its verdict, caveat, theme and aanpak as the generator wrote it (the bar of
    test_scan_resolutions: verdict accuracy of 0.99, which for eight rows is every one), its markers the
    description's own."""
    description, factsheet, _, factsheet_rows, _ = second_series
    scan = tmp_path / "scans" / "veenendaal-2019-scan.pdf"
    scan.parent.mkdir()
    make_scan(factsheet, scan, 200, seed=11)
    out = tmp_path / "scan-out"
    summary = api.run([scan], out, jobs=2, options=RunOptions(cache_dir=tmp_path / "cache", series_file=description))
    result = summary.results[0]
    assert (result.status, result.info.kind, result.info.gemeente, result.info.aanpak) == (
        "ok", "factsheet", GEMEENTE, PROGRAMME), result.errors
    assert sorted(_extracted(out, result.doc_id), key=_key) == sorted(factsheet_rows, key=_key)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert set(findings.method) == {"ocr"}
    assert {(v, m) for v, m in zip(findings.verdict, findings.marker)} == {("pass", "✔"), ("fail", "✘")}
    assert {(v, text.split()[0]) for v, text in zip(findings.verdict, findings.finding)} == {("pass", "+"),
                                                                                          ("fail", "-")}
