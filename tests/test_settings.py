"""The stages' settings: checked on creation (a bad value or an unknown key names itself), read from a settings file
by section, shown by ``stj settings`` and given to ``stj run --settings`` (a bad file is a usage error naming the
section or key)."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.core.checked import Checked, SettingsError
from extract.core.settings import STAGES, MarkerSettings, OcrSettings, OcrTuning, RunOptions, auto_dpi
from extract.core.stages import AlignSettings, LayoutSettings, MatchingSettings, ReadSettings, RepairSettings

CLASSES = (LayoutSettings, AlignSettings, MatchingSettings, ReadSettings, RepairSettings, OcrTuning, MarkerSettings)


def test_a_bad_value_names_itself():
    with pytest.raises(SettingsError, match=r"^LayoutSettings.rule_snap must be a number > 0, not -1$"):
        LayoutSettings(rule_snap=-1)
    with pytest.raises(SettingsError, match=r"AlignSettings.stem_credit must be a number between 0 and 1, not 1.5"):
        AlignSettings(stem_credit=1.5)
    with pytest.raises(SettingsError, match=r"MatchingSettings.length_window must be two numbers"):
        MatchingSettings(length_window=(2.0, 1.0))
    with pytest.raises(SettingsError, match=r"OcrTuning.rule_level must be a grey level"):
        OcrTuning(rule_level=300)
    with pytest.raises(SettingsError, match=r"RepairSettings.min_length must be a whole number >= 1, not 2.5"):
        RepairSettings(min_length=2.5)
    with pytest.raises(SettingsError, match=r"LayoutSettings.unsure must be a number between 0 and 1, not 'x'"):
        LayoutSettings(unsure="x")
    with pytest.raises(ValueError, match=r"OcrSettings.dpi"):  # a SettingsError is a ValueError
        OcrSettings(dpi=50)


def test_unknown_keys_are_refused_by_name():
    with pytest.raises(SettingsError, match=r"LayoutSettings has no setting 'rule_snapp'"):
        LayoutSettings.from_dict({"rule_snapp": 10})
    with pytest.raises(SettingsError, match=r"AlignSettings has no setting 'gap'"):
        AlignSettings().replace(gap=1.0)
    with pytest.raises(SettingsError, match=r"RunOptions has no setting 'layuot'"):
        RunOptions.from_dict({"layuot": {}})
    with pytest.raises(SettingsError, match=r"OcrTuning has no setting 'nope'"):
        RunOptions.from_dict({"ocr": {"tuning": {"nope": 1}}})


def test_defaults_are_frozen_and_round_trip():
    for cls in CLASSES:
        settings = cls()
        assert cls.from_dict(settings.to_dict()) == settings
        with pytest.raises(AttributeError):
            setattr(settings, fields(cls)[0].name, 1)
    options = RunOptions()
    assert RunOptions.from_dict({stage: options.to_dict()[stage] for stage in STAGES}) == options


def test_json_numbers_are_taken_as_the_settings_own():
    """A file writes 14.0 as 14 and a pair as a list: the same setting, with the same repr (the caches' keys)."""
    read = RunOptions.from_dict({"layout": {"rule_snap": 14}, "matching": {"length_window": [0.5, 1.7]}})
    assert read == RunOptions() and repr(read) == repr(RunOptions())
    assert LayoutSettings().replace(rule_snap=10).rule_snap == 10.0


def test_the_settings_reach_a_stage():
    assert auto_dpi(72.0) == 150 and auto_dpi(72.0, OcrTuning(auto_dpi_range=(100, 300))) == 100
    assert OcrSettings(tuning=OcrTuning(fallback_dpi=250)).for_page(0.0).resolved == 250


def test_stj_settings_shows_every_stage_and_reads_a_file(tmp_path):
    shown = CliRunner().invoke(main, ["settings"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert list(data) == list(STAGES) and data["layout"]["rule_snap"] == 14.0
    assert data["ocr"]["tuning"]["rule_level"] == 225 and data["ocr"]["markers"]["votes"] == 2
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"layout": {"rule_snap": 10}}), encoding="utf-8")
    changed = json.loads(CliRunner().invoke(main, ["settings", "--settings", str(path)]).output)
    assert changed["layout"]["rule_snap"] == 10.0 and changed["align"] == data["align"]


@pytest.mark.parametrize("content,named", [
    ({"layuot": {"rule_snap": 10}}, "unknown section 'layuot'"),
    ({"layout": {"rule_snapp": 10}}, "LayoutSettings has no setting 'rule_snapp'"),
    ({"layout": {"rule_snap": -1}}, "LayoutSettings.rule_snap must be a number > 0, not -1"),
    ({"ocr": {"tuning": {"band_kernel": [25]}}}, "OcrTuning.band_kernel must be two whole numbers"),
    ([1, 2], "must hold a JSON object"),
])
def test_a_bad_settings_file_is_a_usage_error_naming_it(tmp_path, content, named):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path), "--out", str(tmp_path / "out"), "--settings", str(path)])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--settings'" in result.output and named in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_every_setting_is_checked():
    """Each field of a stage's settings has a rule (a bad value is refused) or is a nested settings object."""
    for cls in CLASSES:
        for f in fields(cls):
            assert "rule" in f.metadata or issubclass(f.metadata.get("nested", type), Checked), f"{cls.__name__}.{f.name}"
