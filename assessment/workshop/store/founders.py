"""Founders' own assessments: kept under a private key, saved a change at a time, snapshotted.

A founder's key (the ``?a=`` of their link) opens every assessment they made
with it, numbered 1, 2, 3 …; only its SHA-256 is stored, and a wrong key opens
nothing, after the same constant-time comparison as a right one. Changes are
committed in groups (:mod:`assessment.workshop.batching`): a save returns once
its change is committed, and saves arriving together share one transaction
with one read of the documents they change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection, Row, Select, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from assessment.answers import answer_problem
from assessment.history import Snapshot, SnapshotReason
from assessment.models import RubricSet
from assessment.saved_work import SavedWork, WorkChange, apply_change
from assessment.workshop.batching import GroupCommit
from assessment.workshop.database import Database
from assessment.workshop.errors import InvalidAnswer, InvalidChange, UnknownAssessment, WorkshopError
from assessment.workshop.schema import founders, saved_assessments, snapshots
from assessment.workshop.store.base import StoreBase
from assessment.workshop.tokens import hash_matches, new_secret, plausible_secret, secret_hash

_NUMBER_TRIES = 8


@dataclass(frozen=True)
class SavedRecord:
    """One assessment as read back: its number under the key, the work, and what an undo would bring back."""

    number: int
    work: SavedWork
    undo: SavedWork | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class _ChangeRequest:
    key: str
    key_hash: str
    number: int
    change: WorkChange
    now: float


def _saved_by_key() -> Select:
    """Assessments with their founder's key hash, bound with ``hashes``: a list of key hashes."""
    return (
        select(saved_assessments, founders.c.key_hash)
        .join(founders, founders.c.id == saved_assessments.c.founder_id)
        .where(founders.c.key_hash.in_(bindparam("hashes", expanding=True)))
    )


class Founders(StoreBase):
    """Creating, opening, listing, changing and snapshotting founders' assessments."""

    def __init__(self, db: Database, rubrics: Iterable[RubricSet], clock: Callable[[], float]):
        super().__init__(db, rubrics, clock)
        self._work_saves: GroupCommit[_ChangeRequest] = GroupCommit(self._save_work_batch)

    @staticmethod
    def new_founder_key() -> str:
        """A fresh private key; it is recorded (as a hash) with its first assessment."""
        return new_secret()

    def create_saved(self, key: str, work: SavedWork) -> int:
        """A new assessment under ``key`` holding ``work``; returns its number. Raises UnknownAssessment
        for a key that cannot be one."""
        if not plausible_secret(key):
            raise UnknownAssessment()
        self._check_answers(work, work.answers)
        upsert_founder = self._db.upsert(founders, key=("key_hash",), update=("key_hash",))
        for attempt in range(_NUMBER_TRIES):
            try:
                with self._db.write() as conn:
                    now = self._clock()
                    founder_id = conn.execute(upsert_founder.returning(founders.c.id),
                                              {"key_hash": secret_hash(key), "created_at": now}).scalar_one()
                    number = 1 + (conn.scalar(select(func.max(saved_assessments.c.number))
                                              .where(saved_assessments.c.founder_id == founder_id)) or 0)
                    conn.execute(insert(saved_assessments).values(
                        founder_id=founder_id, number=number, document=work.model_dump_json(), undo=None,
                        created_at=now, updated_at=now))
                    return number
            except IntegrityError:  # another tab took the number at the same moment: take the next
                if attempt == _NUMBER_TRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def open_saved(self, key: str, number: int | None = None) -> SavedRecord | None:
        """The assessment ``number`` under ``key`` (None: the one changed last), or None when the key opens none."""
        rows = self._rows(key)
        if number is not None:
            rows = [row for row in rows if row.number == number]
        if not rows:
            return None
        return _record(max(rows, key=lambda row: (row.updated_at, row.number)))

    def list_saved(self, key: str) -> list[SavedRecord]:
        """Every assessment under ``key``, the one changed last first (an unknown key lists nothing)."""
        return [_record(row) for row in sorted(self._rows(key), key=lambda r: (r.updated_at, r.number), reverse=True)]

    def _rows(self, key: str) -> list[Row]:
        if not plausible_secret(key):
            return []
        with self._db.read() as conn:
            rows = conn.execute(_saved_by_key(), {"hashes": [secret_hash(key)]}).all()
        return [row for row in rows if hash_matches(key, row.key_hash)]

    def save_work(self, key: str, number: int, change: WorkChange) -> None:
        """Apply ``change`` to assessment ``number``; returns once it is committed.

        Raises UnknownAssessment (wrong key or number) or InvalidAnswer (an answer the rubric refuses),
        and then changes nothing."""
        if not plausible_secret(key):
            raise UnknownAssessment()
        self._work_saves.submit(_ChangeRequest(key, secret_hash(key), int(number), change, self._clock()))

    def _save_work_batch(self, requests: Sequence[_ChangeRequest]) -> list[BaseException | None]:
        """One transaction for many saves: one read of the documents they change, one update per document."""
        errors: list[BaseException | None] = []
        with self._db.write() as conn:
            found = {(row.key_hash, row.number): row for row in conn.execute(
                _saved_by_key().where(saved_assessments.c.number.in_(sorted({r.number for r in requests}))),
                {"hashes": sorted({r.key_hash for r in requests})})}
            state: dict[int, tuple[SavedWork, SavedWork | None, float]] = {}
            for request in requests:
                row = found.get((request.key_hash, request.number))
                try:
                    if row is None or not hash_matches(request.key, row.key_hash):
                        raise UnknownAssessment()
                    work, undo, _ = state.get(row.id) or (*_documents(row), request.now)
                    self._check_answers(work, request.change.answers)
                    state[row.id] = (*apply_change(work, undo, request.change), request.now)
                except WorkshopError as refused:
                    errors.append(refused)
                    continue
                except ValidationError as invalid:  # the changed document fails its model (a link, a long name)
                    first = invalid.errors()[0]
                    where = ".".join(str(part) for part in first["loc"])
                    errors.append(InvalidChange(problem=f"{where}: {first['msg']}"[:300]))
                    continue
                errors.append(None)
            if state:
                conn.execute(
                    update(saved_assessments).where(saved_assessments.c.id == bindparam("row_id"))
                    .values(document=bindparam("doc"), undo=bindparam("undo_doc"), updated_at=bindparam("now")),
                    [{"row_id": row_id, "doc": work.model_dump_json(),
                      "undo_doc": None if undo is None else undo.model_dump_json(), "now": now}
                     for row_id, (work, undo, now) in state.items()],
                )
        return errors

    def _check_answers(self, work: SavedWork, answers: Mapping[str, object]) -> None:
        rubric = self._rubric(work.rubric_id, work.rubric_version)
        if rubric is None:
            return
        for question_id, value in answers.items():
            question = rubric.question(question_id)
            problem = "not a question of this rubric" if question is None else (
                None if value is None else answer_problem(question, value))
            if problem:
                raise InvalidAnswer(question=str(question_id)[:64], problem=problem)

    def delete_saved(self, key: str, number: int) -> None:
        """Delete the assessment with its snapshots. Raises UnknownAssessment."""
        with self._db.write() as conn:
            row = _owned_row(conn, key, number)
            conn.execute(delete(saved_assessments).where(saved_assessments.c.id == row.id))

    def take_snapshot(self, key: str, number: int, reason: SnapshotReason = "saved") -> Snapshot:
        """Keep the assessment as it stands now, dated; returns the snapshot. Raises UnknownAssessment."""
        with self._db.write() as conn:
            row = _owned_row(conn, key, number)
            taken = 1 + (conn.scalar(select(func.max(snapshots.c.number))
                                     .where(snapshots.c.assessment_id == row.id)) or 0)
            now = self._clock()
            conn.execute(insert(snapshots).values(assessment_id=row.id, number=taken, taken_at=now, reason=reason,
                                                  document=row.document))
        return Snapshot(number=taken, taken_at=_utc(now), reason=reason,
                        work=SavedWork.model_validate_json(row.document))

    def snapshots(self, key: str, number: int) -> list[Snapshot]:
        """The assessment's snapshots, oldest first, in one indexed query. Raises UnknownAssessment."""
        if not plausible_secret(key):
            raise UnknownAssessment()
        with self._db.read() as conn:
            rows = conn.execute(
                select(founders.c.key_hash, snapshots.c.number.label("taken"), snapshots.c.taken_at,
                       snapshots.c.reason, snapshots.c.document)
                .select_from(saved_assessments.join(founders, founders.c.id == saved_assessments.c.founder_id)
                             .outerjoin(snapshots, snapshots.c.assessment_id == saved_assessments.c.id))
                .where(founders.c.key_hash == secret_hash(key), saved_assessments.c.number == int(number))
                .order_by(snapshots.c.number)
            ).all()
        if not rows or not hash_matches(key, rows[0].key_hash):
            raise UnknownAssessment()
        return [Snapshot(number=r.taken, taken_at=_utc(r.taken_at), reason=r.reason,
                         work=SavedWork.model_validate_json(r.document)) for r in rows if r.taken is not None]


def _owned_row(conn: Connection, key: str, number: int) -> Row:
    if not plausible_secret(key):
        raise UnknownAssessment()
    row = conn.execute(_saved_by_key().where(saved_assessments.c.number == int(number)),
                       {"hashes": [secret_hash(key)]}).first()
    if row is None or not hash_matches(key, row.key_hash):
        raise UnknownAssessment()
    return row


def _documents(row: Row) -> tuple[SavedWork, SavedWork | None]:
    undo = None if row.undo is None else SavedWork.model_validate_json(row.undo)
    return SavedWork.model_validate_json(row.document), undo


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _record(row: Row) -> SavedRecord:
    work, undo = _documents(row)
    return SavedRecord(row.number, work, undo, _utc(row.created_at), _utc(row.updated_at))
