"""Group commit: concurrent saves share transactions, and a refusal fails only its own caller."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from assessment.models import RubricSet
from assessment.workshop import InvalidAnswer, UnknownParticipant, WorkshopClosed, WorkshopStore
from assessment.workshop.batching import GroupCommit
from assessment.workshop.store.writes import SaveRequest
from assessment.workshop.tokens import new_secret, secret_hash


def test_concurrent_calls_share_batches_and_each_returns_after_its_batch() -> None:
    committed: list[int] = []
    batches: list[list[int]] = []

    def run(items: Sequence[int]) -> list[BaseException | None]:
        time.sleep(0.02)  # a slow commit, so callers pile up behind it
        batches.append(list(items))
        committed.extend(items)
        return [ValueError(f"odd {i}") if i % 2 else None for i in items]

    group: GroupCommit[int] = GroupCommit(run)
    outcome: dict[int, str] = {}

    def call(i: int) -> None:
        try:
            group.submit(i)
            assert i in committed  # returned only after its own batch ran
            outcome[i] = "ok"
        except ValueError as exc:
            outcome[i] = str(exc)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(committed) == list(range(40))
    assert outcome == {i: (f"odd {i}" if i % 2 else "ok") for i in range(40)}
    assert len(batches) < 40 and group.batches == len(batches)


def test_a_failed_batch_fails_all_of_its_callers_and_the_next_batch_runs() -> None:
    calls = []

    def run(items: Sequence[str]) -> list[BaseException | None]:
        calls.append(list(items))
        if "boom" in items:
            raise RuntimeError("disk full")
        return [None] * len(items)

    group: GroupCommit[str] = GroupCommit(run)
    with pytest.raises(RuntimeError, match="disk full"):
        group.submit("boom")
    group.submit("fine")
    assert calls == [["boom"], ["fine"]]


def test_a_runner_that_miscounts_cannot_hang_callers() -> None:
    group: GroupCommit[int] = GroupCommit(lambda items: [])
    with pytest.raises(RuntimeError, match="0 results for 1"):
        group.submit(1)


def test_one_batch_applies_the_good_requests_and_refuses_the_bad(store: WorkshopStore, rubric: RubricSet) -> None:
    organiser = store.new_organiser_key()
    open_one = store.create_workshop(organiser, "Open", rubric.id, rubric.version)
    closed_one = store.create_workshop(organiser, "Closed", rubric.id, rubric.version)
    anna = store.join(open_one.join_code, "Anna").resume_token
    bo = store.join(closed_one.join_code, "Bo").resume_token
    store.close(closed_one.workshop_id, closed_one.facilitator_key)
    question = rubric.choice_questions()[0][1]
    other = rubric.choice_questions()[1][1]
    stranger = new_secret()

    def request(token: str, values: dict[str, object]) -> SaveRequest:
        return SaveRequest(token, secret_hash(token), values, time.time())

    errors = store._save_batch([
        request(anna, {question.id: question.options[0].id}),
        request(bo, {question.id: question.options[0].id}),
        request(stranger, {question.id: question.options[0].id}),
        request(anna, {other.id: "not_an_option", question.id: question.options[4].id}),
        request(anna, {question.id: question.options[2].id, other.id: other.options[1].id}),
    ])
    assert [type(e) for e in errors] == [type(None), WorkshopClosed, UnknownParticipant, InvalidAnswer, type(None)]
    # In order, as if one after the other: the refused request changed nothing, the last one won.
    assert store.participant_answers(anna) == {question.id: question.options[2].id, other.id: other.options[1].id}
    assert store.participant_answers(bo) == {}
