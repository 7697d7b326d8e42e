"""How `stj run` scales over a corpus: first run, unchanged re-run, re-run after adding one document, peak memory,
and --jobs N against --jobs 1.

Usage:
    .venv/bin/python benchmarks/bench_corpus.py [--born 100,1000] [--scanned 20] [--jobs 2] [--seed 0]
                                                [--work DIR] [--json FILE] [--snapshot] [--wait-idle S]

It makes each corpus once in --work (default /tmp/stj-bench-corpus) and reuses it on the next run with the same
size and seed (the born-digital ones are regenerated if tests/synth.py changed):

* born-digital N: N distinct documents typeset with tests/synth.py, a factsheet and a follow-up per invented
  gemeente (names built from seeded syllables, never a sample's), content seed and style (variant and seed) varying
  per document;
* scanned N: N distinct copies of the scanned samples (the files of samples/gold/*.json and samples/ whose name
  holds "scan"), each with its own PDF comment after %%EOF, so every copy has its own SHA-256 and nothing of it is
  cached; each copy is checked to open with pdfplumber and pypdfium2 with all its pages.

Every measurement runs the real command (.venv/bin/stj) as a subprocess, with a fresh --cache-dir and --out:

* first run: seconds in all and per document;
* re-run of the unchanged folder (same cache, same --out): seconds;
* re-run after adding one new distinct document to the folder: seconds, beside that document's own time (`stj run`
  on it alone, fresh cache) and start-up (`stj run` on that document again, now cached; `import extract.cli` is
  shown too);
* peak RSS: the largest single process of the run (/usr/bin/time's "Maximum resident set size": ru_maxrss of stj and
  the workers it waited for), in MB; also CPU seconds, and the share of the cores other processes kept busy
  meanwhile (a note is printed when that exceeds 10%: the wall times are then inflated);
* on the first born-digital corpus (100 by default): the first run again with --jobs 1; throughput ratio.

Aims (PASS / FAIL, n/a when the corpus was not run):
* the unchanged re-run of the scanned corpus at least 20x faster than its first run;
* adding one document to the 1,000 costs at most 3x that document's own time plus start-up;
* peak RSS at 1,000 at most 1.5x that at 100;
* --jobs 2 throughput at least 1.7x that of --jobs 1 (on 2 cores).

The added document is taken out of the folder again afterwards, so the corpus stays as generated. --snapshot runs a
copy of extract/ and models/ taken at the start, so the figures belong to one state of a tree being edited;
--wait-idle S waits (at most S seconds) before each run until other processes leave the cores alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STJ = ROOT / ".venv" / "bin" / "stj"
PYTHON = ROOT / ".venv" / "bin" / "python"
SYNTH = ROOT / "tests" / "synth.py"
SAMPLES = ROOT / "samples"
MANIFEST = "corpus.json"

# ------------------------------------------------------------------------------------------------ invented names

ONSETS = ("B", "Br", "D", "Dr", "G", "Gr", "H", "K", "Kl", "L", "M", "N", "P", "R", "S", "Sl", "St", "T", "V", "Vl",
          "W", "Z", "Zw")
VOWELS = ("a", "e", "i", "o", "u", "aa", "ee", "oo", "ei", "ui", "ou", "ij")
CODAS = ("", "l", "ld", "k", "m", "n", "nd", "r", "rk", "rs", "s", "st", "t", "ks")
ENDINGS = ("dam", "dijk", "veen", "horst", "wolde", "hoven", "broek", "drecht", "zijl", "loo", "rum", "wijk", "beek",
           "hout", "kerk", "sum", "ingen", "stede", "burg", "lo", "naarde", "haven")
AANPAK_FIRST = ("Samen", "Thuis", "Gezin", "Buurt", "Wijk", "Kern", "Kracht", "Dorp", "Stad", "Jeugd", "Zorg", "Team")
AANPAK_SECOND = ("Verder", "Sterk", "Dichtbij", "Voorop", "Centraal", "Vooruit", "Aan Zet", "in Balans", "Nabij",
                 "Op Koers", "Doet Mee", "Vooraan")


def _key(name: str) -> str:
    """How the pipeline compares gemeenten: case, diacritics and punctuation set aside."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def _sample_gemeenten() -> set[str]:
    keys = set()
    for gold in (SAMPLES / "gold").glob("*.json"):
        name = (json.loads(gold.read_text(encoding="utf-8")).get("document") or {}).get("gemeente")
        if name:
            keys.add(_key(name))
    return keys


def invented_gemeenten(count: int, seed: int) -> list[str]:
    """``count`` distinct invented gemeente names; the list for a larger count starts with the one for a smaller."""
    rng = random.Random(f"gemeenten:{seed}")
    taken, names = _sample_gemeenten(), []
    while len(names) < count:
        name = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) + rng.choice(ENDINGS)
        if rng.random() < 0.08:
            name = rng.choice(("Oud-", "Nieuw-")) + name
        if _key(name) not in taken:
            taken.add(_key(name))
            names.append(name)
    return names


def _aanpak(rng: random.Random, avoid: set[str] = frozenset()) -> str:
    while True:
        name = f"{rng.choice(AANPAK_FIRST)} {rng.choice(AANPAK_SECOND)}"
        if name not in avoid:
            return name


# ------------------------------------------------------------------------------------------------- born-digital


def born_spec(index: int, names: list[str], seed: int) -> dict:
    """Document ``index`` of a born-digital corpus: even a factsheet, odd the follow-up of the same gemeente.
    Depends only on (index, seed), so the corpus of 1,000 starts with the corpus of 100."""
    gemeente = names[index // 2]
    pair = random.Random(f"pair:{seed}:{index // 2}")
    aanpak = _aanpak(pair)
    aanpak_2014 = _aanpak(pair, {aanpak})
    aanpak_2013 = [aanpak] + ([_aanpak(pair, {aanpak, aanpak_2014})] if pair.random() < 0.4 else [])
    own = random.Random(f"doc:{seed}:{index}")
    kind = "factsheet" if index % 2 == 0 else "followup"
    slug = _key(gemeente)
    return {"index": index, "kind": kind, "gemeente": gemeente, "aanpak": aanpak, "aanpak_2014": aanpak_2014,
            "aanpak_2013": aanpak_2013, "style": own.choice(sorted(_style_variants())),
            "style_seed": own.randrange(10**6), "rng_seed": own.randrange(10**9),
            "file": f"{index:05d}-{slug}-{kind}.pdf"}


def _style_variants() -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.synth import STYLE_VARIANTS
    return STYLE_VARIANTS


def make_born(job: tuple[dict, str]) -> int:
    """Typeset one document (in a worker process); returns its page count."""
    spec, folder = job
    from dataclasses import replace

    import pypdfium2 as pdfium

    sys.path.insert(0, str(ROOT))
    from tests.synth import make_factsheet, make_followup

    style = replace(_style_variants()[spec["style"]], seed=spec["style_seed"])
    path = Path(folder) / spec["file"]
    if spec["kind"] == "factsheet":
        make_factsheet(path, gemeente=spec["gemeente"], aanpak=spec["aanpak"], style=style, rng_seed=spec["rng_seed"])
    else:
        make_followup(path, gemeente=spec["gemeente"], aanpak_2014=spec["aanpak_2014"],
                      aanpak_2013=tuple(spec["aanpak_2013"]), style=style, rng_seed=spec["rng_seed"])
    pdf = pdfium.PdfDocument(str(path))
    pages = len(pdf)
    pdf.close()
    return pages


CORPUS_FORMAT = 1  # bump when born_spec or make_born change what is generated


def _synth_digest() -> str:
    return f"{CORPUS_FORMAT}-" + hashlib.sha256(SYNTH.read_bytes()).hexdigest()[:16]


# ------------------------------------------------------------------------------------------------------ scanned


def scanned_sources() -> list[Path]:
    """The scanned samples: files named in samples/gold/*.json or in samples/ whose name holds "scan"."""
    names = {p.name for p in SAMPLES.glob("*.pdf") if "scan" in p.name.lower()}
    for gold in (SAMPLES / "gold").glob("*.json"):
        names |= {n for n in json.loads(gold.read_text(encoding="utf-8")).get("files", []) if "scan" in n.lower()}
    return sorted(SAMPLES / n for n in names if (SAMPLES / n).is_file())


def make_scan_copy(index: int, seed: int, folder: Path) -> tuple[str, int]:
    """Copy ``index``: a scanned sample with a distinct comment after %%EOF. Checked to open with all its pages."""
    import pdfplumber
    import pypdfium2 as pdfium

    sources = scanned_sources()
    source = sources[index % len(sources)]
    data = source.read_bytes()
    tail = f"\n% stj-extract benchmark copy {index} seed {seed}\n".encode()
    path = folder / f"{index:03d}-{source.stem}-copy.pdf"
    path.write_bytes(data + (b"" if data.endswith(b"\n") else b"\n") + tail)
    original = len(pdfium.PdfDocument(str(source)))
    with pdfplumber.open(path) as pdf:
        plumber_pages = len(pdf.pages)
        pdf.pages[0].chars  # noqa: B018 - parse the first page's content
    copy = pdfium.PdfDocument(str(path))
    pdfium_pages = len(copy)
    copy.close()
    if not plumber_pages == pdfium_pages == original:
        raise RuntimeError(f"{path}: {plumber_pages}/{pdfium_pages} pages, the original has {original}")
    return path.name, original


# ------------------------------------------------------------------------------------------------------- corpus


@dataclass
class Corpus:
    name: str  # e.g. born-100
    kind: str  # born | scanned
    n: int
    folder: Path  # the documents
    extra: Path  # the one document added later (outside the folder)
    pages: int
    generated_seconds: float | None  # None when reused


def prepare(kind: str, n: int, seed: int, work: Path) -> Corpus:
    """Make (or reuse) corpus ``kind`` of ``n`` documents under ``work``."""
    name = f"{kind}-{n}"
    base = work / f"{name}-seed{seed}"
    docs, extra_dir = base / "docs", base / "extra"
    manifest_path = base / MANIFEST
    wanted = {"kind": kind, "n": n, "seed": seed, "generator": _synth_digest() if kind == "born" else "copy-v1"}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if {k: manifest.get(k) for k in wanted} == wanted and all((docs / f).is_file() for f in manifest["files"]) \
                and (extra_dir / manifest["extra"]).is_file():
            for stray in set(p.name for p in docs.iterdir()) - set(manifest["files"]):  # left by an interrupted run
                (docs / stray).unlink()
            return Corpus(name, kind, n, docs, extra_dir / manifest["extra"], manifest["pages"], None)
    shutil.rmtree(base, ignore_errors=True)
    docs.mkdir(parents=True)
    extra_dir.mkdir()
    start = time.perf_counter()
    if kind == "born":
        names = invented_gemeenten((n + 1) // 2 + 1, seed)
        specs = [born_spec(i, names, seed) for i in range(n)]
        # the added document: a factsheet of a gemeente not in the corpus
        extra = born_spec(2 * ((n + 1) // 2), names, seed)
        jobs = [(s, str(docs)) for s in specs] + [(extra, str(extra_dir))]
        if len(jobs) > 20:
            with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
                pages = pool.map(make_born, jobs, chunksize=8)
        else:
            pages = [make_born(job) for job in jobs]
        files, extra_file, total = [s["file"] for s in specs], extra["file"], sum(pages[:-1])
    else:
        made = [make_scan_copy(i, seed, docs) for i in range(n)]
        extra_file, _ = make_scan_copy(n, seed, extra_dir)
        files, total = [f for f, _ in made], sum(p for _, p in made)
    seconds = time.perf_counter() - start
    manifest_path.write_text(json.dumps({**wanted, "files": files, "extra": extra_file, "pages": total,
                                         "generated_seconds": seconds}, indent=1))
    return Corpus(name, kind, n, docs, extra_dir / extra_file, total, seconds)


# --------------------------------------------------------------------------------------------------------- runs


@dataclass
class Run:
    label: str
    seconds: float
    max_rss_mb: float
    exit_status: int
    summary: str
    cpu_seconds: float = 0.0  # user + system of the process and the workers it waited for (less sensitive to load)
    others: float = 0.0  # share of the machine's cores busy with other processes meanwhile (from /proc/stat)


CODE_PATH: Path | None = None  # with --snapshot: a frozen copy of extract/ and models/, first on PYTHONPATH


def snapshot(work: Path) -> Path:
    """Copy extract/ and models/ into ``work``/code, so the runs measure one state of the code even while it is
    being edited (the editable install's finder comes after PYTHONPATH)."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    for part in ("extract", "models"):
        shutil.copytree(ROOT / part, code / part, ignore=shutil.ignore_patterns("__pycache__"))
    return code


GNU_TIME = Path("/usr/bin/time")


def timed(command: list[str], log: Path, label: str) -> Run:
    """Run ``command``, stdout and stderr to ``log``.{out,err}; wall seconds and the peak RSS of its largest process.

    The peak is GNU time's "Maximum resident set size" where /usr/bin/time is there, else ru_maxrss from wait4 (which
    may also count this process's pages at the fork, before exec)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    rss_file = Path(f"{log}.rss")
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command]
    env = {k: v for k, v in os.environ.items() if k != "STJ_SCHEDULER"}
    if CODE_PATH is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(CODE_PATH)] + [p for p in [env.get("PYTHONPATH")] if p])
    with open(f"{log}.out", "w") as out, open(f"{log}.err", "w") as err:
        busy_before = _busy_seconds()
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=log.parent)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        busy = _busy_seconds() - busy_before
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in Path(f"{log}.out").read_text().splitlines() if line.strip()]
    summary = lines[-1] if lines else ""
    broken = process.returncode != 0 if label == "import" else " files: " not in summary
    if process.returncode not in (0, 1) or broken:
        tail = Path(f"{log}.err").read_text()[-2000:]
        raise RuntimeError(f"{label}: {' '.join(command)} exited {process.returncode}\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    max_rss_kb = usage.ru_maxrss
    if GNU_TIME.exists():
        max_rss_kb = int(rss_file.read_text().split()[-1])
    others = max(0.0, busy - cpu) / (seconds * (os.cpu_count() or 1)) if busy == busy else float("nan")
    return Run(label, seconds, max_rss_kb / 1024, process.returncode, summary, cpu, round(others, 3))


def _busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (NaN where /proc/stat is not there)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


WAIT_IDLE = 0.0  # --wait-idle: longest wait, seconds, for other processes to leave the cores before a timed run


def wait_idle(limit: float = 0.15, window: float = 3.0) -> None:
    """Wait until other processes keep less than ``limit`` of the cores busy over ``window`` seconds, at most
    ``WAIT_IDLE`` seconds in all."""
    deadline = time.monotonic() + WAIT_IDLE
    while time.monotonic() < deadline:
        before = _busy_seconds()
        time.sleep(window)
        busy = (_busy_seconds() - before) / (window * (os.cpu_count() or 1))
        if not busy > limit:
            return
        print(f"  (other processes keep {busy:.0%} of the cores busy; waiting)", flush=True)


def stj_run(paths: list[Path], cache: Path, out: Path, jobs: int, log: Path, label: str) -> Run:
    if WAIT_IDLE:
        wait_idle()
    return timed([str(STJ), "run", *map(str, paths), "--out", str(out), "--jobs", str(jobs), "--cache-dir",
                  str(cache)], log, label)


def fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Result:
    corpus: str
    kind: str
    documents: int
    pages: int
    jobs: int
    generated_seconds: float | None
    first: Run
    rerun: Run
    add_one: Run
    own: Run  # the added document alone, fresh cache
    startup: Run  # the added document alone again, cached
    import_seconds: float  # .venv/bin/python -c "import extract.cli"
    jobs1: Run | None = None

    @property
    def add_bound(self) -> float:
        return 3 * self.own.seconds + self.startup.seconds


def import_seconds(runs: Path) -> float:
    return min(timed([str(PYTHON), "-c", "import extract.cli"], runs / f"import-{i}", "import").seconds
               for i in range(3))


def bench(corpus: Corpus, jobs: int, work: Path, compare_jobs: bool) -> Result:
    runs = work / "runs" / corpus.name
    fresh(runs)
    cache, out = runs / "cache", runs / "out"
    say = lambda text: print(f"[{corpus.name}] {text}", flush=True)  # noqa: E731
    say(f"first run, {corpus.n} documents, --jobs {jobs}")
    first = stj_run([corpus.folder], cache, out, jobs, runs / "first", "first")
    say(f"  {first.seconds:.1f} s ({first.cpu_seconds:.0f} cpu s, others {first.others:.0%}): {first.summary}")
    rerun = stj_run([corpus.folder], cache, out, jobs, runs / "rerun", "rerun")
    say(f"unchanged re-run {rerun.seconds:.2f} s: {rerun.summary}")
    added = corpus.folder / corpus.extra.name
    shutil.copyfile(corpus.extra, added)
    try:
        add_one = stj_run([corpus.folder], cache, out, jobs, runs / "add-one", "add-one")
    finally:
        added.unlink()
    say(f"re-run with one added {add_one.seconds:.2f} s: {add_one.summary}")
    own_cache, own_out = runs / "own-cache", runs / "own-out"
    own = stj_run([corpus.extra], own_cache, own_out, jobs, runs / "own", "own")
    startup = min((stj_run([corpus.extra], own_cache, own_out, jobs, runs / f"startup-{i}", "startup")
                   for i in range(3)), key=lambda r: r.seconds)
    say(f"added document alone {own.seconds:.2f} s, again cached (start-up) {startup.seconds:.2f} s")
    result = Result(corpus.name, corpus.kind, corpus.n, corpus.pages, jobs, corpus.generated_seconds, first, rerun,
                    add_one, own, startup, import_seconds(runs))
    if compare_jobs and jobs != 1:
        say("first run again with --jobs 1")
        result.jobs1 = stj_run([corpus.folder], runs / "cache-j1", runs / "out-j1", 1, runs / "jobs1", "jobs1")
        say(f"  {result.jobs1.seconds:.1f} s")
    return result


# ------------------------------------------------------------------------------------------------------ report


def aims(results: list[Result], jobs: int) -> list[dict]:
    by_name = {r.corpus: r for r in results}
    scanned = next((r for r in results if r.kind == "scanned"), None)
    born_1000, born_100 = by_name.get("born-1000"), by_name.get("born-100")
    jobs_run = next((r for r in results if r.jobs1 is not None), None)
    checks = []

    def check(text: str, value: str, ok: bool | None) -> None:
        checks.append({"aim": text, "measured": value, "verdict": "n/a" if ok is None else "PASS" if ok else "FAIL"})

    if scanned:
        speedup = scanned.first.seconds / scanned.rerun.seconds
        check(f"unchanged re-run of {scanned.corpus} >= 20x faster than its first run", f"{speedup:.1f}x",
              speedup >= 20)
    else:
        check("unchanged re-run of the scanned corpus >= 20x faster than its first run", "not run", None)
    if born_1000:
        r = born_1000
        check("adding one document to 1,000 <= 3x its own time + start-up",
              f"{r.add_one.seconds:.2f} s vs 3 x {r.own.seconds:.2f} + {r.startup.seconds:.2f} = {r.add_bound:.2f} s",
              r.add_one.seconds <= r.add_bound)
    else:
        check("adding one document to 1,000 <= 3x its own time + start-up", "not run", None)
    if born_1000 and born_100:
        ratio = born_1000.first.max_rss_mb / born_100.first.max_rss_mb
        check("peak RSS at 1,000 <= 1.5x that at 100",
              f"{born_1000.first.max_rss_mb:.0f} / {born_100.first.max_rss_mb:.0f} MB = {ratio:.2f}x", ratio <= 1.5)
    else:
        check("peak RSS at 1,000 <= 1.5x that at 100", "not run", None)
    if jobs_run:
        ratio = jobs_run.jobs1.seconds / jobs_run.first.seconds
        check(f"--jobs {jobs} throughput >= 1.7x --jobs 1 ({jobs_run.corpus})",
              f"{jobs_run.jobs1.seconds:.1f} / {jobs_run.first.seconds:.1f} s = {ratio:.2f}x", ratio >= 1.7)
    else:
        check(f"--jobs {jobs} throughput >= 1.7x --jobs 1", "not run", None)
    return checks


def report(results: list[Result], checks: list[dict]) -> None:
    head = (f"{'corpus':12} {'docs':>5} {'pages':>6} {'first s':>8} {'s/doc':>6} {'cpu s':>7} {'RSS MB':>7} "
            f"{'re-run s':>9} {'cpu s':>6} {'speedup':>8} {'RSS MB':>7} {'+1 doc s':>9} {'alone s':>8} {'start s':>8} "
            f"{'import s':>9} {'jobs1 s':>8}")
    print()
    print(" " * 26 + "--- first run ------------------  --- unchanged re-run -----------  "
          "--- add one document ----------------------")
    print(head)
    for r in results:
        jobs1 = f"{r.jobs1.seconds:8.1f}" if r.jobs1 else f"{'-':>8}"
        print(f"{r.corpus:12} {r.documents:5d} {r.pages:6d} {r.first.seconds:8.1f} "
              f"{r.first.seconds / r.documents:6.2f} {r.first.cpu_seconds:7.1f} {r.first.max_rss_mb:7.0f} "
              f"{r.rerun.seconds:9.2f} {r.rerun.cpu_seconds:6.1f} {r.first.seconds / r.rerun.seconds:7.1f}x "
              f"{r.rerun.max_rss_mb:7.0f} {r.add_one.seconds:9.2f} {r.own.seconds:8.2f} {r.startup.seconds:8.2f} "
              f"{r.import_seconds:9.2f} {jobs1}")
    print("(cpu: user + system seconds of stj and the workers it waited for; RSS: largest single process of the run;\n"
          " alone: the added document on its own, fresh cache; start: `stj run` on it again, cached, the start-up\n"
          " used by the aim; import: `python -c 'import extract.cli'`; jobs1: first run with --jobs 1, fresh cache)")
    for r in results:
        for run in (r.first, r.rerun, r.add_one, r.own, r.jobs1):
            if run is not None and run.others > 0.1:
                print(f"note: {r.corpus} {run.label}: other processes kept {run.others:.0%} of the cores busy "
                      "meanwhile; its time is inflated (cpu s is less affected)")
    for r in results:
        for run in (r.first, r.rerun, r.add_one):
            if run.exit_status:
                print(f"note: {r.corpus} {run.label} exited {run.exit_status}: {run.summary}")
    print()
    width = max(len(c["aim"]) for c in checks)
    for c in checks:
        print(f"{c['verdict']:5} {c['aim']:{width}}  {c['measured']}")


def _sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip() and int(x) > 0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--born", type=_sizes, default=[100, 1000], help="born-digital corpus sizes (default 100,1000)")
    parser.add_argument("--scanned", type=_sizes, default=[20], help="scanned corpus sizes (default 20; 0: none)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of every run (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stj-bench-corpus"),
                        help="where corpora, caches and outputs go (default /tmp/stj-bench-corpus)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                        help="before each run wait up to this long for other processes to leave the cores")
    parser.add_argument("--snapshot", action="store_true",
                        help="run a copy of extract/ and models/ taken at the start (for a tree being edited)")
    args = parser.parse_args()
    if not STJ.exists():
        parser.error(f"{STJ} not found: run ./setup.sh first")
    args.work.mkdir(parents=True, exist_ok=True)
    global WAIT_IDLE
    WAIT_IDLE = args.wait_idle
    if args.snapshot:
        global CODE_PATH
        CODE_PATH = snapshot(args.work)
        print(f"running the code as copied to {CODE_PATH}", flush=True)
    results = []
    plan = [("born", n) for n in sorted(args.born)] + [("scanned", n) for n in sorted(args.scanned)]
    for position, (kind, n) in enumerate(plan):
        corpus = prepare(kind, n, args.seed, args.work)
        made = (f"generated in {corpus.generated_seconds:.1f} s" if corpus.generated_seconds is not None
                else "reused")
        print(f"[{corpus.name}] {corpus.n} documents, {corpus.pages} pages in {corpus.folder} ({made})", flush=True)
        results.append(bench(corpus, args.jobs, args.work, compare_jobs=kind == "born" and position == 0))
    checks = aims(results, args.jobs)
    report(results, checks)
    if args.json:
        args.json.write_text(json.dumps({"jobs": args.jobs, "seed": args.seed, "cores": os.cpu_count(),
                                         "results": [asdict(r) | {"add_bound": r.add_bound} for r in results],
                                         "aims": checks}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
