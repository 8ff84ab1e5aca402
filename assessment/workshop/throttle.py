"""Slowing down guessed join codes: exponential back-off per browser session.

A join code has ≥ 40 bits, so guessing is hopeless at human speed; the
throttle keeps it hopeless for a script too. The first ``free_failures - 1``
wrong codes cost nothing (people mistype); from the ``free_failures``-th on,
the session waits ``base``, then twice as long after each further failure,
up to ``cap`` seconds. A right code clears the session's record. Sessions
idle for ``forget_after`` seconds are forgotten, so memory stays bounded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assessment.workshop.errors import TooManyAttempts

_T = TypeVar("_T")


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last_seen: float = 0.0


class JoinThrottle:
    """Thread-safe back-off keyed by a session id (one instance shared by the whole app)."""

    def __init__(
        self,
        free_failures: int = 3,
        base: float = 1.0,
        cap: float = 60.0,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        if free_failures < 1 or base <= 0 or cap < base:
            raise ValueError("need free_failures ≥ 1 and 0 < base ≤ cap")
        self.free_failures, self.base, self.cap, self.forget_after = free_failures, base, cap, forget_after
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()
        self._last_prune = clock()

    def check(self, session_id: str) -> float:
        """Seconds this session must still wait before its next try (0.0: go ahead)."""
        with self._lock:
            record = self._records.get(session_id)
            return 0.0 if record is None else max(0.0, record.blocked_until - self._clock())

    def failure(self, session_id: str) -> float:
        """Record a wrong code; returns the wait it now imposes."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            record = self._records.setdefault(session_id, _Record())
            record.failures += 1
            record.last_seen = now
            extra = record.failures - self.free_failures
            wait = 0.0 if extra < 0 else min(self.cap, self.base * 2.0 ** min(extra, 64))
            record.blocked_until = now + wait
            return wait

    def success(self, session_id: str) -> None:
        """A right code: the session starts afresh."""
        with self._lock:
            self._records.pop(session_id, None)

    def attempt(self, session_id: str, join: Callable[[], _T],
                failures: tuple[type[BaseException], ...] = (LookupError,)) -> _T:
        """Run ``join()`` unless the session must wait (TooManyAttempts); an exception in
        ``failures`` (UnknownJoinCode is a LookupError) counts against the session."""
        wait = self.check(session_id)
        if wait > 0:
            raise TooManyAttempts(wait)
        try:
            result = join()
        except failures:
            self.failure(session_id)
            raise
        self.success(session_id)
        return result

    def _prune(self, now: float) -> None:
        if now - self._last_prune < 60:
            return
        self._last_prune = now
        stale = [key for key, record in self._records.items()
                 if now - record.last_seen > self.forget_after and record.blocked_until <= now]
        for key in stale:
            del self._records[key]
