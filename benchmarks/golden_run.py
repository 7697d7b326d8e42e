"""A golden run: the samples plus generated documents (every synthetic layout, both kinds, two seeds, and made-up
scans of the born-digital samples), extracted by the real ``stj run``, recorded once and compared byte for byte
later: a restructuring that changes no behaviour leaves every table the same.

    .venv/bin/python benchmarks/golden_run.py record /tmp/golden      # inputs in /tmp/golden/in, tables in .../tables
    .venv/bin/python benchmarks/golden_run.py check /tmp/golden       # runs again, exit 1 naming every differing file

The inputs are generated once, at ``record``, and reused by ``check`` (so a change in the generator cannot hide a
change in the extractor). CSV tables and ``datapackage.json`` are compared byte for byte; SQLite and Parquet files
hold the same rows (they are written from the same frames) but carry writer metadata, so they are not compared.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scans import make_scan  # noqa: E402
from tests.synth import STYLE_VARIANTS, make_factsheet, make_followup  # noqa: E402

SEEDS = (0, 1)
SCANS = (("haarlemmermeer-2013.pdf", 200, 3), ("almere-2015.pdf", 300, 4))


def make_inputs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sample in sorted((ROOT / "samples").glob("*.pdf")):
        shutil.copy(sample, folder / sample.name)
    for name, style in sorted(STYLE_VARIANTS.items()):
        for seed in SEEDS:
            make_factsheet(folder / f"synth-factsheet-{name}-{seed}.pdf", style=style, rng_seed=seed)
            make_followup(folder / f"synth-followup-{name}-{seed}.pdf", style=style, rng_seed=seed)
    for source, dpi, seed in SCANS:
        make_scan(ROOT / "samples" / source, folder / f"made-scan-{dpi}-{source}", dpi, seed)


def extract(inputs: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([str(ROOT / ".venv" / "bin" / "stj"), "run", str(inputs), "--out", str(out), "--no-cache",
                    "--jobs", "2"], check=False)


def compared_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".csv" or p.name == "datapackage.json")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(__doc__)
        return 2
    action, base = argv[0], Path(argv[1])
    inputs, tables = base / "in", base / "tables"
    if action == "record":
        if not inputs.exists():
            make_inputs(inputs)
        extract(inputs, base / "out")
        if tables.exists():
            shutil.rmtree(tables)
        tables.mkdir(parents=True)
        for name in compared_files(base / "out"):
            shutil.copy(base / "out" / name, tables / name)
        print(f"recorded {len(compared_files(tables))} files in {tables}")
        return 0
    extract(inputs, base / "out-check")
    expected, got = compared_files(tables), compared_files(base / "out-check")
    differing = sorted(set(expected) ^ set(got))
    differing += [n for n in sorted(set(expected) & set(got))
                  if not filecmp.cmp(tables / n, base / "out-check" / n, shallow=False)]
    for name in differing:
        print(f"differs: {name}")
    print("golden run: identical" if not differing else f"golden run: {len(differing)} files differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
