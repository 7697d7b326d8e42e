"""Audit: a static review page over a run's findings, every card showing the row beside the page it came from.

``build_audit(out)`` writes ``out/audit/index.html`` and, in ``out/audit/img/``, the images ``audit_images`` makes:
a JPEG crop per card of the finding's page region with its boxes drawn (the finding's blue, its marker's red, and
its column header's when findings.csv says where it is), and one smaller JPEG per page, shared by the page's cards,
over which the review page draws a card's boxes when it opens its whole page. Cards: first the rows two
reviewers disagree on (``corrections.conflicted_findings``), then one per page that lost
rows (``coverage.csv``: indicator cells that gave no finding; the whole page, naming the indicators) and the rows on
those pages, then every row below a confidence threshold (lowest first), then a seeded random order of all the others (the
random part, a fair sample for the error estimate of ``accuracy.py``; the queue is kept in ``out/audit/queue.csv``). The page filters by document,
kind, method, verdict and confidence, over the cards' data (a JSON block in the page), and shows the result a page
of cards at a time (only those cards are in the DOM, their pictures loaded lazily), so that 10,000 cards open and
filter at once (``benchmarks/bench_audit_page.py``); a reviewer marks rows right or wrong, corrects fields, and exports
``review.csv`` (finding_id, field, value, reviewer, note), which ``stj run --corrections review.csv`` applies.
The page saves the reviewer's work in the browser as it is done (keyed by the run's id, ``review_state.run_id``);
``resume`` (an earlier sitting's review.csv, read by ``review_state.read_resume``) is embedded as its initial state,
its rows added as cards when not among them, and the lines that could not be restored listed on the page.
The editable fields are validated in the page as they are typed, against the dataset's own schema
(``datapackage.json``: types and enums, read by ``field_rules``). No server: the folder is static files. Boxes are in the page's own frame (those of scans read deskewed or turned
upright are turned back into it), so they are drawn straight onto the page as rendered.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from extract.analysis.audit_images import DocumentJob, Progress, card_image, make_images
from extract.analysis.review_state import run_id
from extract.core.files import swap_in
from extract.output.corrections import conflicted_findings
from extract.series.description import series

CARD_FIELDS = ["gemeente", "aanpak", "year", "theme", "criterion", "indicator_id", "indicator", "verdict", "marker",
               "caveat", "caveat_text", "page", "method", "confidence", "marker_confidence", "indicator_score",
               "alignment_score", "ocr_confidence"]
EDIT_FIELDS = ("gemeente", "aanpak", "year", "indicator_id", "verdict", "caveat")  # validated in the page


def field_rules(out: Path) -> dict[str, dict]:
    """For each field of ``EDIT_FIELDS``: {"type": the schema's type, "enum": allowed values as text (when there are
    any), "required": non-empty}, from the findings resource of ``out/datapackage.json``. Year has no enum in the
    schema: its allowed values are then the series' years, the rule ``stj run --corrections`` applies."""
    path = out / "datapackage.json"
    fields = {}
    if path.exists():
        package = json.loads(path.read_text(encoding="utf-8"))
        resource = next((r for r in package.get("resources", []) if r.get("name") == "findings"), {})
        fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
    rules = {}
    for name in EDIT_FIELDS:
        field = fields.get(name, {})
        rule = {"type": field.get("type", "string")}
        enum = field.get("constraints", {}).get("enum")
        if enum:
            rule["enum"] = [str(v).lower() if isinstance(v, bool) else str(v) for v in enum]
        elif rule["type"] == "boolean":
            rule["enum"] = ["true", "false"]
        elif name == "year":
            current = series()
            rule["enum"] = [str(current.assessed_year), str(current.followup_year)]
        if name == "gemeente":
            rule["required"] = True
        rules[name] = rule
    return rules


CONFLICT = "reviewers disagree (corrections.csv): settle it"  # the reason of a row two reviewers disagree on
RANDOM = "random sample"  # the reason of the cards in the random part of the queue: the fair sample (accuracy.py)
QUEUE_FILE = "queue.csv"  # the queue, written beside index.html: queue, finding_id, reason


def choose_cards(findings: pd.DataFrame, sample: int | None, seed: int, below: float,
                 short_pages: set[tuple[str, int]] | None = None, conflicts: set[str] | None = None) -> pd.DataFrame:
    """The queue of rows to review, in order: those reviewers disagree on (``conflicts``: finding_ids), then those on
    pages that lost rows (``short_pages``: (doc_id, page)), then those below the confidence threshold (lowest first),
    then a seeded random order of the others (all of them when ``sample`` is None, else the first ``sample``). Each
    row carries its ``reason`` and its ``queue`` position (1-based)."""
    short_pages = short_pages or set()
    disputed = findings[findings.finding_id.isin(conflicts or set())]
    rest = findings.drop(disputed.index)
    on_short = rest[[(d, int(p)) in short_pages for d, p in zip(rest.doc_id, rest.page)]]
    rest = rest.drop(on_short.index)
    low = rest[rest.confidence < below].sort_values("confidence", kind="stable")
    rest = rest.drop(low.index)
    shuffled = rest.sample(frac=1, random_state=seed)
    picked = shuffled if sample is None else shuffled.iloc[:sample]
    cards = pd.concat([disputed.assign(reason=CONFLICT), on_short.assign(reason="on a page that lost rows"),
                       low.assign(reason="low confidence"),
                       picked.assign(reason=RANDOM)])
    return cards.assign(queue=range(1, len(cards) + 1))


def short_pages(out: Path) -> pd.DataFrame:
    """Pages whose indicator cells did not all give their findings (``coverage.csv``), worst first."""
    path = out / "coverage.csv"
    if not path.exists():
        return pd.DataFrame(columns=["doc_id", "page", "indicator_cells", "complete", "missing"])
    coverage = pd.read_csv(path, keep_default_na=False)
    short = coverage[coverage.complete < coverage.indicator_cells]
    return short.assign(lost=short.indicator_cells - short.complete).sort_values(
        ["lost", "doc_id", "page"], ascending=[False, True, True], kind="stable")


def gap_record(row, doc, image: str) -> dict:
    """A card for a page that lost rows: the whole page, and the indicators that gave no finding."""
    where = f"page {int(row.page)}" if int(row.page) > 0 else "no table of the document"
    return {"gap": True, "finding_id": f"gap-{row.doc_id}-{int(row.page)}", "source_file": doc.source_file,
            "kind": doc.kind, "page": int(row.page), "image": image, "confidence": 0.0, "method": "",
            "verdict": "", "missing": row.missing.replace("; ", ", "),
            "reason": f"{int(row.indicator_cells) - int(row.complete)} of {int(row.indicator_cells)} indicator "
                      f"cells on {where} gave no finding: look for the missing rows on the page"}


def build_audit(out: Path, sample: int | None = None, seed: int = 0, below: float = 0.9,
                resume: tuple[dict, list[dict]] | None = None, jobs: int | None = 1,
                progress: Progress | None = None) -> Path:
    """Write ``out/audit`` (replacing a previous one only when the new one is complete). Returns index.html.
    ``resume``: (state, unrestored lines) of an earlier sitting, from ``review_state.read_resume``. ``jobs``:
    processes making the images (0 or None: one per core); ``progress(cards done, cards, pages done, pages)``."""
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("doc_id")
    gaps = short_pages(out)
    gaps = gaps[gaps.doc_id.isin(documents.index)]
    cards = choose_cards(findings, sample, seed, below, {(d, int(p)) for d, p in zip(gaps.doc_id, gaps.page)},
                         conflicted_findings(out))
    state, unrestored = resume or ({}, [])
    earlier = findings[findings.finding_id.isin(set(state) - set(cards.finding_id))]
    cards = pd.concat([cards, earlier.assign(reason="reviewed in an earlier sitting",
                                             queue=range(len(cards) + 1, len(cards) + len(earlier) + 1))])
    staging = Path(tempfile.mkdtemp(prefix=".stj-audit-", dir=out))
    try:
        (staging / "img" / "pages").mkdir(parents=True)
        work: dict[str, DocumentJob] = {}  # grouped by document for rendering only: the queue keeps its order

        def job(doc_id: str) -> DocumentJob:
            if doc_id not in work:
                work[doc_id] = DocumentJob(doc_id, documents.loc[doc_id, "path"], str(staging))
            return work[doc_id]

        for row in gaps.itertuples():
            if int(row.page) > 0:
                job(row.doc_id).gap_pages.append(int(row.page))
        for row in cards.itertuples():
            if row.doc_id in documents.index:
                job(row.doc_id).cards.append(card_image(row))
        images: dict[str, dict] = {}
        gap_images: dict[tuple[str, int], str] = {}
        for done, made in make_images(list(work.values()), jobs, progress):
            images.update(made.cards)
            gap_images.update(((done.doc_id, page), picture) for page, picture in made.gaps.items())
        records = [gap_record(row, documents.loc[row.doc_id], gap_images.get((row.doc_id, int(row.page)), ""))
                   for row in gaps.itertuples()]
        for row in cards.itertuples():
            record = {f: getattr(row, f) for f in CARD_FIELDS}
            made = images.get(row.finding_id, {})
            record.update(finding_id=row.finding_id, finding=row.finding, source_file=row.source_file,
                          kind=documents.loc[row.doc_id, "kind"] if row.doc_id in documents.index else "",
                          image=made.get("image", ""), page_image=made.get("page_image", ""),
                          page_boxes=made.get("page_boxes", {}), reason=row.reason, queue=int(row.queue))
            records.append(record)
        (staging / "index.html").write_text(page_html(records, len(findings), run_id(list(documents.index)), state,
                                                      unrestored, field_rules(out)), encoding="utf-8")
        cards[["queue", "finding_id", "reason"]].to_csv(staging / QUEUE_FILE, index=False)
        swap_in(staging, out / "audit")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "audit" / "index.html"


def _json(value) -> str:
    """JSON to put in the page's script (a script literal or a JSON data block): no "<" that could end it."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("<", "\\u003c")


def page_html(records: list[dict], total_rows: int, run: str = "", state: dict | None = None,
              unrestored: list[dict] | None = None, rules: dict | None = None) -> str:
    """The review page: the template with the cards (as a JSON block the page parses: for 10,000 cards far quicker
    than a script literal) and the run's id, resumed state and field rules put in, in one pass (so that no card's
    text is taken for a placeholder)."""
    template = (Path(__file__).parent / "audit_template.html").read_text(encoding="utf-8")
    values = {"__CARDS__": _json(records), "__RUN__": _json(run), "__RESUME__": _json(state or {}),
              "__UNRESTORED__": _json(unrestored or []), "__RULES__": _json(rules or {}),
              "__TOTAL__": html.escape(str(total_rows))}
    return re.sub("|".join(values), lambda m: values[m.group(0)], template)
