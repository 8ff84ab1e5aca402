"""``python -m assessment batch`` end to end, against pandas' read of the same file.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--rows N] [--repeat 3]``

Generates a responses CSV of N rows (1,000,000 by default: every question
answered with a random option id or left empty, counts as numbers), then, in
interleaved rounds so that a noisy machine slows all alike, runs as child
processes:

* pandas    — ``pd.read_csv(file)``: the time of the call itself (the baseline),
              and of its whole process (start, ``import pandas``, read);
* batch CLI — ``python -m assessment batch file --out scored.csv``, from process
              start to the output file written, and its peak RSS (the child's
              ``ru_maxrss``, from ``os.wait4``);

then the app's path (Compare → batch scoring calls ``score_upload``: the
upload refused past ``MAX_UPLOAD_BYTES`` before parsing, else scored with its
download built once), in a child of its own: an upload at the cap (the first
rows of the file, up to 5 MB), its time, the peak RSS and the RSS once the
result is let go, against the RSS before it; and the whole file offered to the
same path, refused before it is parsed.

Then the floors, each the time of the call alone: the tool's imports (what every command pays before it
reads a byte), and reading within 1 GB (pandas' whole-file read, the baseline, peaks above it) with pandas'
reader in chunks or Arrow's streaming reader.

Prints the medians and the CLI's time as a ratio of each baseline. Targets:
CLI ≤ 2 × pandas' read, peak RSS ≤ 1 GB; the app's upload capped, its memory
returned.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.rubrics import load_rubric_dir

ROOT = Path(__file__).resolve().parent.parent

PANDAS_READ = (
    "import sys, time\nimport pandas as pd\n"
    "started = time.perf_counter()\npd.read_csv(sys.argv[1])\nprint(time.perf_counter() - started)\n"
)

# Floors: what reading alone costs a command that must stay within 1 GB (pandas' whole-file read peaks above it).
PANDAS_CHUNKED = (
    "import sys, time\nimport pandas as pd\n"
    "started = time.perf_counter()\nfor _ in pd.read_csv(sys.argv[1], chunksize=131_072): pass\n"
    "print(time.perf_counter() - started)\n"
)
START_UP = "import time\nstarted = time.perf_counter()\nimport assessment.cli\nprint(time.perf_counter() - started)\n"
ARROW_READ = (
    "import sys, time\nimport pyarrow.csv as pacsv\n"
    "started = time.perf_counter()\nfor _ in pacsv.open_csv(sys.argv[1]): pass\nprint(time.perf_counter() - started)\n"
)

# What the page does with an upload (assessment/ui/pages/compare.py::_score and its download button).
APP_PATH = """
import gc, io, json, resource, sys, time
from pathlib import Path
from assessment.batch import MAX_UPLOAD_BYTES, score_upload
from assessment.rubrics import load_rubric_dir

def rss():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')) / 1024

rubric = load_rubric_dir()
path = Path(sys.argv[1])
upload = io.BytesIO(path.read_bytes()) if path.stat().st_size <= MAX_UPLOAD_BYTES else path.open('rb')
before, after = rss(), []
for _ in range(3):  # the same upload again, as a new session would: the first pays one-off imports and caches
    started = time.perf_counter()
    done = score_upload(upload, rubric, 'en', path.name)
    elapsed = time.perf_counter() - started
    kept = rss()  # the page keeps the result (table and download) while the upload stays
    rows, download = 0 if done.scored is None else len(done.scored), len(done.csv)
    refused = '' if done.scored is not None else done.problems[0].message
    done = None
    gc.collect()
    after.append(rss())
print(json.dumps({'rows': rows, 'seconds': elapsed, 'before': before, 'kept': kept, 'after': after,
                  'download': download, 'refused': refused,
                  'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_responses(path: Path, rows: int, seed: int = 1) -> None:
    rubric = load_rubric_dir()
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {"business": np.char.add("Business ", np.arange(rows).astype(str)), "sector": "Retail"}
    for _, question in rubric.choice_questions():
        ids = np.array([o.id for o in question.options] + [""], dtype=object)  # "" = unanswered
        columns[question.id] = ids[rng.integers(0, len(ids), rows)]
    for _, question in rubric.count_questions():
        columns[question.id] = rng.integers(0, 1_000_000, rows)
    pd.DataFrame(columns).to_csv(path, index=False)


def measure(args: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds from spawn to exit, peak RSS in MB (this child's own, from os.wait4), its output, and
    its CPU seconds (user + system, all threads): on a busy machine a steadier yardstick than the wall clock."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.stdout.read().decode(), child.stderr.read().decode()  # small: no pipe can fill up
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed ({child.returncode}):\n{err}")
    return elapsed, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        make_responses(args.generate, args.rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "responses.csv", Path(tmp) / "scored.csv"
        started = time.perf_counter()
        # In a child: a forked child's ru_maxrss counts its parent's memory at the fork, so this process stays small.
        subprocess.run([sys.executable, __file__, "--generate", str(path), "--rows", str(args.rows)], check=True)
        print(f"generated {args.rows:,} responses ({path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s")

        calls, reads, cli, read_peaks, cli_peaks, read_cpu, cli_cpu = [], [], [], [], [], [], []
        for _ in range(args.repeat):  # interleaved: a busy moment slows both
            elapsed, peak, printed, cpu = measure([sys.executable, "-c", PANDAS_READ, str(path)])
            read_cpu.append(cpu)
            reads.append(elapsed)
            read_peaks.append(peak)
            calls.append(float(printed))
            elapsed, peak, printed, cpu = measure([sys.executable, "-m", "assessment", "batch", str(path), "--out",
                                                   str(out)])
            cli_cpu.append(cpu)
            cli.append(elapsed)
            cli_peaks.append(peak)
        rows_out, written = sum(1 for _ in out.open("rb")) - 1, out.stat().st_size
        readers = (("the tool's imports", START_UP), ("pandas' read in chunks", PANDAS_CHUNKED),
                   ("Arrow's streaming read", ARROW_READ))
        floors = {label: [measure([sys.executable, "-c", code, str(path)]) for _ in range(args.repeat)]
                  for label, code in readers}
        capped = Path(tmp) / "upload.csv"
        capped.write_bytes(_first_rows(path, 5_000_000))
        app = [json.loads(measure([sys.executable, "-c", APP_PATH, str(capped)])[2]) for _ in range(args.repeat)]
        whole = json.loads(measure([sys.executable, "-c", APP_PATH, str(path)])[2])

    call, read, batch = median(calls), median(reads), median(cli)
    print(f"scored rows written      {rows_out:,} ({printed.strip()})")
    print(f"pandas read_csv call     {call:6.2f} s   runs: {_runs(calls)}   (the baseline)")
    print(f"pandas read, process     {read:6.2f} s   runs: {_runs(reads)}   (start, import pandas, read)")
    print(f"batch CLI, end to end    {batch:6.2f} s   runs: {_runs(cli)}")
    print(f"CLI / pandas read call   {batch / call:6.2f} ×  (target ≤ 2)")
    print(f"CLI / pandas process     {batch / read:6.2f} ×")
    paired = [c / p for c, p in zip(cli, calls, strict=True)]
    print(f"CLI / read call, paired  {median(paired):6.2f} ×  runs: {_runs(paired)}"
          "   (each CLI run over the read before it)")
    print(f"CPU seconds              CLI {median(cli_cpu):.2f}, pandas' read process {median(read_cpu):.2f} = "
          f"{median(cli_cpu) / median(read_cpu):.2f} ×   (user + system, all threads)")
    print(f"CLI peak RSS             {max(cli_peaks):6.0f} MB"
          f"  (target ≤ 1024; pandas' read alone: {max(read_peaks):.0f} MB)")
    for label, runs in floors.items():
        seconds = median(float(printed) for *_, printed, _ in runs)
        print(f"floor: {label:23s} {seconds:5.2f} s = {seconds / call:.2f} × the call, peak RSS "
              f"{max(peak for _, peak, *_ in runs):.0f} MB")
    print(f"       (each alone: the CLI pays its imports, one reader, the scoring and a {written / 1e6:.0f} MB write)")
    _print_app(app, whole)


def _print_app(app: list[dict], whole: dict) -> None:
    first = app[0]
    print(f"app upload at the cap    {first['rows']:,} rows ({first['download'] / 1e6:.1f} MB scored CSV), "
          f"score + download {_runs([a['seconds'] for a in app])} s")
    print(f"app RSS before / peak / with the result kept / after  {median(a['before'] for a in app):.0f} / "
          f"{max(a['peak'] for a in app):.0f} / {median(a['kept'] for a in app):.0f} / "
          f"{median(a['after'][0] for a in app):.0f} MB  (after: the result let go)")
    print(f"app RSS after the 1st / 3rd same upload  {median(a['after'][0] for a in app):.0f} / "
          f"{median(a['after'][-1] for a in app):.0f} MB  (growth across uploads: "
          f"{median(a['after'][-1] - a['after'][0] for a in app):+.0f} MB)")
    print(f"app, the whole file      refused in {whole['seconds'] * 1000:.0f} ms before parsing, peak RSS "
          f"{whole['peak']:.0f} MB (before {whole['before']:.0f}): {whole['refused'][:60]}…")


def _first_rows(path: Path, limit: int) -> bytes:
    """The header and as many whole rows as fit in ``limit`` bytes (the generated file has no quoted newlines)."""
    with path.open("rb") as handle:
        head = handle.read(limit)
    return head[: head.rindex(b"\n") + 1]


def median(values) -> float:
    return statistics.median(list(values))


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
