"""What a user waits for on born-digital documents: `stj run --jobs 1 --no-cache` (start-up included, wall time) over
documents the code was never tuned on, next to the floor: one Python process that imports pdfplumber and calls
``extract_words()`` on every page of the same files.

Usage: .venv/bin/python benchmarks/bench_born_digital.py [--documents 13] [--seed 15] [--repeats 3] [--work DIR]
                                                          [--no-profile] [--code DIR] [PDF...]

Without PDFs it typesets ``--documents`` documents with tests/synth.py (through bench_corpus: invented gemeenten and
aanpakken, factsheets and follow-ups, the layout style, fonts, markers and wording varying per document; about 6
pages each) into ``--work`` (default /tmp/stj-bench-born) and reuses them on the next run with the same count and
seed. Both commands run as subprocesses, ``--repeats`` times each, alternating; the fastest of each counts. Every
document must come out ok or partial (a failed one stops the benchmark). ``--code DIR`` runs a copy of extract/ and
models/ in DIR instead of the tree's (put first on PYTHONPATH), e.g. one made by ``git archive HEAD extract models``
to measure a commit while the tree is being edited.

It prints the ratio stj / floor, seconds per page of both, and, from a separate run of the same command under
cProfile (in one process: ``--timeout 0`` keeps the documents in the profiled process), the five costliest
functions by own time and the five costliest of extract/ by cumulative time.

Aim: stj within 1.5x of the floor, start-up included.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STJ = ROOT / ".venv" / "bin" / "stj"
PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_corpus  # noqa: E402

AIM = 1.5  # stj's wall time at most this many times the floor's
BUSY_NOTE = 0.1  # a note is printed when other processes kept more than this share of the cores busy
TOP = 5
CODE: Path | None = None  # --code: a copy of extract/ and models/ run instead of the tree's
FLOOR_SCRIPT = """
import sys
import pdfplumber
pages = 0
for name in sys.argv[1:]:
    with pdfplumber.open(name) as pdf:
        for page in pdf.pages:
            page.extract_words()
            pages += 1
print(pages)
"""


def documents(count: int, seed: int, work: Path) -> tuple[list[Path], int]:
    """The generated corpus (made once per count and seed, then reused) and its page count."""
    corpus = bench_corpus.prepare("born", count, seed, work)
    made = f"generated in {corpus.generated_seconds:.1f} s" if corpus.generated_seconds is not None else "reused"
    print(f"{corpus.n} documents, {corpus.pages} pages in {corpus.folder} ({made})", flush=True)
    return sorted(corpus.folder.glob("*.pdf")), corpus.pages


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STJ_SCHEDULER"}
    if CODE is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(CODE)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


@dataclass(frozen=True)
class Timing:
    seconds: float  # wall, start to exit
    cpu: float  # user + system of the command and the processes it waited for (less sensitive to other load)
    stdout: str
    others: float = 0.0  # share of the machine's cores other processes kept busy meanwhile


def wall(command: list[str]) -> Timing:
    """How long ``command`` takes, and its stdout; a failure (of the command or, for `stj run`, of any document)
    stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = bench_corpus._busy_seconds()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=environment())
    seconds = time.perf_counter() - start
    busy = bench_corpus._busy_seconds() - busy
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode or (command[0] == str(STJ) and " 0 failed" not in done.stdout):
        raise RuntimeError(f"{' '.join(command[:3])} … exited {done.returncode}: {done.stdout.strip()[-300:]}\n"
                           f"{done.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    others = max(0.0, busy - cpu) / (seconds * (os.cpu_count() or 1))
    return Timing(seconds, cpu, done.stdout.strip(), others)


def floor_command(paths: list[Path]) -> list[str]:
    return [str(PYTHON), "-c", FLOOR_SCRIPT, *map(str, paths)]


def stj_command(paths: list[Path], out: Path, *extra: str) -> list[str]:
    return [str(STJ), "run", *map(str, paths), "--out", str(out), "--jobs", "1", "--no-cache", *extra]


def measure(paths: list[Path], repeats: int, work: Path) -> tuple[Timing, Timing]:
    """The fastest floor and stj runs of ``repeats``, alternated so that a busy spell weighs on both alike."""
    floors, runs = [], []
    for repeat in range(repeats):
        floors.append(wall(floor_command(paths)))
        runs.append(wall(stj_command(paths, work / "out")))
        print(f"  repeat {repeat + 1}: floor {floors[-1].seconds:.2f} s ({floors[-1].cpu:.2f} cpu s), "
              f"stj {runs[-1].seconds:.2f} s ({runs[-1].cpu:.2f} cpu s); other processes kept "
              f"{max(floors[-1].others, runs[-1].others):.0%} of the cores busy", flush=True)
    return min(floors, key=lambda t: t.seconds), min(runs, key=lambda t: t.seconds)


def profile(paths: list[Path], work: Path) -> pstats.Stats:
    """cProfile of the same `stj run`, in this process (``--timeout 0``: no worker process)."""
    if CODE is not None:
        sys.path.insert(0, str(CODE))
    from extract import cli

    profiler = cProfile.Profile()
    argv = stj_command(paths, work / "out-profile", "--timeout", "0")[1:]
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        profiler.enable()
        try:
            cli.main.main(args=argv, prog_name="stj", standalone_mode=False)
        except SystemExit as exc:  # the command ends with its exit status
            if exc.code:
                raise RuntimeError(f"the profiled stj run exited {exc.code}") from None
        finally:
            profiler.disable()
    return pstats.Stats(profiler, stream=io.StringIO())


def _name(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    path = Path(filename)
    where = f"{path.parent.name}/{path.name}:{line}" if line else filename
    return f"{function} ({where})"


def top_functions(stats: pstats.Stats) -> tuple[list[tuple[str, float, int]], list[tuple[str, float, int]]]:
    """The TOP functions by own time, and the TOP of extract/ by cumulative time (the command's entry layers,
    cli/api/executor, left out: they hold everything)."""
    rows = [(key, tottime, cumtime, calls) for key, (_, calls, tottime, cumtime, _) in stats.stats.items()]
    own = sorted(rows, key=lambda r: -r[1])[:TOP]
    entry = {"cli.py", "api.py", "executor.py", "__init__.py"}
    ours = [r for r in rows if f"{os.sep}extract{os.sep}" in r[0][0] and Path(r[0][0]).name not in entry
            and r[0][2] not in ("process_cached", "process_document")]
    cumulative = sorted(ours, key=lambda r: -r[2])[:TOP]
    return ([(_name(k), t, n) for k, t, _, n in own], [(_name(k), c, n) for k, _, c, n in cumulative])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path, help="born-digital PDFs (default: a generated corpus)")
    parser.add_argument("--documents", type=int, default=13, help="generated documents (default 13)")
    parser.add_argument("--seed", type=int, default=15, help="corpus seed (default 15)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command; the fastest counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stj-bench-born"), help="where the corpus goes")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--code", type=Path, help="run the copy of extract/ and models/ in this folder")
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve() if args.code else None
    if not STJ.exists():
        parser.error(f"{STJ} not found: run ./setup.sh first")
    args.work.mkdir(parents=True, exist_ok=True)
    if args.pdfs:
        paths = args.pdfs
        pages = int(wall(floor_command(paths)).stdout)
    else:
        paths, pages = documents(args.documents, args.seed, args.work)
    with tempfile.TemporaryDirectory() as temporary:
        floor, stj = measure(paths, args.repeats, Path(temporary))
        stats = None if args.no_profile else profile(paths, Path(temporary))
    ratio = stj.seconds / floor.seconds
    print(f"\n{len(paths)} documents, {pages} pages; fastest of {args.repeats}; {os.cpu_count()} cores")
    print(f"  stj run: {stj.stdout.splitlines()[-1]}")
    print(f"{'':56} {'wall s':>7} {'s/page':>7} {'cpu s':>7}")
    for label, timing in (("floor (import pdfplumber, extract_words on every page)", floor),
                          ("stj run --jobs 1 --no-cache", stj)):
        print(f"{label:56} {timing.seconds:7.2f} {timing.seconds / pages:7.3f} {timing.cpu:7.2f}")
    print(f"{'PASS' if ratio <= AIM else 'FAIL'} stj within {AIM}x of the floor, start-up included: {ratio:.2f}x "
          f"(cpu: {stj.cpu / floor.cpu:.2f}x)")
    busiest = max(floor.others, stj.others)
    if busiest > BUSY_NOTE:
        print(f"note: other processes kept {busiest:.0%} of the cores busy during the counted runs: the figures are "
              "inflated, and the ratio less sure than on a quiet machine")
    if stats is not None:
        own, cumulative = top_functions(stats)
        print(f"\ncProfile of the same run in one process ({stats.total_tt:.2f} s under the profiler)")
        print(f"top {TOP} by own time:")
        for name, seconds, calls in own:
            print(f"  {seconds:7.2f} s {calls:9d} calls  {name}")
        print(f"top {TOP} of extract/ by cumulative time:")
        for name, seconds, calls in cumulative:
            print(f"  {seconds:7.2f} s {calls:9d} calls  {name}")
    return 0 if ratio <= AIM else 1


if __name__ == "__main__":
    sys.exit(main())
