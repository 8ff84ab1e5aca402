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
              ``ru_maxrss``, from ``os.wait4``).

Prints the medians and the CLI's time as a ratio of each baseline. Targets:
CLI ≤ 2 × pandas' read, peak RSS ≤ 1 GB.
"""

from __future__ import annotations

import argparse
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


def measure(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds from spawn to exit, peak RSS in MB (this child's own, from os.wait4) and its output."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.stdout.read().decode(), child.stderr.read().decode()  # small: no pipe can fill up
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed ({child.returncode}):\n{err}")
    return elapsed, usage.ru_maxrss / 1024, out


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

        calls, reads, cli, read_peaks, cli_peaks = [], [], [], [], []
        for _ in range(args.repeat):  # interleaved: a busy moment slows both
            elapsed, peak, printed = measure([sys.executable, "-c", PANDAS_READ, str(path)])
            reads.append(elapsed)
            read_peaks.append(peak)
            calls.append(float(printed))
            elapsed, peak, printed = measure([sys.executable, "-m", "assessment", "batch", str(path),
                                              "--out", str(out)])
            cli.append(elapsed)
            cli_peaks.append(peak)
        rows_out = sum(1 for _ in out.open("rb")) - 1

    median = statistics.median
    call, read, batch = median(calls), median(reads), median(cli)
    print(f"scored rows written      {rows_out:,} ({printed.strip()})")
    print(f"pandas read_csv call     {call:6.2f} s   runs: {_runs(calls)}   (the baseline)")
    print(f"pandas read, process     {read:6.2f} s   runs: {_runs(reads)}   (start, import pandas, read)")
    print(f"batch CLI, end to end    {batch:6.2f} s   runs: {_runs(cli)}")
    print(f"CLI / pandas read call   {batch / call:6.2f} ×  (target ≤ 2)")
    print(f"CLI / pandas process     {batch / read:6.2f} ×")
    print(f"CLI peak RSS             {max(cli_peaks):6.0f} MB  "
          f"(target ≤ 1024; pandas' read alone: {max(read_peaks):.0f} MB)")


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
