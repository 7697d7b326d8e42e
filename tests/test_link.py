"""Link: follow-up rows 2013 → 2014, and the 2013 factsheet of the same gemeente as the 2013 side."""

from __future__ import annotations

from extract.core.records import DocumentInfo, DocumentResult, Finding
from extract.output.link import build_links


def _finding(doc, aanpak, year, indicator, verdict, gemeente="Dorpstad"):
    return Finding(doc_id=doc, source_file=f"{doc}.pdf", gemeente=gemeente, aanpak=aanpak, year=year, theme="t",
                   criterion="c", indicator_id=indicator, indicator="", verdict=verdict, marker="", caveat=False,
                   caveat_text="", finding="", page=3, method="text", finding_id=f"{doc}-{aanpak}-{year}-{indicator}")


def _followup(rows):
    return DocumentResult("f.pdf", "f.pdf", doc_id="f", findings=rows,
                          info=DocumentInfo("followup", "Dorpstad", "2015-06", "Nieuw Team", ["Oud Team"]))


def _factsheet(rows):
    return DocumentResult("s.pdf", "s.pdf", doc_id="s", findings=rows,
                          info=DocumentInfo("factsheet", "Dorpstad", "2013-10", "Oud Team", ["Oud Team"]))


def test_changes_from_a_followup_alone():
    rows = [_finding("f", "Oud Team", 2013, "I01", "fail"), _finding("f", "Nieuw Team", 2014, "I01", "pass"),
            _finding("f", "Oud Team", 2013, "I02", "fail"), _finding("f", "Nieuw Team", 2014, "I02", "fail"),
            _finding("f", "Oud Team", 2013, "I03", "pass"), _finding("f", "Nieuw Team", 2014, "I03", "fail"),
            _finding("f", "Oud Team", 2013, "I04", "pass"), _finding("f", "Nieuw Team", 2014, "I04", "pass")]
    links = {l.indicator_id: l for l in build_links([_followup(rows)])}
    assert {k: l.change for k, l in links.items()} == {"I01": "resolved", "I02": "persists", "I03": "regressed",
                                                       "I04": "maintained"}
    assert all(l.source == "followup" and not l.conflict for l in links.values())


def test_factsheet_is_the_2013_side_and_disagreement_is_reported():
    follow = [_finding("f", "Oud Team", 2013, "I01", "fail"), _finding("f", "Nieuw Team", 2014, "I01", "pass"),
              _finding("f", "Oud Team", 2013, "I02", "fail"), _finding("f", "Nieuw Team", 2014, "I02", "pass")]
    sheet = [_finding("s", "Oud team", 2013, "I01", "fail"), _finding("s", "Oud Team", 2013, "I02", "pass")]
    links = {l.indicator_id: l for l in build_links([_factsheet(sheet), _followup(follow)])}
    assert links["I01"].source == "factsheet+followup" and links["I01"].finding_2013_id == "s-Oud team-2013-I01"
    assert links["I01"].conflict == ""
    assert "says pass" in links["I02"].conflict and "says fail" in links["I02"].conflict
    assert links["I02"].verdict_2013 == "pass" and links["I02"].verdict_2013_followup == "fail"


def test_other_gemeente_factsheet_is_not_used():
    follow = [_finding("f", "Oud Team", 2013, "I01", "fail"), _finding("f", "Nieuw Team", 2014, "I01", "pass")]
    sheet = [_finding("s", "Oud Team", 2013, "I01", "pass", gemeente="Elders")]
    (link,) = build_links([_factsheet(sheet), _followup(follow)])
    assert link.source == "followup"


def test_a_followup_whose_links_fail_is_partial_and_the_others_keep_theirs(monkeypatch):
    from extract.output import link

    good = _followup([_finding("f", "Oud Team", 2013, "I01", "fail"), _finding("f", "Nieuw Team", 2014, "I01", "pass")])
    bad = _followup([_finding("g", "Oud Team", 2013, "I01", "fail"), _finding("g", "Nieuw Team", 2014, "I01", "pass")])
    bad.doc_id, bad.source_file = "g", "g.pdf"
    real = link.followup_links

    def broken(result, factsheets):
        if result.doc_id == "g":
            raise ValueError("boom")
        return real(result, factsheets)

    monkeypatch.setattr(link, "followup_links", broken)
    links = build_links([bad, good])
    assert [l.followup_doc_id for l in links] == ["f"]
    assert bad.status == "partial" and "links could not be built" in bad.errors[0] and good.status == "ok"
