"""The join throttle's records: wrong join codes counted per key, in the database every replica shares.

A key is a client address, or an address and a workshop's code prefix (made by
:mod:`assessment.workshop.throttle`); only its SHA-256 is stored, so the table
holds no addresses. A failure is counted in one statement (an upsert), so
concurrent failures from many replicas are all counted; records idle for the
policy's ``forget_after`` restart from zero and are deleted on the next clean-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from assessment.workshop.schema import join_attempts
from assessment.workshop.store.base import StoreBase
from assessment.workshop.tokens import secret_hash

_PRUNE_EVERY = 60.0
"""Seconds between clean-ups of expired records (each process cleans on a failure, at most this often)."""


class Attempts(StoreBase):
    """Counting wrong join codes (see :class:`assessment.workshop.throttle.JoinThrottle` for the policy)."""

    _last_prune: float = float("-inf")

    def attempt_wait(self, keys: Sequence[str]) -> float:
        """Seconds the longest-blocked of ``keys`` must still wait (0.0: go ahead)."""
        now = self._clock()
        hashes = [secret_hash(k) for k in keys]
        with self._db.read() as conn:
            until = conn.scalar(
                select(join_attempts.c.blocked_until).where(join_attempts.c.key_hash.in_(hashes))
                .order_by(join_attempts.c.blocked_until.desc()).limit(1)
            )
        return 0.0 if until is None else max(0.0, until - now)

    def record_failure(self, key: str, forget_after: float, wait_for: Callable[[int], float]) -> float:
        """Count one wrong code against ``key`` (afresh after ``forget_after`` idle) and block it for
        ``wait_for(failures so far)`` seconds, in one transaction; returns that wait."""
        now = self._clock()
        with self._db.write() as conn:
            failures = conn.execute(
                _count(self._db.dialect, now, forget_after).returning(join_attempts.c.failures),
                {"key_hash": secret_hash(key), "failures": 1, "blocked_until": 0.0, "last_seen": now},
            ).scalar_one()
            wait = wait_for(int(failures))
            conn.execute(update(join_attempts).where(join_attempts.c.key_hash == secret_hash(key))
                         .values(blocked_until=now + wait))
        self._prune(now, forget_after)
        return wait

    def clear_attempts(self, key: str) -> None:
        """A right code: this key starts afresh."""
        with self._db.write() as conn:
            conn.execute(delete(join_attempts).where(join_attempts.c.key_hash == secret_hash(key)))

    def forget_attempts(self, forget_after: float) -> int:
        """Delete records idle for ``forget_after`` seconds and no longer blocking; returns how many."""
        now = self._clock()
        with self._db.write() as conn:
            gone = conn.execute(
                delete(join_attempts)
                .where(join_attempts.c.last_seen < now - forget_after, join_attempts.c.blocked_until <= now)
            )
        return int(gone.rowcount or 0)

    def _prune(self, now: float, forget_after: float) -> None:
        if now - self._last_prune >= _PRUNE_EVERY:
            self._last_prune = now
            self.forget_attempts(forget_after)


def _count(dialect: str, now: float, forget_after: float) -> Any:
    """``INSERT … ON CONFLICT DO UPDATE``: one more failure, or the first again after ``forget_after`` idle."""
    insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(join_attempts)
    stale = join_attempts.c.last_seen < now - forget_after
    return insert.on_conflict_do_update(
        index_elements=["key_hash"],
        set_={"failures": case((stale, 1), else_=join_attempts.c.failures + 1), "last_seen": now},
    )
