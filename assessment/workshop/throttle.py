"""Slowing down guessed join codes: exponential back-off per client address, kept in the database.

A join code has ≥ 40 bits, so guessing is hopeless at human speed; the
throttle keeps it hopeless for a script too, and a new browser session (a
reconnect) resets nothing: the records are keyed by the client's address and
stored in the database every replica shares (:mod:`.store.attempts`).

Two keys count each wrong code:

* the address and the code's first group (the workshop the person meant, as far
  as a wrong code tells): strict, ``ROOM`` (the first two mistypes are free);
* the address across all workshops: ``ADDRESS``, looser, since a whole room
  behind one venue's Wi-Fi shares an address and mistypes now and then.

From a key's ``free``-th failure on, it waits ``base`` seconds, then twice as
long after each further failure, up to ``cap``. A try while any key waits is
refused unseen (a right code too, so a guesser cannot tell a hit from the
wait) and counts nothing. A right code clears the address-and-workshop key
only. Records idle for ``forget_after`` start afresh and are deleted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assessment.workshop.errors import TooManyAttempts
from assessment.workshop.store import WorkshopStore
from assessment.workshop.tokens import JOIN_GROUP, normalise_join_code

_T = TypeVar("_T")


@dataclass(frozen=True)
class Backoff:
    """``free - 1`` failures cost nothing; the ``free``-th waits ``base``, each further one twice as long,
    up to ``cap``."""

    free: int = 3
    base: float = 1.0
    cap: float = 60.0

    def __post_init__(self) -> None:
        if self.free < 1 or not 0 < self.base <= self.cap or not math.isfinite(self.cap):
            raise ValueError("need free ≥ 1 and 0 < base ≤ cap < ∞")

    def wait(self, failures: int) -> float:
        """The wait the ``failures``-th failure imposes."""
        extra = failures - self.free
        return 0.0 if extra < 0 else min(self.cap, self.base * 2.0 ** min(extra, 64))

    def most_allowed(self, seconds: float) -> int:
        """The most tries one key can have checked in ``seconds`` (all of them wrong), however fast it asks:
        the free ones, then one per wait served."""
        tries, spent = self.free, 0.0
        while True:
            spent += self.wait(tries)
            if spent > seconds:
                return tries
            tries += 1


ROOM = Backoff(free=3, base=1.0, cap=60.0)
ADDRESS = Backoff(free=30, base=1.0, cap=60.0)
FORGET_AFTER = 900.0
"""Seconds a key may stay idle before its failures are forgotten."""


class JoinThrottle:
    """The join throttle over a store (thread-safe and shared by replicas: the store does the counting)."""

    def __init__(self, store: WorkshopStore, room: Backoff = ROOM, address: Backoff = ADDRESS,
                 forget_after: float = FORGET_AFTER):
        if forget_after < max(room.cap, address.cap):
            raise ValueError("forget_after must outlast the longest wait")
        self.store, self.room, self.address, self.forget_after = store, room, address, forget_after

    @staticmethod
    def keys(client: str, code: str) -> tuple[str, str]:
        """The two keys a try counts against: (address and workshop, address)."""
        normal = normalise_join_code(code)
        prefix = normal[:JOIN_GROUP] if normal else "-"
        return f"address={client}|workshop={prefix}", f"address={client}"

    def check(self, client: str, code: str) -> float:
        """Seconds this client must still wait before trying this code (0.0: go ahead)."""
        return self.store.attempt_wait(self.keys(client, code))

    def failure(self, client: str, code: str) -> float:
        """Record a wrong code against both keys; returns the longer wait it now imposes."""
        room_key, address_key = self.keys(client, code)
        return max(self.store.record_failure(room_key, self.forget_after, self.room.wait),
                   self.store.record_failure(address_key, self.forget_after, self.address.wait))

    def success(self, client: str, code: str) -> None:
        """A right code: this client starts afresh for this workshop (not across all of them)."""
        self.store.clear_attempts(self.keys(client, code)[0])

    def attempt(self, client: str, code: str, join: Callable[[], _T],
                failures: tuple[type[BaseException], ...] = (LookupError,)) -> _T:
        """Run ``join()`` unless the client must wait (TooManyAttempts); an exception in ``failures``
        (UnknownJoinCode is a LookupError) counts against the client."""
        wait = self.check(client, code)
        if wait > 0:
            raise TooManyAttempts(wait)
        try:
            result = join()
        except failures:
            self.failure(client, code)
            raise
        self.success(client, code)
        return result
