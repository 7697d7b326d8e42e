"""Start-up: importing the command loads none of the heavy libraries a run may not need (spaCy, pandas, pyarrow,
matplotlib, Dask, pytesseract, Datasette); each is loaded where it is first used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("spacy", "thinc", "pandas", "pyarrow", "matplotlib", "dask", "distributed", "pytesseract", "datasette",
         "uvicorn")


def _loaded_after(statement: str) -> list[str]:
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_importing_the_command_loads_no_heavy_library():
    assert _loaded_after("import extract.cli") == []


@pytest.mark.slow
def test_asking_tesseract_its_version_loads_no_pandas():
    assert _loaded_after("from extract.ocr import tesseract\ntesseract.tesseract_version()") == ["pytesseract"]


@pytest.mark.slow
def test_the_libraries_come_when_used():
    assert "spacy" in _loaded_after("from extract.series import nlp\n"
                                    "nlp.content_lemmas('De gemeenten werken samen.')")
    assert "pandas" in _loaded_after("from extract.output import dataset\ndataset.frame('links', [])")


@pytest.mark.slow
def test_spacy_comes_without_its_command_line_and_still_has_it():
    loaded = _loaded_after("from extract.series import nlp\nnlp.dutch()\n"
                           "import spacy\nassert 'spacy.cli' not in sys.modules and 'typer' not in sys.modules\n"
                           "assert spacy.info()['spacy_version'] == spacy.__version__\n"
                           "import spacy.cli\nassert callable(spacy.cli.download)")
    assert "spacy" in loaded


@pytest.mark.slow
def test_spacy_is_imported_whole_when_the_stand_in_does_not_do():
    script = ("from extract.series import nlp\n"
              "nlp._cli_stand_ins = lambda: {'spacy.cli': __import__('types').ModuleType('spacy.cli')}\n"
              "words = nlp.content_lemmas('De gemeenten werken samen met de wijkteams.')\n"
              "assert {'werken', 'samen', 'wijkteams'} <= words, words")
    assert "spacy" in _loaded_after(script)
