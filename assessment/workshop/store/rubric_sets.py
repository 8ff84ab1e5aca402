"""Rubric sets in the database, by content digest: a workshop is pinned to the exact files it was created with.

A consultant's own set is validated as on the Rubrics page
(:func:`assessment.rubrics.load_rubric_sources`), stored once per digest (any
replica may store it again: the insert keeps the first copy), and read back by
every page of that workshop, participants' included. Loaded sets are kept in
memory by digest: the digest names the content, so a copy never goes stale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

import cachetools
from sqlalchemy import Connection, select

from assessment.models import RubricSet
from assessment.problems import InputError, Problem
from assessment.rubrics import load_rubric_sources
from assessment.workshop.database import Database
from assessment.workshop.schema import FILE_NAME_MAX, rubric_files, rubric_sets
from assessment.workshop.store.base import StoreBase

LOADED_SETS = 32


class RubricSets(StoreBase):
    """Storing a workshop's rubric set and reading it back by digest."""

    def __init__(self, db: Database, rubrics: Iterable[RubricSet], clock: Callable[[], float]):
        super().__init__(db, rubrics, clock)
        self._loaded: cachetools.LRUCache[str, RubricSet] = cachetools.LRUCache(maxsize=LOADED_SETS)
        self._loaded_lock = threading.Lock()

    def save_rubric(self, sources: Mapping[str, bytes]) -> RubricSet:
        """Validate a rubric set (``{file name: bytes}``) and store it under its digest.

        Raises :class:`~assessment.problems.InputError` with every problem located (file, line,
        path) and stores nothing. Storing a set that is already there changes nothing.
        """
        long_names = [name for name in sources if len(name) > FILE_NAME_MAX]
        if long_names:
            raise InputError([Problem(f"file name longer than {FILE_NAME_MAX} characters", name[:80])
                              for name in long_names])
        rubric = load_rubric_sources(sources)
        with self._db.write() as conn:
            conn.execute(self._db.insert_new(rubric_sets, ("digest",)),
                         {"digest": rubric.digest, "rubric_id": rubric.id, "rubric_version": rubric.version,
                          "created_at": self._clock()})
            conn.execute(self._db.insert_new(rubric_files, ("digest", "name")),
                         [{"digest": rubric.digest, "name": name, "content": bytes(content)}
                          for name, content in sorted(sources.items())])
        self._remember(rubric)
        return rubric

    def rubric_sources(self, digest: str) -> dict[str, bytes] | None:
        """The files of a stored set (to open it elsewhere, e.g. on the Results page), or None."""
        with self._db.read() as conn:
            return _sources(conn, digest)

    def rubric_by_digest(self, digest: str | None, conn: Connection | None = None) -> RubricSet | None:
        """The stored set with this digest (from memory after the first read), or None when unknown."""
        if not digest:
            return None
        with self._loaded_lock:
            known = self._loaded.get(digest)
        if known is not None:
            return known
        if conn is None:
            with self._db.read() as reader:
                sources = _sources(reader, digest)
        else:
            sources = _sources(conn, digest)
        if sources is None:
            return None
        rubric = load_rubric_sources(sources)
        self._remember(rubric)
        return rubric

    def workshop_rubric(self, rubric_id: str, rubric_version: str, digest: str | None,
                        conn: Connection | None = None) -> RubricSet | None:
        """The set a workshop is pinned to: by its digest, else (older workshops) by id and version."""
        return self.rubric_by_digest(digest, conn) or self._rubric(rubric_id, rubric_version)

    def _remember(self, rubric: RubricSet) -> None:
        with self._loaded_lock:
            self._loaded[rubric.digest] = rubric


def _sources(conn: Connection, digest: str) -> dict[str, bytes] | None:
    rows = conn.execute(
        select(rubric_files.c.name, rubric_files.c.content).where(rubric_files.c.digest == digest)
    ).all()
    return {name: bytes(content) for name, content in rows} or None
