"""What the caches' keys cover, checked on temporary copies of the package rather than on a digest replaced by a
constant: a change of one threshold, of one file in a sub-package or of one data file invalidates exactly the
entries it should. OCR readings depend on the OCR settings and on the code of ``core``, ``read`` and ``ocr`` (and
the glyph model); finished documents on every setting, every file of the package and every model file."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from extract.core.checked import Checked
from extract.core.digest import tree_digest
from extract.core.records import Page, Word
from extract.core.settings import STAGES, MarkerSettings, OcrSettings, OcrTuning, RunOptions
from extract.core.stages import AlignSettings, LayoutSettings, MatchingSettings
from extract.ocr import cache as ocr_cache
from extract.ocr.glyphs import MODEL_FILE
from extract.run import results_cache
from extract.series.assets import MODELS_DIR

PACKAGE = Path(ocr_cache.__file__).resolve().parents[1]
SHA = "ab" * 32


# ---------------------------------------------------------------- tree_digest


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_tree_digest_sees_every_file_at_any_depth(tmp_path):
    _write(tmp_path / "a.py", "x = 1\n")
    _write(tmp_path / "sub" / "deeper" / "b.py", "y = 2\n")
    _write(tmp_path / "sub" / "data.json", "{}")
    first = tree_digest(tmp_path)
    assert tree_digest(tmp_path) == first  # the same bytes, the same digest
    _write(tmp_path / "sub" / "deeper" / "b.py", "y = 3\n")
    changed = tree_digest(tmp_path)
    assert changed != first
    (tmp_path / "sub" / "deeper" / "b.py").rename(tmp_path / "sub" / "deeper" / "c.py")
    assert tree_digest(tmp_path) != changed  # a rename counts
    renamed = tree_digest(tmp_path)
    _write(tmp_path / "sub" / "new.py", "")
    assert tree_digest(tmp_path) != renamed  # so does a new, empty file


def test_tree_digest_patterns_exclusions_and_compiled_files(tmp_path):
    _write(tmp_path / "a.py", "x = 1\n")
    _write(tmp_path / "sub" / "b.py", "y = 2\n")
    only_code = tree_digest(tmp_path, ("*.py",))
    _write(tmp_path / "sub" / "notes.txt", "not code")
    _write(tmp_path / "sub" / "__pycache__" / "b.cpython-312.pyc", "compiled")
    assert tree_digest(tmp_path, ("*.py",)) == only_code  # other names and compiled modules do not count
    without = tree_digest(tmp_path, ("*.py",), exclude=("sub/b.py",))
    _write(tmp_path / "sub" / "b.py", "y = 3\n")
    assert tree_digest(tmp_path, ("*.py",), exclude=("sub/b.py",)) == without
    assert tree_digest(tmp_path, ("*.py",)) != only_code
    assert tree_digest(tmp_path / "missing") == tree_digest(tmp_path / "empty")


# ---------------------------------------------------------------- the code the keys cover


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> tuple[Path, Path]:
    """A temporary copy of the package (sources only) and of the models folder."""
    root = tmp_path_factory.mktemp("copies")
    package, models = root / "extract", root / "models"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(MODELS_DIR, models, ignore=shutil.ignore_patterns("__pycache__", "build"))
    return package, models


def _touch(path: Path) -> None:
    """Change a file's bytes (a comment more, or a byte more for data)."""
    with path.open("ab") as stream:
        stream.write(b"\n# changed\n" if path.suffix == ".py" else b"\n")


CHANGES = [  # (file of the package or models folder, whether OCR readings change, whether results change)
    ("extract/ocr/rules.py", True, True),
    ("extract/read/source.py", True, True),
    ("extract/core/records.py", True, True),
    ("extract/core/settings.py", True, True),
    ("extract/core/stages.py", False, True),  # the settings of the stages after OCR
    ("extract/layout/rows.py", False, True),
    ("extract/document/align.py", False, True),
    ("extract/series/framework.py", False, True),
    ("extract/output/dataset.py", False, True),
    ("models/marker_glyphs.npz", True, True),
    ("models/toetsingskader.csv", False, True),
    ("models/nl_lemma_lookup.json.gz", False, True),
]


@pytest.mark.parametrize("name,ocr_changes,results_change", CHANGES)
def test_one_changed_file_invalidates_what_it_should(copies, name, ocr_changes, results_change):
    package, models = copies
    root = package.parent
    model = models / MODEL_FILE.name
    before = ocr_cache.code_digest_of(package, model), results_cache.code_digest_of(package, models)
    saved = (root / name).read_bytes()
    try:
        _touch(root / name)
        after = ocr_cache.code_digest_of(package, model), results_cache.code_digest_of(package, models)
    finally:
        (root / name).write_bytes(saved)
    assert (before[0] != after[0], before[1] != after[1]) == (ocr_changes, results_change)
    assert (ocr_cache.code_digest_of(package, model), results_cache.code_digest_of(package, models)) == before


def test_a_new_module_deep_in_a_sub_package_counts(copies):
    package, models = copies
    before = ocr_cache.code_digest_of(package, models / MODEL_FILE.name), results_cache.code_digest_of(package,
                                                                                                        models)
    new = package / "ocr" / "extra" / "deeper.py"
    _write(new, '"""A new module."""\n')
    try:
        after = ocr_cache.code_digest_of(package, models / MODEL_FILE.name), results_cache.code_digest_of(package,
                                                                                                           models)
    finally:
        shutil.rmtree(new.parent)
    assert before[0] != after[0] and before[1] != after[1]


def test_the_digests_are_of_this_package_and_its_models():
    assert ocr_cache.ocr_code_digest() == ocr_cache.code_digest_of(PACKAGE, MODEL_FILE)
    assert results_cache.code_digest() == results_cache.code_digest_of(PACKAGE, MODELS_DIR)


# ---------------------------------------------------------------- real entries: stored, then found or not


def _page() -> Page:
    return Page(number=1, width=595.0, height=842.0, method="ocr",
                words=[Word("Bevindingen", 10.0, 60.0, 10.0, 20.0, page=1, confidence=0.9)])


def _ocr_key(cache: ocr_cache.OcrCache, options: RunOptions) -> str:
    """The key the pipeline looks a page up by (``pipeline.ocr_cached``): the page's settings at its resolution."""
    return cache.key(SHA, 1, options.ocr.for_page(300.0))


LATER_STAGES = [RunOptions(layout=LayoutSettings(rule_snap=10.0)), RunOptions(align=AlignSettings(step_cost=0.5)),
                RunOptions(matching=MatchingSettings(min_indicator_ratio=0.7))]
OCR_CHANGES = [RunOptions(ocr=OcrSettings(tuning=OcrTuning(rule_level=200))),
               RunOptions(ocr=OcrSettings(markers=MarkerSettings(votes=3))), RunOptions(ocr=OcrSettings(psm=6))]


def test_ocr_entries_survive_later_stage_settings_and_code_but_not_ocr_ones(tmp_path, copies, monkeypatch):
    package, models = copies
    monkeypatch.setattr(ocr_cache, "PACKAGE", package)
    monkeypatch.setattr(ocr_cache, "MODEL_FILE", models / MODEL_FILE.name)
    ocr_cache.ocr_code_digest.cache_clear()
    try:
        cache = ocr_cache.OcrCache(tmp_path / "ocr", "tesseract 5.3.0")
        cache.put(_ocr_key(cache, RunOptions()), _page())
        for options in LATER_STAGES:
            assert cache.get(_ocr_key(cache, options)) is not None
        for options in OCR_CHANGES:
            assert cache.get(_ocr_key(cache, options)) is None
        newer = ocr_cache.OcrCache(tmp_path / "ocr", "tesseract 5.4.0")
        assert newer.get(_ocr_key(newer, RunOptions())) is None
        _touch(package / "document" / "findings.py")
        ocr_cache.ocr_code_digest.cache_clear()
        assert cache.get(_ocr_key(cache, RunOptions())) is not None
        _touch(package / "ocr" / "marks.py")
        ocr_cache.ocr_code_digest.cache_clear()
        assert cache.get(_ocr_key(cache, RunOptions())) is None
    finally:
        for name in ("document/findings.py", "ocr/marks.py"):
            shutil.copyfile(PACKAGE / name, package / name)
        ocr_cache.ocr_code_digest.cache_clear()


def _other(value):
    """Another valid value of a setting."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, tuple):
        return (value[0], value[1] + 1)
    if isinstance(value, int):
        return value - 1 if value > 1 else value + 1
    return value / 2


def _changed_settings() -> list[tuple[str, RunOptions]]:
    """One RunOptions per setting of every stage, that setting changed."""
    made = []
    for stage in STAGES:
        section = getattr(RunOptions(), stage)
        groups = [(stage, section, ())]
        groups += [(f"{stage}.{f.name}", getattr(section, f.name), (f.name,)) for f in fields(section)
                   if isinstance(getattr(section, f.name), Checked)]
        for label, group, path in groups:
            for f in fields(group):
                if isinstance(getattr(group, f.name), Checked) or f.name in ("dpi", "lang", "psm"):
                    continue
                changed = group.replace(**{f.name: _other(getattr(group, f.name))})
                if path:
                    changed = section.replace(**{path[0]: changed})
                made.append((f"{label}.{f.name}", RunOptions().replace(**{stage: changed})))
    made += [("ocr.dpi", RunOptions(ocr=OcrSettings(dpi=300))), ("ocr.lang", RunOptions(ocr=OcrSettings(lang="eng"))),
             ("ocr.psm", RunOptions(ocr=OcrSettings(psm=6)))]
    return made


def test_every_setting_of_every_stage_is_in_the_results_key():
    base = results_cache.settings_fingerprint(RunOptions())
    changed = _changed_settings()
    assert len(changed) > 60
    missed = [label for label, options in changed if results_cache.settings_fingerprint(options) == base]
    assert not missed, missed
    # where results are kept is no setting of the results
    assert results_cache.settings_fingerprint(RunOptions(cache_dir=Path("/elsewhere"), use_results_cache=False)) == base


def test_results_entries_follow_settings_and_every_file(tmp_path, copies, monkeypatch):
    from extract.core.records import DocumentResult

    package, models = copies
    monkeypatch.setattr(results_cache, "PACKAGE", package)
    monkeypatch.setattr(results_cache, "MODELS_DIR", models)
    results_cache.code_digest.cache_clear()
    result = DocumentResult(source_file="a.pdf", path="a.pdf", sha256=SHA)

    def cache(options: RunOptions = RunOptions()) -> results_cache.ResultsCache:
        return results_cache.ResultsCache(tmp_path, results_cache.settings_fingerprint(options))

    try:
        cache().put(SHA, result)
        assert cache().get(SHA) is not None
        assert cache(RunOptions(layout=LayoutSettings(rule_snap=10.0))).get(SHA) is None
        _touch(package / "document" / "align.py")
        results_cache.code_digest.cache_clear()
        assert cache().get(SHA) is None
        cache().put(SHA, result)
        _touch(models / "toetsingskader.csv")
        results_cache.code_digest.cache_clear()
        assert cache().get(SHA) is None
    finally:
        shutil.copyfile(PACKAGE / "document" / "align.py", package / "document" / "align.py")
        shutil.copyfile(MODELS_DIR / "toetsingskader.csv", models / "toetsingskader.csv")
        results_cache.code_digest.cache_clear()
