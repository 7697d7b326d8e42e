"""Clean text: no text column holds a glyph code the text layer left unmapped ("(cid:127)"), a bullet the font tells
is mapped, and sentences end at headings and list items. Every PDF, line and sentence here is made up."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from extract.core.records import DocumentContext, Line
from extract.core.text import drop_unmapped
from extract.document.markers import classify_glyph, split_marker
from extract.facts.context import context_facts, respondents
from extract.output.dataset import clean_row
from extract.read.glyphs import encoding_bullets, resolve_glyphs
from extract.read.pdf import read_pdf
from extract.run.pipeline import document_lines
from extract.series.prose import list_item, sentences, sentences_by_page
from tests.builders import text_pdf, word, words

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
HELVETICA_BOLD = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
# a code the encoding names a glyph pdfminer does not know: left unmapped, and not a bullet by the encoding
NAMED_127 = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding "
             b"/WinAnsiEncoding /Differences [127 /g127] >> >>")
WINGDINGS = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Wingdings-Regular /FontDescriptor << /Type "
             b"/FontDescriptor /FontName /ABCDEF+Wingdings-Regular /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
             b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>")


# ---------------------------------------------------------------- the glyphs a font tells


def test_winansi_codes_it_leaves_unused_are_bullets():
    assert encoding_bullets({"Subtype": _name("Type1"), "Encoding": _name("WinAnsiEncoding")}) == {
        0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D}
    named = {"Subtype": _name("TrueType"), "Encoding": {"BaseEncoding": _name("WinAnsiEncoding"),
                                                        "Differences": [127, _name("g127"), _name("g128"), 141,
                                                                        _name("x")]}}
    assert encoding_bullets(named) == {0x81, 0x8F, 0x90, 0x9D}  # 127, 128 and 141 are named otherwise


@pytest.mark.parametrize("spec", [
    {"Subtype": "Type1", "Encoding": "MacRomanEncoding"},
    {"Subtype": "Type1"},
    {"Subtype": "Type0", "Encoding": "WinAnsiEncoding"},
    {"Subtype": "Type3", "Encoding": "WinAnsiEncoding"},
    {"Subtype": "Type1", "BaseFont": "ZapfDingbats", "Encoding": "WinAnsiEncoding"},
    {"Subtype": "TrueType", "Encoding": "WinAnsiEncoding", "FontDescriptor": {"Flags": 4}},  # symbolic
])
def test_no_bullet_from_other_encodings_or_symbolic_fonts(spec):
    spec = {key: _name(value) if isinstance(value, str) else value for key, value in spec.items()}
    assert encoding_bullets(spec) == frozenset()


def test_resolve_glyphs_by_encoding_and_by_the_series_symbol_fonts():
    assert resolve_glyphs("(cid:127)", "Helvetica", frozenset({127})) == "•"
    assert resolve_glyphs("(cid:127)Gezin", "Helvetica", frozenset({127})) == "•Gezin"
    assert resolve_glyphs("(cid:130)", "Helvetica", frozenset({127})) == "(cid:130)"  # unknown: left for later
    assert resolve_glyphs("(cid:216)", "ABCDEF+Wingdings-Regular") == "➢"
    assert resolve_glyphs("§", "Wingdings") == "▪" and resolve_glyphs("\uf0a7", "Wingdings") == "▪"
    assert resolve_glyphs("\uf0b7", "SymbolMT") == "•"
    assert resolve_glyphs("ü", "Wingdings") == "ü"  # a check mark: the markers' business
    assert resolve_glyphs("§", "Arial") == "§"  # a letter font's character is itself


def test_drop_unmapped():
    assert drop_unmapped("(cid:127) Toeleiding: gezinnen") == "Toeleiding: gezinnen"
    assert drop_unmapped("de aanpak (cid:3) (cid:4) is") == "de aanpak is"
    assert drop_unmapped("ge(cid:12)zin") == "gezin"
    assert drop_unmapped("geen code (cid: 12)") == "geen code (cid: 12)"
    assert clean_row({"a": "x (cid:9) y", "b": 3, "c": None}) == {"a": "x y", "b": 3, "c": None}


def test_a_symbol_fonts_unmapped_code_is_read_as_its_character():
    assert classify_glyph("(cid:214)", "Symbol") == "pass"  # the radical (√) of Symbol
    split = split_marker([word("(cid:214)", 300, 100, font="Symbol"), *words("De gemeente", 320, 100)])
    assert (split.marker.glyph, split.marker.verdict) == ("Ö", "pass")
    unreadable = split_marker([word("(cid:52)", 300, 100, font="Wingdings"), *words("De gemeente", 320, 100)])
    assert unreadable.marker.verdict == "" and unreadable.rest[0].text == "De"


def test_the_bullets_section_is_checked_and_may_be_left_out(tmp_path):
    import json
    import shutil

    from extract.series.description import SeriesError, load
    from tests.conftest import ROOT

    shutil.copy(ROOT / "models" / "toetsingskader.csv", tmp_path / "toetsingskader.csv")
    data = json.loads((ROOT / "models" / "stj_series.json").read_text(encoding="utf-8"))
    description = tmp_path / "series.json"
    data["bullets"]["symbol_fonts"]["wingdings"] = {"l": "●"}
    description.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeriesError, match="bullets.symbol_fonts.wingdings"):
        load(description)
    data["bullets"]["symbol_fonts"]["wingdings"] = {"108": "●"}
    data["bullets"]["ocr"] = "* e"
    description.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeriesError, match="bullets.ocr"):
        load(description)
    del data["bullets"]
    description.write_text(json.dumps(data), encoding="utf-8")
    assert load(description).list_bullets == frozenset() and load(description).bullet_fonts == {}


# ---------------------------------------------------------------- made-up PDFs


def _prose_pdf(path: Path, bullet_font: bytes, bullet: bytes) -> Path:
    """A paragraph, a bold heading in larger type, a paragraph that introduces a list of three items (the bullet
    shown in ``bullet_font``, the second item wrapped under its text), a heading, and a closing paragraph."""
    runs, top = [], 80.0

    def row(font: str, points: float, x: float, text: bytes, step: float = 12.5) -> None:
        nonlocal top
        runs.append((font, points, x, top, text))
        top += step

    row("F1", 9.5, 60, b"Westerbroek telt ruim 31.000 inwoners en de gemeente werkt met vier wijkteams die")
    row("F1", 9.5, 60, b"samen de zorg regelen", 22)
    row("F2", 13, 60, b"Aanpak en bereik", 20)
    row("F1", 9.5, 60, b"De wijkteams richten zich op drie groepen:", 18)
    for text, more in ((b"Gezinnen met schulden", None), (b"Gezinnen met een kind dat niet naar school gaat en",
                                                           b"ouders zonder werk"), (b"Nieuwe inwoners", None)):
        runs.append(("F3", 9.5, 60, top, bullet))
        row("F1", 9.5, 74, text, 12.5 if more else 17)
        if more:
            row("F1", 9.5, 74, more, 17)
    row("F2", 13, 60, b"Ontwikkeling 2014", 20)
    row("F1", 9.5, 60, b"Op 4 november 2014 heeft de gemeente in een gesprek met STJ de voortgang besproken.")
    path.write_bytes(text_pdf(runs, {"F1": HELVETICA, "F2": HELVETICA_BOLD, "F3": bullet_font}))
    return path


EXPECTED = [
    "Westerbroek telt ruim 31.000 inwoners en de gemeente werkt met vier wijkteams die samen de zorg regelen",
    "Aanpak en bereik",
    "De wijkteams richten zich op drie groepen:",
    "Gezinnen met schulden",
    "Gezinnen met een kind dat niet naar school gaat en ouders zonder werk",
    "Nieuwe inwoners",
    "Ontwikkeling 2014",
    "Op 4 november 2014 heeft de gemeente in een gesprek met STJ de voortgang besproken.",
]


@pytest.mark.parametrize("font,bullet,read_as", [
    (HELVETICA, b"\x7f", "•"),  # a code WinAnsiEncoding leaves unused: drawn as the bullet, mapped
    (HELVETICA, b"\x9d", "•"),
    (HELVETICA, b"\x95", "•"),  # WinAnsi's own bullet, for comparison
    (NAMED_127, b"\x7f", "(cid:127)"),  # named a glyph nobody knows: stays unmapped, yet opens a list item
    (WINGDINGS, b"\xa7", "▪"),  # the series' Wingdings bullets
    (WINGDINGS, b"\xd8", "➢"),
])
def test_a_made_up_list_with_headings(tmp_path, font, bullet, read_as):
    source = read_pdf(_prose_pdf(tmp_path / "lijst.pdf", font, bullet))
    bullets = [w.text for w in source.pages[0].words if w.x0 < 70 and w.size < 10 and len(w.text) > 0
               and not w.text[0].isalnum()]
    assert bullets == [read_as] * 3
    found = sentences(document_lines(source))
    assert [s.text for s in found] == EXPECTED
    facts = context_facts(DocumentContext("doc", "lijst.pdf", "Westerbroek"), document_lines(source))
    assert {f.fact: f.sentence for f in facts} == {"inwoners": EXPECTED[0], "gesprek_datum": EXPECTED[-1]}


def test_two_fonts_of_one_name_that_disagree_map_nothing(tmp_path):
    """Two font dictionaries named Helvetica, one of which names code 127: which drew a (cid:127) cannot be told."""
    path = tmp_path / "twee.pdf"
    path.write_bytes(text_pdf([("F1", 10, 60, 80, b"\x7f Eerste"), ("F2", 10, 60, 100, b"\x7f Tweede")],
                              {"F1": HELVETICA, "F2": NAMED_127}))
    assert [w.text for w in read_pdf(path).pages[0].words if w.x0 < 62] == ["(cid:127)", "(cid:127)"]


def test_respondents_under_made_up_bullets(tmp_path):
    runs = [("F1", 9.5, 60, 80, b"De vragenlijst is ingevuld door:")]
    for index, name in enumerate((b"GGD Lindendaal", b"MEE Westerbroek")):
        runs += [("F3", 9.5, 60, 97 + 17 * index, b"\x7f"), ("F1", 9.5, 74, 97 + 17 * index, name)]
    path = tmp_path / "respondenten.pdf"
    path.write_bytes(text_pdf(runs, {"F1": HELVETICA, "F3": NAMED_127}))
    found = respondents(DocumentContext("doc", "r.pdf", "Lindendaal"), document_lines(read_pdf(path)))
    assert [o.name for o in found] == ["GGD Lindendaal", "MEE Westerbroek"]
    assert all("(cid:" not in o.sentence for o in found)


# ---------------------------------------------------------------- sentences from lines


def _line(text: str, x0: float, top: float, size: float = 9.0, font: str = "LiberationSans",
          confidence: float = 1.0) -> Line:
    return Line([replace(w, size=size, bottom=w.top + size, confidence=confidence)
                 for w in words(text, x0, top, font=font, size=size)])


def _texts(lines: list[Line]) -> list[str]:
    return [text for _, text in sentences_by_page(lines)]


def test_a_bold_heading_in_body_size_ends_the_sentence_before_it():
    lines = [_line("De gemeente telt 12.000 inwoners en werkt met een wijkteam", 60, 100),
             _line("Werkwijze", 60, 112, font="Arial-BoldMT"),
             _line("Het wijkteam bezoekt elk gezin thuis.", 60, 124)]
    assert _texts(lines) == ["De gemeente telt 12.000 inwoners en werkt met een wijkteam", "Werkwijze",
                             "Het wijkteam bezoekt elk gezin thuis."]


def test_a_bold_paragraph_is_no_heading():
    lines = [_line("De gemeente telt 12.000 inwoners en werkt sinds vorig jaar met twee wijkteams in de", 60, 88),
             _line("oude kern en in de nieuwe wijken aan de rand van de stad.", 60, 100),
             _line("Het wijkteam bezoekt elk gezin thuis en bespreekt met", 60, 112, font="Arial-BoldMT"),
             _line("Ouders en kinderen wat nodig is, elke week opnieuw", 60, 124, font="Arial-BoldMT"),
             _line("zodat niemand buiten beeld raakt.", 60, 136, font="Arial-BoldMT"),
             _line("De gemeente is over deze werkwijze tevreden en wil haar in de komende jaren behouden.", 60, 148)]
    assert _texts(lines)[1] == ("Het wijkteam bezoekt elk gezin thuis en bespreekt met Ouders en kinderen wat nodig "
                                "is, elke week opnieuw zodat niemand buiten beeld raakt.")


def test_a_short_line_between_sentences_is_a_heading():
    lines = [_line("Het wijkteam bezoekt elk gezin thuis en bespreekt wat er nodig is voor de kinderen.", 60, 100),
             _line("Resultaten 2014", 60, 112),
             _line("In 2014 zijn 40 gezinnen geholpen door het wijkteam van de gemeente en haar partners.", 60, 124)]
    assert _texts(lines)[1:] == [
        "Resultaten 2014", "In 2014 zijn 40 gezinnen geholpen door het wijkteam van de gemeente en haar partners."]


def test_a_sentence_wrapped_over_a_gap_goes_on():
    """A scan may set a line of a sentence apart; a line opening in lower case after one without final punctuation
    continues the sentence."""
    lines = [_line("In de aanpak liggen volgens de gemeente", 60, 100, size=11),
             _line("verschillende visies ten grondslag.", 80, 122, size=9.5)]
    assert _texts(lines) == ["In de aanpak liggen volgens de gemeente verschillende visies ten grondslag."]


def test_list_items_with_hanging_indent_end_at_the_margin():
    lines = [_line("De vijf thema's zijn:", 60, 100),
             _line("• Toeleiding: gezinnen zijn in beeld", 60, 117),
             _line("(cid:7) Samenwerking: er moet goede samenwerking zijn tussen de instanties", 60, 134),
             _line("die bij een gezin betrokken zijn", 96, 146),
             _line("Daarna volgt de uitwerking per thema.", 60, 163)]
    assert _texts(lines) == ["De vijf thema's zijn:", "Toeleiding: gezinnen zijn in beeld",
                             "Samenwerking: er moet goede samenwerking zijn tussen de instanties die bij een gezin "
                             "betrokken zijn", "Daarna volgt de uitwerking per thema."]


def test_dashes_and_numbers_open_items_only_before_a_capital():
    lines = [_line("Er zijn twee visies:", 60, 100),
             _line("- De problemen hangen samen", 60, 112),
             _line("1. Een plan helpt bij het kiezen", 60, 124),
             _line("Het gezin kent een historie van", 60, 136),
             _line("– vastgelopen – trajecten.", 60, 148)]
    assert _texts(lines) == ["Er zijn twee visies:", "De problemen hangen samen", "1. Een plan helpt bij het kiezen",
                             "Het gezin kent een historie van – vastgelopen – trajecten."]


@pytest.mark.parametrize("bullet", ["e", "«", "°", "*", "•"])
def test_ocr_readings_of_a_bullet_open_items_on_a_scan_only(bullet):
    scan = [_line("De thema's zijn:", 60, 100, confidence=0.9),
            _line(f"{bullet} Toeleiding: gezinnen zijn in beeld", 60, 117, confidence=0.9),
            _line(f"{bullet} Samenwerking: partners werken samen", 60, 134, confidence=0.9)]
    assert _texts(scan) == ["De thema's zijn:", "Toeleiding: gezinnen zijn in beeld",
                            "Samenwerking: partners werken samen"]
    glued = [_line("De thema's zijn:", 60, 100, confidence=0.9),
             _line("*_Toeleiding: gezinnen zijn in beeld", 60, 117, confidence=0.9)]
    assert _texts(glued) == ["De thema's zijn:", "Toeleiding: gezinnen zijn in beeld"]


def test_a_letter_opening_a_text_layer_line_is_no_bullet():
    assert list_item(_line("e Toeleiding: gezinnen zijn in beeld", 60, 117)) is None
    assert list_item(_line("e Toeleiding", 60, 117, confidence=0.9)) is not None
    assert list_item(_line("Een gezin", 60, 117, confidence=0.9)) is None


def test_the_topic_of_a_figure_may_stand_in_its_caption():
    """A figure's caption is no part of the sentence under it, but names the sentence's topic."""
    from extract.facts.report import national_figures

    lines = [_line("De gemeenten maken afspraken over de zorg.", 60, 100, size=11),
             _line("Figuur 10: Afspraken over nazorg", 80, 122, size=9.2),
             _line("Binnen 18 aanpakken (60%) zijn afspraken gemaakt over de wijze waarop het gezin", 60, 144, size=11),
             _line("in beeld blijft.", 60, 158, size=11)]
    found = sentences(lines)
    assert [s.text for s in found][1:] == ["Figuur 10: Afspraken over nazorg", "Binnen 18 aanpakken (60%) zijn "
                                           "afspraken gemaakt over de wijze waarop het gezin in beeld blijft."]
    figure, = national_figures(DocumentContext("doc", "r.pdf", ""), lines)
    assert (figure.n, figure.percent, figure.topic, figure.indicator_id) == (18, 60, "nazorg", "I30")
    assert figure.sentence == found[-1].text


# ---------------------------------------------------------------- the samples' run


def test_no_text_column_of_any_table_holds_a_glyph_code(born_digital_run):
    _, out = born_digital_run
    checked = 0
    for table in sorted(out.glob("*.csv")):
        data = pd.read_csv(table, dtype=str, keep_default_na=False)
        for column in data.columns:
            held = data[column][data[column].str.contains("(cid:", regex=False)]
            assert held.empty, f"{table.name}.{column}: {held.iloc[0][:120]!r}"
            checked += 1
    assert checked > 50


def _joins(pdf: Path) -> set[str]:
    """Read with pdfplumber alone: where a heading or a list item meets the line before or after it, as text run
    together would read there ("… zijn: Toeleiding: gezinnen …", "Ontwikkeling 2014 Op 20 november …"): the last
    three words of one line and the first three of the next. A heading is a line set larger than the page's body
    type, a list item a line opening with a glyph that is no letter or digit (itself left out)."""
    joins = set()
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = page.extract_text_lines(return_chars=True)
            sizes = sorted(c["size"] for line in lines for c in line["chars"])
            body = sizes[len(sizes) // 2]
            texts = [" ".join(line["text"].split()) for line in lines]
            for index, (line, text) in enumerate(zip(lines, texts)):
                head = text.split()
                item = head[0] == "•" or head[0].startswith("(cid:")
                heading = min(c["size"] for c in line["chars"] if c["text"].strip()) > 1.2 * body
                if item:
                    head = head[1:]
                if (item or heading) and index:
                    joins.add(" ".join(texts[index - 1].split()[-3:] + head[:3]))
                if heading and index + 1 < len(lines):
                    joins.add(" ".join(head[-3:] + texts[index + 1].split()[:3]))
    return joins


def test_no_context_sentence_runs_over_a_heading_or_a_list_item(born_digital_run):
    """Every context sentence of the samples' run, against the places pdfplumber's own lines show a heading or a
    list item meeting other text (glyph codes and bullets set aside, as a reader skips them)."""
    from tests.conftest import SAMPLES

    _, out = born_digital_run
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    context = pd.read_csv(out / "context.csv", dtype=str, keep_default_na=False)
    checked = 0
    for doc in documents.itertuples():
        joins = _joins(SAMPLES / doc.source_file)
        assert any("Ontwikkeling 2014" in j or "Context" in j for j in joins)
        for sentence in context[context.doc_id == doc.doc_id].sentence:
            read = " ".join(drop_unmapped(sentence).replace("•", " ").split())
            assert not [j for j in joins if j in read], read
            checked += 1
    assert checked >= 5


def _name(value: str):
    from pdfminer.psparser import LIT

    return LIT(value)
