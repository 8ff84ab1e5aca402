"""What every part of the store shares: the database, the rubrics answers are checked against, the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assessment.models import RubricSet
from assessment.workshop.database import Database


class StoreBase:
    """The shared state of the store's parts (:mod:`.access`, :mod:`.writes`, :mod:`.reads`,
    :mod:`.decisions`, :mod:`.health`); each part adds the methods of one job.

    ``rubrics``: the rubric sets answers are checked against; a workshop whose rubric is not
    among them accepts any well-formed answer. Parts that prepare statements extend
    ``__init__`` cooperatively (``super().__init__(...)`` first).
    """

    def __init__(self, db: Database, rubrics: Iterable[RubricSet], clock: Callable[[], float]):
        self._db = db
        self._rubrics = {(r.id, r.version): r for r in rubrics}
        self._clock = clock

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    def dispose(self) -> None:
        """Close the pooled connections (the store can still be used; it reconnects)."""
        self._db.dispose()

    def _rubric(self, rubric_id: str, rubric_version: str) -> RubricSet | None:
        """The rubric set a workshop's answers are checked against, if this store knows it."""
        return self._rubrics.get((rubric_id, rubric_version))
