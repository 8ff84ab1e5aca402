"""Group commit: when a room saves at once, one transaction carries everyone's answers.

A database commits one writer at a time (SQLite always; PostgreSQL pays a
WAL flush and round trips per commit), and in CPython each transaction also
costs the Python work of a few statements. With 40 people clicking at once,
one transaction each would queue them behind one another. Instead the first
caller to arrive becomes the *leader*: it takes every request waiting at that
moment, runs them as one batch in one transaction, and wakes the others when
it has committed. Requests that arrive meanwhile form the next batch. Each
caller still returns only after its own data is committed, and a request that
is refused (closed workshop, invalid answer) fails alone, not its batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

_T = TypeVar("_T")
BatchRunner = Callable[[Sequence[_T]], Sequence[BaseException | None]]


@dataclass
class _Ticket(Generic[_T]):
    item: _T
    done: bool = False
    error: BaseException | None = None


class GroupCommit(Generic[_T]):
    """Runs ``run_batch(items)`` for concurrent ``submit(item)`` calls, a batch at a time.

    ``run_batch`` commits the batch and returns one entry per item: None when it was applied,
    or the exception to raise in that item's caller. If ``run_batch`` itself raises, nothing
    was committed and every caller in the batch gets that exception.
    """

    def __init__(self, run_batch: BatchRunner, max_batch: int = 200):
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._pending: list[_Ticket[_T]] = []
        self._leading = False
        self._cond = threading.Condition()
        self.batches = 0  # how many transactions were run (for tests and benchmarks)

    def submit(self, item: _T) -> None:
        """Apply ``item``; returns once it is committed, raises what was refused."""
        ticket = _Ticket(item)
        with self._cond:
            self._pending.append(ticket)
            while not ticket.done:
                if self._leading:
                    self._cond.wait()
                    continue
                self._leading = True
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                self._cond.release()
                try:
                    self._run(batch)
                finally:
                    self._cond.acquire()
                    self._leading = False
                    self._cond.notify_all()
        if ticket.error is not None:
            raise ticket.error

    def _run(self, batch: list[_Ticket[_T]]) -> None:
        try:
            errors = list(self._run_batch([ticket.item for ticket in batch]))
            if len(errors) != len(batch):
                raise RuntimeError(f"the batch runner returned {len(errors)} results for {len(batch)} items")
        except BaseException as exc:  # handed to every caller of the batch
            errors = [exc] * len(batch)
        self.batches += 1
        for ticket, error in zip(batch, errors, strict=True):
            ticket.error = error
            ticket.done = True
