"""A full room at once: nothing lost, nothing half-seen, on both databases."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from assessment.models import RubricSet
from assessment.workshop import WorkshopStore

ROOM = 40
WRITES = 30
DISTINCT = 10  # each participant answers 10 questions, each three times over


def run_together(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` in ``count`` threads released at the same moment; re-raise the first error."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    if errors:
        raise errors[0]


def test_simultaneous_joins_get_distinct_numbers(database_url: str, rubric: RubricSet) -> None:
    stores = [WorkshopStore(database_url, rubrics=[rubric]) for _ in range(4)]
    try:
        created = stores[0].create_workshop(stores[0].new_organiser_key(), "Cake", rubric.id, rubric.version)
        numbers: list[int] = []
        run_together(ROOM, lambda i: numbers.append(stores[i % 4].join(created.join_code, f"P{i}").number))
        assert sorted(numbers) == list(range(1, ROOM + 1))
        info = stores[0].facilitator(created.workshop_id, created.facilitator_key)
        assert info is not None and info.participants == ROOM
    finally:
        for store in stores:
            store.dispose()


def test_forty_writers_lose_nothing_and_the_last_value_wins(database_url: str, rubric: RubricSet) -> None:
    # Several store instances (separate engines and pools) share the database, as app processes would.
    stores = [WorkshopStore(database_url, rubrics=[rubric]) for _ in range(4)]
    try:
        created = stores[0].create_workshop(stores[0].new_organiser_key(), "Cake", rubric.id, rubric.version)
        tokens = [stores[0].join(created.join_code, f"Person {i}").resume_token for i in range(ROOM)]
        questions = [q for _, q in rubric.choice_questions()]
        expected: dict[tuple[int, str], str] = {}
        plan: list[list[tuple[str, str]]] = []
        for i in range(ROOM):
            writes = []
            for k in range(WRITES):
                question = questions[(i + k) % DISTINCT]
                value = question.options[(i * 7 + k) % len(question.options)].id
                writes.append((question.id, value))
                expected[(i + 1, question.id)] = value  # later writes overwrite: the last one is expected
            plan.append(writes)

        def participant(i: int) -> None:
            store = stores[i % len(stores)]
            for question_id, value in plan[i]:
                store.save_answer(tokens[i], question_id, value)

        run_together(ROOM, participant)
        frame = stores[0].workshop_answers(created.workshop_id, created.facilitator_key)
        stored = {(int(n), q): v for n, q, v in zip(frame["number"], frame["question_id"], frame["value"], strict=True)}
        assert len(frame) == ROOM * DISTINCT
        assert stored == expected
        assert stores[0].integrity_check() == []
    finally:
        for store in stores:
            store.dispose()


def test_readers_never_see_half_of_a_save(database_url: str, rubric: RubricSet) -> None:
    """A participant saves two answers together while the facilitator and others keep reading:
    every read shows both old or both new, never one of each."""
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
        store.set_revealed(created.workshop_id, created.facilitator_key, True)
        writer = store.join(created.join_code, "Writer").resume_token
        watcher = store.join(created.join_code, "Watcher").resume_token
        first, second = rubric.choice_questions()[0][1], rubric.choice_questions()[1][1]
        options = min(len(first.options), len(second.options))
        store.save_answers(writer, {first.id: first.options[0].id, second.id: second.options[0].id})
        done = threading.Event()
        reads: list[int] = []
        mismatches: list[tuple[object, object]] = []

        def check(frame) -> None:
            mine = frame[frame["number"] == 1].set_index("question_id")["value"]
            position_first = [o.id for o in first.options].index(mine[first.id])
            position_second = [o.id for o in second.options].index(mine[second.id])
            if position_first != position_second:
                mismatches.append((mine[first.id], mine[second.id]))

        def write(_: int) -> None:
            try:
                for k in range(1, 301):
                    code = k % options
                    store.save_answers(writer, {first.id: first.options[code].id, second.id: second.options[code].id})
            finally:
                done.set()

        def read(i: int) -> None:
            while not done.is_set():
                if i % 2:
                    check(store.workshop_answers(created.workshop_id, created.facilitator_key))
                else:
                    check(store.revealed_frame(watcher))
                reads.append(1)

        run_together(5, lambda i: write(i) if i == 0 else read(i))
        assert not mismatches, mismatches[:5]
        assert len(reads) >= 20, "the readers barely overlapped the writer"


def test_writer_processes_share_the_database(database_url: str, rubric: RubricSet) -> None:
    """Four processes (as several app servers would) write at once: the database's own locking
    (BEGIN IMMEDIATE and the busy timeout on SQLite) keeps every last value."""
    writer = Path(__file__).with_name("answer_writer.py")
    processes_count, participants, writes = 4, 5, 150
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
        processes = [
            subprocess.Popen(
                [sys.executable, str(writer), database_url, created.join_code, str(participants), str(writes)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for _ in range(processes_count)
        ]
        outputs = [process.communicate(timeout=240) for process in processes]
        for process, (_, err) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, err
        expected: dict[str, dict[str, str]] = {}
        for out, _ in outputs:
            tokens = {int(n): token for kind, n, token in (line.split() for line in out.splitlines()
                                                         if line.startswith("token "))}
            for line in out.splitlines():
                if line.startswith("ack "):
                    _, _, who, question_id, value = line.split()
                    expected.setdefault(tokens[int(who)], {})[question_id] = value
            assert sum(line.startswith("ack ") for line in out.splitlines()) == writes
        assert len(expected) == processes_count * participants
        for token, answers in expected.items():
            assert store.participant_answers(token) == answers
        assert store.integrity_check() == []
