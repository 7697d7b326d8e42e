"""The CLI says what it does: ``stj run --help`` names every table the dataset holds."""

from __future__ import annotations

from click.testing import CliRunner

from extract.cli import main
from extract.output.dataset import SCHEMA


def test_run_help_names_every_table_of_the_dataset():
    text = " ".join(CliRunner().invoke(main, ["run", "--help"]).output.split())
    missing = [table for table in SCHEMA if table not in text]
    assert not missing, f"stj run --help does not name {missing}"
