"""The facilitator's decisions: show the answers, close or reopen, move the deadline, agree, delete.

Every call takes the workshop's id and the facilitator's (or organiser's)
key, and raises AccessDenied for a wrong key before it changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select, update

from assessment.models import RubricSet
from assessment.workshop import schema
from assessment.workshop.database import Database
from assessment.workshop.records import AgreedAnswers, to_seconds
from assessment.workshop.schema import agreed_answers, workshops
from assessment.workshop.store.access import authorise
from assessment.workshop.store.rubric_sets import RubricSets
from assessment.workshop.store.writes import encode_answers
from assessment.workshop.values import clean_text, decode


class Decisions(RubricSets):
    """What the facilitator decides for the room."""

    def __init__(self, db: Database, rubrics: Iterable[RubricSet], clock: Callable[[], float]):
        super().__init__(db, rubrics, clock)
        self._agreed_upsert = db.upsert(
            agreed_answers, key=("workshop_id", "question_id"), update=("value", "note", "updated_at")
        )
        self._agreed_upsert_keep_note = db.upsert(
            agreed_answers, key=("workshop_id", "question_id"), update=("value", "updated_at")
        )

    def set_revealed(self, workshop_id: int, key: str, revealed: bool) -> None:
        """Show (or hide) everyone's answers to the participants."""
        self._update_workshop(workshop_id, key, revealed=bool(revealed))

    def close(self, workshop_id: int, key: str) -> None:
        """Stop taking answers and new participants (the data stays; agreeing goes on)."""
        self._update_workshop(workshop_id, key, status="closed")

    def reopen(self, workshop_id: int, key: str) -> None:
        """Take answers again (a deadline already past still refuses them: move it with set_deadline)."""
        self._update_workshop(workshop_id, key, status="open")

    def set_deadline(self, workshop_id: int, key: str, deadline: dt.datetime | None) -> None:
        """Refuse answers from ``deadline`` on (None: no deadline); a naive datetime is UTC."""
        self._update_workshop(workshop_id, key, deadline=to_seconds(deadline))

    def _update_workshop(self, workshop_id: int, key: str, **values: Any) -> None:
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            conn.execute(update(workshops).where(workshops.c.id == row.id).values(**values))

    def delete(self, workshop_id: int, key: str) -> None:
        """Delete the workshop with its participants, answers and agreed answers."""
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            conn.execute(delete(workshops).where(workshops.c.id == row.id))

    def set_agreed(self, workshop_id: int, key: str, question_id: str, value: str | float,
                   note: str | None = None) -> None:
        """Record the room's agreed answer to one question, with its reason if given (None keeps the
        reason recorded before; an empty text removes it)."""
        self.set_agreed_many(workshop_id, key, {question_id: value}, None if note is None else {question_id: note})

    def set_agreed_many(self, workshop_id: int, key: str, values: Mapping[str, str | float],
                        notes: Mapping[str, str | None] | None = None) -> None:
        """Record several agreed answers at once (e.g. the medians as a starting point).

        ``notes`` gives the reasons to record; a question it leaves out keeps the reason it had.
        Raises InvalidAnswer (and records none) when the rubric refuses one, InvalidText for a note
        that is too long."""
        notes = notes or {}
        now = self._clock()
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            rubric = self.workshop_rubric(row.rubric_id, row.rubric_version, row.rubric_digest, conn)
            encoded = encode_answers(rubric, values)
            rows = [{"workshop_id": row.id, "question_id": question_id, "value": value, "updated_at": now}
                    for question_id, value in encoded.items()]
            noted = [r | {"note": clean_text(notes[r["question_id"]], "note", schema.NOTE_MAX, required=False)}
                     for r in rows if r["question_id"] in notes]
            kept = [r for r in rows if r["question_id"] not in notes]
            if noted:
                conn.execute(self._agreed_upsert, noted)
            if kept:
                conn.execute(self._agreed_upsert_keep_note, kept)

    def clear_agreed(self, workshop_id: int, key: str, question_id: str | None = None) -> None:
        """Forget one agreed answer, or all of them when ``question_id`` is None."""
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            statement = delete(agreed_answers).where(agreed_answers.c.workshop_id == row.id)
            if question_id is not None:
                statement = statement.where(agreed_answers.c.question_id == question_id)
            conn.execute(statement)

    def agreed(self, workshop_id: int, key: str) -> AgreedAnswers:
        """The agreed answers so far and their reasons, from one read."""
        with self._db.read() as conn:
            row = authorise(conn, workshop_id, key)
            rows = conn.execute(
                select(agreed_answers.c.question_id, agreed_answers.c.value, agreed_answers.c.note)
                .where(agreed_answers.c.workshop_id == row.id)
                .order_by(agreed_answers.c.question_id)
            ).all()
        return AgreedAnswers(
            values={question_id: decode(value) for question_id, value, _ in rows},
            notes={question_id: note for question_id, _, note in rows if note},
        )
