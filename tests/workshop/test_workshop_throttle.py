"""Repeated wrong join codes slow a session down; right codes and other sessions are not held up."""

from __future__ import annotations

import threading

import pytest

from assessment.models import RubricSet
from assessment.workshop import JoinThrottle, TooManyAttempts, UnknownJoinCode, WorkshopStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_back_off_doubles_after_three_failures_up_to_a_cap() -> None:
    clock = FakeClock()
    throttle = JoinThrottle(clock=clock)
    waits = []
    for _ in range(10):
        assert throttle.check("s") == 0.0  # the clock moves on past each wait below
        waits.append(throttle.failure("s"))
        clock.now += waits[-1]
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_wait_counts_down_and_success_clears_it() -> None:
    clock = FakeClock()
    throttle = JoinThrottle(clock=clock)
    for _ in range(4):
        throttle.failure("s")
    assert throttle.check("s") == 2.0
    clock.now += 1.5
    assert throttle.check("s") == pytest.approx(0.5)
    assert throttle.check("another session") == 0.0
    throttle.success("s")
    assert throttle.check("s") == 0.0
    assert throttle.failure("s") == 0.0  # counting starts afresh


def test_attempt_refuses_while_waiting_and_counts_wrong_codes(store: WorkshopStore, rubric: RubricSet) -> None:
    clock = FakeClock()
    throttle = JoinThrottle(clock=clock)
    created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
    for _ in range(3):
        with pytest.raises(UnknownJoinCode):
            throttle.attempt("s", lambda: store.join("3" * 10, "Guesser"))
    # The right code must wait too, so a guesser cannot tell a hit from the wait.
    with pytest.raises(TooManyAttempts) as waiting:
        throttle.attempt("s", lambda: store.join(created.join_code, "Guesser"))
    assert waiting.value.seconds == 1.0 and "wait 1 seconds" in str(waiting.value)
    clock.now += 1.0
    joined = throttle.attempt("s", lambda: store.join(created.join_code, "Guesser"))
    assert joined.number == 1 and throttle.check("s") == 0.0


def test_failures_from_many_threads_are_all_counted() -> None:
    clock = FakeClock()
    throttle = JoinThrottle(free_failures=400, base=1.0, cap=60.0, clock=clock)

    def fail() -> None:
        for _ in range(50):
            throttle.failure("shared")

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Only the 400th failure brings the first wait: one lost update and there is none.
    assert throttle.check("shared") == 1.0


def test_idle_sessions_are_forgotten() -> None:
    clock = FakeClock()
    throttle = JoinThrottle(forget_after=100, clock=clock)
    throttle.failure("old")
    clock.now += 1000
    throttle.failure("new")  # pruning runs on a failure at most once a minute
    assert "old" not in throttle._records and "new" in throttle._records


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        JoinThrottle(free_failures=0)
    with pytest.raises(ValueError):
        JoinThrottle(base=10, cap=1)
