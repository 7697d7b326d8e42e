"""The audit's images at scale: each page rendered once and let go, the queue's order kept, one whole-page image
per page with the card's boxes drawn over it by the page, the column header shown with the crop when findings.csv
says where it is (and nothing broken when it does not), progress on a terminal only. A tiny two-page table typeset
with reportlab stands for a run's documents; findings.csv is written by hand."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from extract.analysis import audit_images as audit
from extract.analysis.audit import build_audit
from extract.analysis.audit_images import HEADER_PAD, MARGIN, RENDER_SCALE, STRIP_BAND
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome
from tests.conftest import ROOT

A4 = (595.0, 842.0)
HEADERS = {"Indicator": (60, 100, 150, 112), "2013 Aanpak": (200, 100, 300, 112), "2014": (380, 100, 420, 112)}
# finding_id: (page, box, header (page, box) or None); the queue interleaves the two documents
ROWS = {
    "near": (1, (200, 230, 360, 260), (1, HEADERS["2013 Aanpak"])),  # the header 130 points above: in the crop
    "far": (1, (380, 600, 540, 630), (1, HEADERS["2014"])),  # 500 points below its header: a strip
    "next": (2, (380, 80, 540, 110), (1, HEADERS["2014"])),  # a table continued on page 2: the header of page 1
    "plain": (2, (200, 300, 360, 330), None),  # header not known
}


def _table_pdf(path: Path) -> Path:
    """Page 1: a header row and two rows; page 2: the table continued, without its header; page 3: prose."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    for name, (x0, top, x1, bottom) in HEADERS.items():
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(x0, height - bottom + 2, name)
    for page in (1, 2):
        for fid, (on, (x0, top, x1, bottom), _) in ROWS.items():
            if on == page:
                pdf.setFont("Helvetica", 10)
                pdf.drawString(x0, height - top - 9, "X")
                pdf.drawString(x0 + 10, height - top - 9, f"finding {fid} on page {page}")
                pdf.drawString(x0, height - top - 21, "continued on a second line")
        pdf.showPage()
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, height - 100, "A page without findings")
    pdf.showPage()
    pdf.save()
    return path


def _output(tmp_path: Path, header_columns: bool = True, gap: bool = False) -> Path:
    """An output folder of two copies of the table (two documents), every row of each a card, queue interleaved;
    with ``gap``, page 3 of the first lost a row (coverage.csv)."""
    out = tmp_path / "out"
    out.mkdir()
    documents, findings = [], []
    for doc in ("doc-a", "doc-b"):
        path = _table_pdf(tmp_path / f"{doc}.pdf")
        documents.append({"doc_id": doc, "source_file": path.name, "path": str(path), "kind": "followup"})
    confidence = 0.1
    for fid, (page, (x0, top, x1, bottom), header) in ROWS.items():
        for doc in ("doc-a", "doc-b"):
            confidence += 0.01  # below the bar, in this order: doc-a near, doc-b near, doc-a far, ...
            row = {"finding_id": f"{doc}-{fid}", "doc_id": doc, "source_file": f"{doc}.pdf", "gemeente": "G",
                   "aanpak": "Aanpak", "year": 2013, "theme": "T", "criterion": "C", "indicator_id": "I01",
                   "indicator": "I", "verdict": "fail", "marker": "X", "caveat": False, "caveat_text": "",
                   "finding": f"X finding {fid}", "page": page, "method": "text", "x0": x0, "top": top, "x1": x1,
                   "bottom": bottom, "marker_x0": x0, "marker_top": top, "marker_x1": x0 + 7, "marker_bottom": top + 10,
                   "indicator_score": 1.0, "alignment_score": 1.0, "marker_confidence": 1.0,
                   "confidence": round(confidence, 2), "ocr_confidence": 1.0}
            if header_columns:
                hp, (hx0, htop, hx1, hbottom) = header or ("", ("", "", "", ""))
                row.update(header_page=hp, header_x0=hx0, header_top=htop, header_x1=hx1, header_bottom=hbottom)
            findings.append(row)
    pd.DataFrame(documents).to_csv(out / "documents.csv", index=False)
    pd.DataFrame(findings).to_csv(out / "findings.csv", index=False)
    if gap:
        pd.DataFrame([{"doc_id": "doc-a", "page": 3, "indicator_cells": 1, "complete": 0, "missing": "I02"}]).to_csv(
            out / "coverage.csv", index=False)
    return out


def _cards(index: Path) -> list[dict]:
    """The cards' records, from the page's JSON block."""
    block = re.search(r'<script type="application/json" id="cards-data">(.*?)</script>', index.read_text(encoding="utf-8"),
                      re.S)
    return json.loads(block.group(1))


def _px(points: float) -> int:
    return int(points * RENDER_SCALE)


def _near(colour, target, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))


def _count(image: Image.Image, target, tolerance=60) -> int:
    """Pixels of ``image`` within ``tolerance`` of colour ``target`` in every channel."""
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(target)) <= tolerance).all(axis=2).sum())


def test_the_crop_shows_the_column_header_when_findings_say_where_it_is(tmp_path):
    out = _output(tmp_path)
    build_audit(out, jobs=1)
    img = out / "audit" / "img"
    sizes = {fid: Image.open(img / f"doc-a-{fid}.jpg").size for fid in ROWS}
    assert all(width == round(A4[0] * RENDER_SCALE) for width, _ in sizes.values())

    # close above on the same page: the crop starts above the header cell, which is boxed (dashed blue)
    near = Image.open(img / "doc-a-near.jpg").convert("RGB")
    start = _px(HEADERS["2013 Aanpak"][1] - HEADER_PAD - 2)
    assert sizes["near"][1] == _px(260 + MARGIN) - start
    header_rows = near.crop((0, 0, near.width, _px(HEADERS["2013 Aanpak"][3]) - start + 8))
    assert _count(header_rows, audit.FINDING_COLOUR) > 50

    # further up, or on an earlier page: a strip of the header row, a band saying where it is, then the crop
    strip = _px(112 + HEADER_PAD) - _px(100 - HEADER_PAD)
    assert sizes["far"][1] == strip + STRIP_BAND + _px(630 + MARGIN) - _px(600 - MARGIN)
    assert sizes["next"][1] == strip + STRIP_BAND + _px(110 + MARGIN) - _px(80 - MARGIN)
    for fid in ("far", "next"):
        image = Image.open(img / f"doc-a-{fid}.jpg").convert("RGB")
        assert _near(image.getpixel((image.width - 5, strip + STRIP_BAND // 2)), (228, 230, 236), 12)
        x0, _, x1, _ = HEADERS["2014"]  # the header's words are in the strip, over the finding's column
        words = image.crop((_px(x0), 0, _px(x1), strip))
        assert _count(words, (0, 0, 0), 70) > 30

    # not known: the crop as it always was
    assert sizes["plain"][1] == _px(330 + MARGIN) - _px(300 - MARGIN)


def test_an_output_folder_without_the_header_columns_gets_plain_crops(tmp_path):
    out = _output(tmp_path, header_columns=False)
    assert "header_page" not in pd.read_csv(out / "findings.csv").columns
    build_audit(out, jobs=1)
    for fid, (_, (x0, top, x1, bottom), _) in ROWS.items():
        size = Image.open(out / "audit" / "img" / f"doc-b-{fid}.jpg").size
        assert size[1] == _px(bottom + MARGIN) - _px(max(0, top - MARGIN)), fid
    assert not any("header" in card["page_boxes"] for card in _cards(out / "audit" / "index.html"))


def test_each_page_is_rendered_once_and_let_go(tmp_path, monkeypatch):
    out = _output(tmp_path, gap=True)
    rendered, alive = [], []
    real = audit.render_page

    def render_page(pdf, path, number, *args, **kwargs):
        gc.collect()
        assert not any(ref() for ref in alive), "an earlier page is still held while the next one is rendered"
        rendered.append((Path(path).name, number))
        image, small = real(pdf, path, number, *args, **kwargs)
        alive.extend(weakref.ref(i) for i in (image, small) if i is not None)
        return image, small

    monkeypatch.setattr(audit, "render_page", render_page)
    index = build_audit(out, jobs=1)
    assert sorted(rendered) == sorted(set(rendered)) == [
        ("doc-a.pdf", 1), ("doc-a.pdf", 2), ("doc-a.pdf", 3), ("doc-b.pdf", 1), ("doc-b.pdf", 2)]
    # grouping is for rendering only: the cards keep the queue's order, which interleaves the documents
    queue = pd.read_csv(out / "audit" / "queue.csv", keep_default_na=False)
    cards = _cards(index)
    assert cards[0]["gap"] and cards[0]["image"] == "img/pages/gap-doc-a-3.jpg"
    assert Image.open(out / "audit" / cards[0]["image"]).width == round(A4[0] * RENDER_SCALE)
    assert [c["finding_id"] for c in cards[1:]] == list(queue.finding_id)
    assert list(queue.finding_id[:2]) == ["doc-a-near", "doc-b-near"]


def test_one_whole_page_image_per_page_and_the_boxes_as_shares_of_it(tmp_path):
    out = _output(tmp_path)
    cards = {c["finding_id"]: c for c in _cards(build_audit(out, jobs=1))}
    pages = sorted(p.name for p in (out / "audit" / "img" / "pages").iterdir())
    assert pages == [f"{d}-{p}.jpg" for d in ("doc-a", "doc-b") for p in (1, 2)]
    assert {cards[f"doc-a-{fid}"]["page_image"] for fid in ("near", "far")} == {"img/pages/doc-a-1.jpg"}
    assert Image.open(out / "audit" / "img" / "pages" / "doc-a-1.jpg").width == audit.PAGE_WIDTH
    near = cards["doc-a-near"]["page_boxes"]
    assert near["finding"] == pytest.approx([200 / A4[0], 230 / A4[1], 360 / A4[0], 260 / A4[1]], abs=1e-3)
    assert near["marker"] == pytest.approx([200 / A4[0], 230 / A4[1], 207 / A4[0], 240 / A4[1]], abs=1e-3)
    assert near["header"] == pytest.approx([200 / A4[0], 100 / A4[1], 300 / A4[0], 112 / A4[1]], abs=1e-3)
    assert "header" not in cards["doc-a-next"]["page_boxes"]  # its header is on another page


def test_two_processes_make_the_same_audit(tmp_path):
    out = _output(tmp_path)
    serial = _cards(build_audit(out, jobs=1))
    files = sorted(str(p.relative_to(out / "audit")) for p in (out / "audit").rglob("*.jpg"))
    calls = []
    parallel = _cards(build_audit(out, jobs=2, progress=lambda *counts: calls.append(counts)))
    assert parallel == serial
    assert sorted(str(p.relative_to(out / "audit")) for p in (out / "audit").rglob("*.jpg")) == files
    assert calls[0] == (0, 8, 0, 4) and calls[-1] == (8, 8, 4, 4)  # cards and pages, per document done
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_no_progress_off_a_terminal(tmp_path):
    from click.testing import CliRunner

    from extract.cli import main

    out = _output(tmp_path)
    result = CliRunner().invoke(main, ["audit", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and "wrote" in result.stdout


@pytest.mark.slow  # a subprocess on a pseudo-terminal
def test_progress_on_a_terminal(tmp_path):
    import pty

    out = _output(tmp_path)
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "audit", str(out)], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=follower, env=env, cwd=ROOT, timeout=120)
    os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 4096):
            shown += chunk
    except OSError:  # the terminal is closed
        pass
    os.close(leader)
    assert proc.returncode == 0
    assert b"rendering" in shown and b"8/8" in shown and b"4/4 pages" in shown


@pytest.mark.slow  # a headless browser
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are installed by setup.sh")
def test_the_whole_page_opens_with_the_cards_boxes_drawn_over_it(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    out = _output(tmp_path)
    index = build_audit(out, jobs=1)
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        card = driver.find_element(By.CSS_SELECTOR, ".card[data-id='doc-a-near']")
        link = card.find_element(By.CSS_SELECTOR, "a.whole-page")
        assert link.text == "whole page" and link.get_attribute("aria-haspopup") == "dialog"
        link.click()
        view = driver.find_element(By.ID, "page-view")
        assert view.is_displayed() and view.get_attribute("role") == "dialog"
        assert driver.switch_to.active_element.get_attribute("id") == "close-page-view"
        driver.execute_script("return new Promise(r => { const i = document.querySelector('#page-view img');"
                              " i.complete ? r() : i.onload = r; })")
        image = view.find_element(By.CSS_SELECTOR, "figure img")
        assert image.get_attribute("naturalWidth") == str(audit.PAGE_WIDTH) and image.get_attribute("alt")
        frame = image.rect
        boxes = {b.get_attribute("class").split()[1]: b.rect for b in view.find_elements(By.CSS_SELECTOR, ".box")}
        assert set(boxes) == {"finding", "marker", "header"}
        finding = boxes["finding"]  # drawn 4 px outside the finding's box, at its place on the page
        assert abs(finding["x"] + 4 - (frame["x"] + frame["width"] * 200 / A4[0])) < 2
        assert abs(finding["y"] + 4 - (frame["y"] + frame["height"] * 230 / A4[1])) < 2
        assert abs(finding["width"] - 8 - frame["width"] * 160 / A4[0]) < 2
        driver.switch_to.active_element.send_keys("a")  # the review's keys rest while the page is open
        assert card.find_element(By.CSS_SELECTOR, ".status").text == "not reviewed"
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        assert not view.is_displayed()
        assert driver.switch_to.active_element == link  # focus back where it was
    finally:
        driver.quit()
