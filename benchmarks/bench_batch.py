"""Batch scoring of 1,000,000 responses against pandas' own read_csv, and per-row scoring.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--rows N]``

Prints, from one run on one machine:
* read      — ``pd.read_csv`` of the responses file (the baseline);
* batch     — :func:`assessment.batch.score_frame` on the frame already read;
* per-row   — the same core scoring one business at a time in a Python loop,
              timed on a sample and scaled to all rows;
* peak RSS  — the process's peak resident memory.
Targets: batch ≤ 0.5 × read, batch ≥ 50 × faster than per-row, peak < 2 GB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.batch import score_frame  # noqa: E402
from assessment.engine import compile_rubric, score_codes  # noqa: E402
from assessment.rubrics import load_rubric_dir  # noqa: E402


def make_responses(path: Path, rows: int, rubric, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {"business": np.char.add("Business ", np.arange(rows).astype(str)), "sector": "Retail"}
    for _, question in rubric.choice_questions():
        ids = np.array([o.id for o in question.options] + [""], dtype=object)  # "" = unanswered
        columns[question.id] = ids[rng.integers(0, len(ids), rows)]
    for _, question in rubric.count_questions():
        columns[question.id] = rng.integers(0, 1_000_000, rows)
    pd.DataFrame(columns).to_csv(path, index=False)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rubric = load_rubric_dir()
    if args.generate:
        make_responses(args.generate, args.rows, rubric)
        return
    engine = compile_rubric(rubric)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "responses.csv"
        started = time.perf_counter()
        # In a child process, so generating the file does not count in this process's peak memory.
        subprocess.run([sys.executable, __file__, "--generate", str(path), "--rows", str(args.rows)], check=True)
        print(f"generated {args.rows:,} responses ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
        baseline_mb = peak_mb()

        # Interleaved repeats, median of each: this machine's timings are noisy.
        reads, batches = [], []
        frame = scored = None
        for _ in range(args.repeat):
            frame = scored = None  # hold one copy at a time
            started = time.perf_counter()
            frame = pd.read_csv(path)
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            scored, problems = score_frame(frame, rubric)
            batches.append(time.perf_counter() - started)
        assert not [p for p in problems if p.severity == "error"], problems
        read_s, batch_s = statistics.median(reads), statistics.median(batches)

        sample = frame.head(args.sample).to_dict("records")
        started = time.perf_counter()
        for record in sample:
            answers = {k: v for k, v in record.items() if isinstance(v, str)}
            score_codes(engine, engine.codes(answers))  # the same core, one business at a time
        per_row_s = (time.perf_counter() - started) / len(sample) * len(frame)
        peak = peak_mb()

    print(f"read_csv (baseline)  {read_s:8.2f} s   (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in reads)})")
    print(f"batch scoring        {batch_s:8.2f} s   (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in batches)})")
    print(f"batch / read         {batch_s / read_s:8.2f}     (target ≤ 0.50)")
    print(f"per-row scoring      {per_row_s:8.2f} s   (sample of {len(sample):,}, scaled)")
    print(f"batch speed-up       {per_row_s / batch_s:8.0f} ×  faster than per-row     (target ≥ 50)")
    print(f"peak memory          {peak:8.0f} MB  (before reading: {baseline_mb:.0f} MB; target < 2048)")
    print(f"classes: {scored['class_code'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
