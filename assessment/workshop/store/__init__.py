"""The workshop store: workshops, participants and their answers, the agreed answers.

One object for the pages, in parts by job:

* :mod:`.access`: organiser and facilitator keys, join codes, resume tokens;
* :mod:`.writes`: participants' answers, committed in groups;
* :mod:`.reads`: a participant's answers, and everyone's as one table;
* :mod:`.decisions`: the facilitator's reveal, close, deadline, agreed answers, delete;
* :mod:`.room`: the presenter's question, timer and reveals, participants' "I'm done" and comments;
* :mod:`.rubric_sets`: rubric sets stored by digest, each workshop pinned to one;
* :mod:`.health`: the database's self-check;
* :mod:`.attempts`: the join throttle's counts of wrong codes (per client address);
* :mod:`.founders`: founders' own assessments (by their private key) and their snapshots.

Every call runs in one short transaction and returns after the commit. User
texts are stored and returned as data, never interpreted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from assessment.models import RubricSet
from assessment.workshop import schema
from assessment.workshop.database import Database
from assessment.workshop.settings import WorkshopSettings, normalise_url
from assessment.workshop.store.access import Access
from assessment.workshop.store.attempts import Attempts
from assessment.workshop.store.decisions import Decisions
from assessment.workshop.store.founders import Founders
from assessment.workshop.store.health import Health
from assessment.workshop.store.reads import Reads
from assessment.workshop.store.room import Room
from assessment.workshop.store.writes import Writes

__all__ = ["WorkshopStore"]


class WorkshopStore(Access, Writes, Reads, Decisions, Room, Health, Founders, Attempts):
    """All workshop data, and founders' own assessments, behind one API, on SQLite (default) or PostgreSQL.

    ``url``: a SQLAlchemy URL (``postgres://`` and ``postgresql://`` are taken to
    mean psycopg 3); None resolves it from the environment like
    :meth:`from_environment`. ``rubrics``: rubric sets to check answers
    against; a workshop whose rubric is not among them accepts any well-formed
    answer. The schema is created or migrated on start.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        rubrics: Iterable[RubricSet] = (),
        clock: Callable[[], float] = time.time,
        echo: bool = False,
    ):
        self.url = normalise_url(url) if url else WorkshopSettings().store_url()
        super().__init__(Database(self.url, echo), rubrics, clock)
        with self._db.write() as conn:
            self.schema_version = schema.migrate(conn)

    @classmethod
    def from_environment(
        cls, *, rubrics: Iterable[RubricSet] = (), settings: WorkshopSettings | None = None
    ) -> WorkshopStore:
        """The store this deployment uses: ``DATABASE_URL``, the secrets file, or SQLite under the data dir
        (:mod:`assessment.workshop.settings`); ``settings`` replaces what they say."""
        return cls((settings or WorkshopSettings()).store_url(), rubrics=rubrics)

    def __enter__(self) -> WorkshopStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()
