"""How many participants one app replica holds: a room of N people on a real ``streamlit run app.py``
and a real PostgreSQL, each speaking Streamlit's own WebSocket protocol (``benchmarks/room``).

Run: ``.venv/bin/python benchmarks/bench_room.py [--think 5] [--steps 1,10,20,40,60,80] [--arrival 20]``
(PostgreSQL: the server named by DATABASE_URL, else a throw-away one from the local binaries).

Each step starts a fresh replica on a fresh database, warms it with one page load, then lets N people
join within ``--arrival`` s, answer all 31 questions with a log-normal pause (median ``--think`` s)
before each answer, reload the page once half-way, and stay connected until the last one is done.

* ack — the answer-save acknowledgement: from sending the ``rerun_script`` message that carries the
  changed widget to receiving that run's ``script_finished: FINISHED_SUCCESSFULLY`` (the app's
  callback commits the answer before the script body runs; the page must still show the value and no
  error). Every acknowledged answer is then looked up in the database: a missing or different value
  is *lost* (must be 0).
* CPU per answer — the server process's CPU time over the step (joins and reloads included) divided by
  the acknowledged answers; RSS per session — the server's resident memory once everyone has joined,
  less the warmed server's, divided by N (each participant also leaves one disconnected session
  behind by reloading, which Streamlit keeps for 120 s; the "end" column includes them).

Ratios are against the first step (one participant alone), measured in the same run. The answer:
the largest N whose ack p95 ≤ 1 s. The steps stop at the first miss; one step is then tried half-way
between the last pass and that miss. Other programs running on the machine skew every figure: the
load average is printed with each step.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.models import RubricSet
from assessment.rubrics import load_rubric_dir
from assessment.workshop import WorkshopStore
from benchmarks.room.participant import Pace, Record, take_part
from benchmarks.room.servers import Replica, postgres_database, scratch_directory

TARGET_S = 1.0
APP_PACE_S = 15 * 60 / 31  # the app's own estimate: "About 15 minutes" for the 31 questions


@dataclass
class Step:
    people: int
    records: list[Record]
    seconds: float
    cpu: float
    rss_base: float
    rss_joined: float
    rss_end: float
    lost: int
    load: float
    client_cpu: float
    latencies: list[float] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return len(self.latencies)

    def p(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) if self.latencies else math.nan

    @property
    def cpu_per_answer_ms(self) -> float:
        return 1000 * self.cpu / self.answers if self.answers else math.nan

    @property
    def rss_per_session(self) -> float:
        return (self.rss_joined - self.rss_base) / self.people

    @property
    def errors(self) -> int:
        return sum(1 for r in self.records if r.error or not r.finished)

    @property
    def passed(self) -> bool:
        return self.p(95) <= TARGET_S and self.lost == 0 and self.errors == 0


async def _room(url: str, join_code: str, records: list[Record], rubric: RubricSet, pace: Pace, seed: int,
                replica: Replica) -> tuple[float, float]:
    """Everyone takes part; returns the server's RSS once all have joined and once all are done."""
    done = asyncio.Event()
    people = [asyncio.create_task(take_part(url, join_code, r, rubric, pace, random.Random(seed + i), done))
              for i, r in enumerate(records)]
    while not all(r.token or r.error for r in records):
        await asyncio.sleep(0.2)
    joined = replica.rss_mb()
    while not all(r.finished or r.error for r in records):
        await asyncio.sleep(0.2)
    end = replica.rss_mb()
    done.set()
    await asyncio.gather(*people)
    return joined, end


def _warm(url: str, store: WorkshopStore, rubric: RubricSet) -> None:
    """One quick participant in a workshop of their own, so the step does not pay for first imports and caches."""
    created = store.create_workshop(store.new_organiser_key(), "Warm-up", rubric.id, rubric.version)
    record = Record("Warm-up")
    asyncio.run(take_part(url, created.join_code, record, rubric, Pace(think=0.05, arrival=0.0), random.Random(0)))
    if record.error:
        raise RuntimeError(f"the warm-up participant failed: {record.error}")


def run_step(people: int, args: argparse.Namespace, rubric: RubricSet) -> Step:
    pace = Pace(think=args.think, arrival=args.arrival if people > 1 else 0.0)
    with scratch_directory() as directory, postgres_database() as database:
        replica = Replica(database, directory, options=tuple(f"--{o}" for o in args.option))
        store = WorkshopStore(database, rubrics=[rubric])
        try:
            _warm(replica.url, store, rubric)
            created = store.create_workshop(store.new_organiser_key(), "Benchmark Hall", rubric.id, rubric.version)
            time.sleep(1.0)
            load, base_rss, base_cpu, client_cpu = os.getloadavg()[0], replica.rss_mb(), replica.cpu_seconds(), \
                time.process_time()
            records = [Record(f"Participant {i + 1}") for i in range(people)]
            start = time.perf_counter()
            joined, end = asyncio.run(_room(replica.url, created.join_code, records, rubric, pace, args.seed, replica))
            seconds, cpu = time.perf_counter() - start, replica.cpu_seconds() - base_cpu
            lost = sum(_lost(store, r) for r in records)
        finally:
            store.dispose()
            replica.stop()
    step = Step(people, records, seconds, cpu, base_rss, joined, end, lost, load, time.process_time() - client_cpu)
    step.latencies = [s for r in records for s in r.latencies]
    return step


def _lost(store: WorkshopStore, record: Record) -> int:
    """Acknowledged answers the database does not hold with the acknowledged value."""
    if not record.token:
        return len(record.acknowledged)
    stored = store.participant_answers(record.token)
    return sum(1 for question, value in record.acknowledged.items() if stored.get(question) != value)


def _row(step: Step, alone: Step) -> str:
    cells = [f"{step.people:>5}", f"{step.answers:>7}", f"{step.p(50):>7.3f}", f"{step.p(95):>7.3f}",
             f"{max(step.latencies, default=0):>7.3f}", f"{step.p(95) / alone.p(95):>6.1f}×",
             f"{step.cpu_per_answer_ms:>7.1f}", f"{step.cpu_per_answer_ms / alone.cpu_per_answer_ms:>5.2f}×",
             f"{step.answers / step.seconds:>6.2f}", f"{step.rss_joined:>7.0f}", f"{step.rss_per_session:>7.2f}",
             f"{step.rss_end:>7.0f}", f"{step.lost:>4}", f"{sum(r.discarded for r in step.records):>4}",
             f"{step.errors:>4}", f"{step.load:>5.2f}", f"{step.client_cpu:>6.1f}"]
    return " ".join(cells)


HEADER = ("    N answers ack p50 ack p95 ack max p95/1st  CPU/ans   ×1st ans/s  RSS MB  MB/ses RSS end"
          " lost disc errs  load cliCPU")


def next_people(steps: list[Step], planned: list[int], bisections: int = 2) -> int | None:
    """The planned sizes while they pass; after the first miss, up to ``bisections`` steps half-way back."""
    if all(s.passed for s in steps):
        remaining = [n for n in planned if n not in {s.people for s in steps}]
        return remaining[0] if remaining else None
    failed = min(s.people for s in steps if not s.passed)
    passed = max((s.people for s in steps if s.passed and s.people < failed), default=0)
    extra = sum(1 for s in steps if s.people not in planned)
    middle = (failed + passed) // 2
    return middle if extra < bisections and middle not in (passed, failed) else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--think", type=float, default=5.0, help="median pause before each answer, seconds")
    parser.add_argument("--arrival", type=float, default=20.0, help="everyone joins within this many seconds")
    parser.add_argument("--steps", default="1,10,20,40,60,80", help="room sizes to try, ascending (first: alone)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a Streamlit option for the replica, e.g. runner.postScriptGC=false (repeatable)")
    args = parser.parse_args()
    rubric = load_rubric_dir()
    planned = [int(n) for n in args.steps.split(",")]
    options = " ".join(f"--{o}" for o in args.option)
    print(f"One replica (streamlit run app.py {options}) on PostgreSQL; {len(rubric.questions())} questions each; "
          f"think {args.think:g} s median; {os.cpu_count()} CPUs. ack = rerun sent → script_finished (s).\n")
    print(HEADER)
    steps: list[Step] = []
    while (people := next_people(steps, planned)) is not None:
        steps.append(run_step(people, args, rubric))
        print(_row(steps[-1], steps[0]), flush=True)
    _summary(steps, args)


def _summary(steps: list[Step], args: argparse.Namespace) -> None:
    alone = steps[0]
    passing = [s for s in steps if s.passed]
    best = max(passing, key=lambda s: s.people) if passing else None
    lost = sum(s.lost for s in steps)
    print()
    if best is None:
        print(f"MISS  no room size kept the ack p95 ≤ {TARGET_S:g} s")
        return
    cycle = args.think + best.p(50)
    print(f"participants per replica at ack p95 ≤ {TARGET_S:g} s: {best.people} (think {args.think:g} s; "
          f"p95 {best.p(95):.3f} s = {best.p(95) / alone.p(95):.1f}× one participant alone; "
          f"{best.answers / best.seconds:.2f} answers/s)")
    print(f"  at the app's own pace (~{APP_PACE_S:.0f} s per answer) the same answers per second would come from "
          f"~{best.people * (APP_PACE_S + best.p(50)) / cycle:.0f} participants (scaled, not measured)")
    print(f"RSS per session: {best.rss_per_session:.2f} MB (server {best.rss_base:.0f} MB warm, "
          f"{best.rss_joined:.0f} MB with {best.people} joined)")
    print(f"CPU per answer: {best.cpu_per_answer_ms:.1f} ms = {best.cpu_per_answer_ms / alone.cpu_per_answer_ms:.2f}× "
          f"alone ({alone.cpu_per_answer_ms:.1f} ms)")
    print(f"answers lost: {lost} (of {sum(s.answers for s in steps)} acknowledged, all steps)"
          + ("" if lost == 0 else "  ← MUST BE 0"))


if __name__ == "__main__":
    main()
