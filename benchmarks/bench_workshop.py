"""Workshop store and facilitator view under a full room, on SQLite (and PostgreSQL when DATABASE_URL is set).

Run: ``.venv/bin/python benchmarks/bench_workshop.py [--runs 30] [--writers 40] [--saves 100]``

Prints, from one run on one machine, for each database:
* view      — the facilitator's data (``workshop_answers`` read + ``facilitator_view``: aggregates,
              heatmap, agenda, agreement, every participant's scores, the group's assessment)
              for 40 participants × every question; median and p95 over ``--runs``, and as a
              ratio of the baseline: a plain ``SELECT * FROM answers`` into pandas, same run;
* save      — one answer saved (returned = committed) while 40 writer threads save at once, each
              as fast as it can: p50 / p95 / max, and p95 as a ratio of one writer alone, same run.
Targets: view ≤ 50 ms (p95), save ≤ 20 ms (p95). PostgreSQL runs in a throw-away database
created on the server named by DATABASE_URL (dropped afterwards), never in its own tables.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.rubrics import load_rubric_dir
from assessment.workshop.aggregate import facilitator_view
from assessment.workshop.database import Database
from assessment.workshop.schema import answer_rows
from assessment.workshop.settings import normalise_url
from assessment.workshop.store import WorkshopStore

VIEW_TARGET_MS = 50.0
SAVE_TARGET_MS = 20.0


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def timed(work: Callable[[], object], runs: int) -> list[float]:
    work()  # warm caches (compiled statements, rubric layout)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def verdict(name: str, value: float, target: float) -> str:
    return f"{'PASS' if value <= target else 'MISS'}  {name}: p95 {value:.1f} ms (target ≤ {target:g} ms)"


def fill_room(store: WorkshopStore, rubric, people: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    created = store.create_workshop(store.new_organiser_key(), "Benchmark Ltd", rubric.id, rubric.version)
    tokens = []
    for n in range(people):
        token = store.join(created.join_code, f"Participant {n + 1}").resume_token
        values: dict[str, object] = {q.id: q.options[int(rng.integers(len(q.options)))].id
                                     for _, q in rubric.choice_questions()}
        values |= {q.id: int(rng.integers(0, 1_000_000)) for _, q in rubric.count_questions()}
        store.save_answers(token, values)
        tokens.append(token)
    return created, tokens


def save_latencies(store: WorkshopStore, rubric, tokens: list[str], saves: int) -> list[float]:
    """Every thread (one per token) saves ``saves`` answers back to back, all starting together."""
    questions = [q for _, q in rubric.choice_questions()]
    barrier = threading.Barrier(len(tokens))
    latencies: list[list[float]] = [[] for _ in tokens]
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            barrier.wait()
            for k in range(saves):
                question = questions[(i + k) % len(questions)]
                value = question.options[(i + k) % len(question.options)].id
                start = time.perf_counter()
                store.save_answer(tokens[i], question.id, value)
                latencies[i].append((time.perf_counter() - start) * 1000)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [ms for per_thread in latencies for ms in per_thread]


def bench(label: str, url: str, args: argparse.Namespace) -> list[str]:
    rubric = load_rubric_dir()
    lines = []
    with WorkshopStore(url, rubrics=[rubric]) as store:
        created, tokens = fill_room(store, rubric, args.writers)
        key = created.facilitator_key
        database = Database(url)

        def baseline() -> pd.DataFrame:
            with database.sql_engine.connect() as conn:
                result = conn.execute(select(answer_rows))
                return pd.DataFrame(result.all(), columns=list(result.keys()))

        def view() -> object:
            return facilitator_view(store.workshop_answers(created.workshop_id, key), rubric)

        rows = len(baseline())
        base = timed(baseline, args.runs)
        full = timed(view, args.runs)
        database.dispose()
        print(f"\n[{label}] {args.writers} participants × {len(rubric.questions())} questions ({rows} answers)")
        print(f"  baseline SELECT * FROM answers → pandas: median {statistics.median(base):6.2f} ms, "
              f"p95 {percentile(base, 95):6.2f} ms")
        print(f"  facilitator view (read + aggregates):     median {statistics.median(full):6.2f} ms, "
              f"p95 {percentile(full, 95):6.2f} ms, max {max(full):6.2f} ms  "
              f"= {statistics.median(full) / statistics.median(base):.1f}× baseline (medians)")
        lines.append(f"[{label}] " + verdict("facilitator view", percentile(full, 95), VIEW_TARGET_MS))

        alone = save_latencies(store, rubric, tokens[:1], args.saves * 4)
        crowd = save_latencies(store, rubric, tokens, args.saves)
        print(f"  one writer alone:  p50 {percentile(alone, 50):6.2f} ms, p95 {percentile(alone, 95):6.2f} ms, "
              f"max {max(alone):6.2f} ms ({len(alone)} saves)")
        ratio = percentile(crowd, 95) / percentile(alone, 95)
        print(f"  {len(tokens)} writers at once: p50 {percentile(crowd, 50):6.2f} ms, "
              f"p95 {percentile(crowd, 95):6.2f} ms, "
              f"max {max(crowd):6.2f} ms ({len(crowd)} saves) = p95 {ratio:.1f}× one writer")
        lines.append(f"[{label}] " + verdict(f"save with {len(tokens)} writers", percentile(crowd, 95), SAVE_TARGET_MS))
    return lines


@contextmanager
def scratch_postgres(admin_url: str) -> Iterator[str]:
    """A throw-away database on the server of ``admin_url``, dropped afterwards."""
    name = f"workshop_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--writers", type=int, default=40)
    parser.add_argument("--saves", type=int, default=100, help="answers each writer saves")
    args = parser.parse_args()
    verdicts = []
    with tempfile.TemporaryDirectory() as directory:
        verdicts += bench("SQLite", f"sqlite:///{Path(directory) / 'bench.sqlite3'}", args)
    postgres = normalise_url(os.environ.get("DATABASE_URL", ""))
    if postgres.startswith("postgresql"):
        with scratch_postgres(postgres) as url:
            verdicts += bench("PostgreSQL", url, args)
    else:
        print("\n(PostgreSQL skipped: set DATABASE_URL to run it too)")
    print()
    for line in verdicts:
        print(line)


if __name__ == "__main__":
    main()
