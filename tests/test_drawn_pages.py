"""Pages drawn, not written: a factsheet printed with its fonts turned into curves (outlined text) has no text layer
and no image. Such a page is rendered and read by OCR like a scan (``read.source.decide_source``).

The outlined copies are made here, offline, from the born-digital sample: poppler's ``pdftocairo -svg`` writes each
page's glyphs as outline paths, and cairosvg prints the SVG back to PDF as drawing only."""

from __future__ import annotations

import logging
import shutil
import statistics
import subprocess
from pathlib import Path

import pandas as pd
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest

from extract import api
from extract.analysis.evaluate import compare, load_gold
from extract.core.records import Page, Rule, Word
from extract.core.settings import RunOptions
from extract.core.stages import ReadSettings
from extract.read.source import PageFacts, curved_paths, decide_source, facts_of_page, quick_facts
from tests.conftest import GOLD, SAMPLES

SAMPLE = SAMPLES / "haarlemmermeer-2013.pdf"
KEPT = 4  # the introduction (gemeente, aanpak) and the first findings tables: OCR of four pages only

needs_tools = pytest.mark.skipif(shutil.which("pdftocairo") is None, reason="poppler-utils (pdftocairo) missing")


def born_digital_copy(out: Path, pages: int = KEPT) -> Path:
    """The sample's first ``pages`` pages, as they are (text layer and all)."""
    with pikepdf.open(SAMPLE) as src:
        del src.pages[pages:]
        src.save(out)
    return out


def outlined_copy(out: Path, pages: range = range(1, KEPT + 1)) -> Path:
    """The sample's ``pages`` with every glyph drawn as a curve: no text layer, no image."""
    cairosvg = pytest.importorskip("cairosvg")
    work = out.parent / f"{out.stem}-pages"
    work.mkdir(exist_ok=True)
    parts = []
    for number in pages:
        svg = work / f"{number}.svg"
        subprocess.run(["pdftocairo", "-svg", "-f", str(number), "-l", str(number), str(SAMPLE), str(svg)],
                       check=True, capture_output=True, timeout=60)
        parts.append(work / f"{number}.pdf")
        cairosvg.svg2pdf(url=str(svg), write_to=str(parts[-1]))
    sources = [pikepdf.open(part) for part in parts]  # open until the copy is saved: its pages refer to them
    try:
        with pikepdf.new() as pdf:
            for one in sources:
                pdf.pages.extend(one.pages)
            pdf.save(out)
    finally:
        for one in sources:
            one.close()
    return out


@pytest.fixture(scope="module")
def outlined(tmp_path_factory) -> Path:
    """The sample's first KEPT pages, outlined."""
    if shutil.which("pdftocairo") is None:
        pytest.skip("poppler-utils (pdftocairo) missing")
    return outlined_copy(tmp_path_factory.mktemp("drawn") / "haarlemmermeer-2013-outlined.pdf")


@pytest.fixture(scope="module")
def outlined_table(tmp_path_factory) -> Path:
    """The sample's page 3 (a findings table, with its rules), outlined: one page, quick to make."""
    if shutil.which("pdftocairo") is None:
        pytest.skip("poppler-utils (pdftocairo) missing")
    return outlined_copy(tmp_path_factory.mktemp("drawn") / "page3-outlined.pdf", range(3, 4))


# ---------------------------------------------------------------- the decision, on page facts


def test_drawn_page_is_ocr():
    drawn = PageFacts(chars=0, unmapped=0, words=0, has_images=False, curves=ReadSettings().min_curves)
    assert decide_source(drawn) == "ocr"


def test_born_digital_page_with_table_rules_is_text():
    # table rules and cell shading are straight paths: they are never counted as curves, and the text decides
    assert decide_source(PageFacts(chars=2500, unmapped=0, words=400, has_images=False, curves=0)) == "text"
    # a text layer wins even over a page that also draws curves (a logo, a chart)
    assert decide_source(PageFacts(chars=2500, unmapped=0, words=400, has_images=False, curves=900)) == "text"


def test_empty_page_is_text():
    assert decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=False, curves=0)) == "text"
    # a few curves (a logo on a blank page) are not text drawn as outlines
    few = ReadSettings().min_curves - 1
    assert decide_source(PageFacts(chars=3, unmapped=0, words=1, has_images=False, curves=few)) == "text"


def test_min_curves_is_a_setting():
    drawn = PageFacts(chars=0, unmapped=0, words=0, has_images=False, curves=20)
    assert decide_source(drawn, settings=ReadSettings(min_curves=20)) == "ocr"
    assert decide_source(drawn, settings=ReadSettings(min_curves=21)) == "text"


def test_drawn_page_logs_why(caplog):
    with caplog.at_level(logging.INFO, logger="extract.read.source"):
        decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=False, curves=500), 3)
    assert "page 3: ocr" in caplog.text and "text drawn as outlines" in caplog.text


# ---------------------------------------------------------------- page facts of real files


@needs_tools
def test_outlined_copy_has_no_text_layer_and_no_image(outlined_table):
    with pdfplumber.open(outlined_table) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert page.chars == [] and page.images == []
    with pdfium.PdfDocument(str(outlined_table)) as pdf:
        assert curved_paths(pdf[0], 10_000) > 1000  # the glyphs, drawn


@needs_tools
def test_quick_facts_send_drawn_pages_to_ocr(outlined_table, tmp_path):
    settings = ReadSettings()
    [drawn] = quick_facts(outlined_table, settings=settings)
    assert decide_source(drawn, 1) == "ocr"
    assert drawn.curves >= settings.min_curves and drawn.native_dpi == 0  # no image: rendered at OCR's own dpi
    written = quick_facts(born_digital_copy(tmp_path / "born.pdf"))
    assert [decide_source(f, n) for n, f in enumerate(written, 1)] == ["text"] * KEPT
    assert all(f.curves == 0 for f in written)  # not even counted where the text layer decides


@needs_tools
def test_facts_of_page_counts_curves_only_where_needed(outlined_table):
    empty = Page(number=1, width=595, height=842)  # what pdfplumber reads on a drawn page: no words
    assert facts_of_page(empty, False, outlined_table).curves >= ReadSettings().min_curves
    assert facts_of_page(empty, False).curves == 0  # without the file, nothing to count
    words = [Word(text="woord" * 2, x0=0, x1=10, top=0, bottom=10, page=1)] * 10
    ruled = Page(number=1, width=595, height=842, words=words, rules=[Rule(0, 100, 500, 100, 1)])
    assert facts_of_page(ruled, False, outlined_table).curves == 0


@needs_tools
def test_table_rules_are_not_curves(tmp_path):
    with pdfium.PdfDocument(str(born_digital_copy(tmp_path / "born.pdf"))) as pdf:
        assert all(curved_paths(pdf[i], 10_000) == 0 for i in range(len(pdf)))


# ---------------------------------------------------------------- end to end, real Tesseract


@pytest.mark.slow  # real Tesseract on four pages
@needs_tools
def test_outlined_pages_give_the_gold_rows(outlined, tmp_path):
    born = born_digital_copy(tmp_path / "haarlemmermeer-2013-born.pdf")
    out = tmp_path / "out"
    summary = api.run([born, outlined], out, jobs=2, options=RunOptions(cache_dir=tmp_path / "cache"))
    assert summary is not None
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    drawn, written = documents.loc[outlined.name], documents.loc[born.name]
    # the same document as the born-digital copy (partial both: the indicators of the pages left out are missing)
    assert (drawn.status, drawn.kind, drawn.gemeente, drawn.aanpak) == (
        written.status, written.kind, written.gemeente, written.aanpak), drawn.error
    assert drawn.error == written.error
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    kept = set(findings[findings.source_file == born.name].indicator_id)  # the indicators of the kept pages
    assert kept
    gold = [row for row in load_gold(GOLD / "haarlemmermeer-2013.json")["findings"] if row["indicator_id"] in kept]
    rows = findings[findings.source_file == outlined.name]
    assert set(rows.method) == {"ocr"}
    score = compare(gold, rows.to_dict("records"), strict_text=False)
    assert score.f1 >= 0.98, score.differences
    assert score.verdict_ok == score.matched == len(gold)
    assert statistics.mean(score.text_similarity) >= 0.95
