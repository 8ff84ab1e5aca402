"""Answers coming out: a participant's own, and everyone's as one table for the aggregates.

Each read is one snapshot, so a table never holds half of a save. User texts
are returned as data, never interpreted.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import Connection, and_, select

from assessment.workshop.answer_table import answers_table
from assessment.workshop.schema import answer_rows, participants
from assessment.workshop.store.access import authorise, participant_row
from assessment.workshop.store.base import StoreBase
from assessment.workshop.values import StoredValue, decode


class Reads(StoreBase):
    """What participants and the facilitator read back."""

    def participant_answers(self, resume_token: str) -> dict[str, StoredValue]:
        """This participant's own answers: option ids, and floats for counts."""
        with self._db.read() as conn:
            who = participant_row(conn, resume_token)
            rows = conn.execute(
                select(answer_rows.c.question_id, answer_rows.c.value).where(
                    answer_rows.c.workshop_id == who.workshop_id, answer_rows.c.participant_id == who.participant_id
                )
            ).all()
        return {question_id: decode(value) for question_id, value in rows}

    def revealed_frame(self, resume_token: str) -> pd.DataFrame | None:
        """Everyone's answers for a participant once the facilitator has revealed them (else None);
        in an anonymous workshop as P1…Pn only."""
        with self._db.read() as conn:
            who = participant_row(conn, resume_token)
            if not who.revealed:
                return None
            return answers_of(conn, who.workshop_id, bool(who.anonymous))

    def workshop_answers(self, workshop_id: int, key: str) -> pd.DataFrame:
        """Every participant's answers, long format (:func:`~assessment.workshop.answer_table.answers_table`).

        A participant with no answers yet has one row with question_id and value missing. In an
        anonymous workshop display_name is P1…Pn and role is empty, here and in every export:
        names are never linked to answers. Raises AccessDenied for a wrong key.
        """
        with self._db.read() as conn:
            row = authorise(conn, workshop_id, key)
            return answers_of(conn, row.id, bool(row.anonymous))


def answers_of(conn: Connection, workshop_id: int, anonymous: bool,
               question_ids: Collection[str] | None = None) -> pd.DataFrame:
    """The answers table of one workshop (every participant, with or without answers), or of some questions only."""
    join_on = and_(answer_rows.c.workshop_id == participants.c.workshop_id,
                   answer_rows.c.participant_id == participants.c.id)
    if question_ids is not None:
        join_on = and_(join_on, answer_rows.c.question_id.in_(list(question_ids)))
    rows = conn.execute(
        select(
            participants.c.number,
            participants.c.display_name,
            participants.c.role,
            answer_rows.c.question_id,
            answer_rows.c.value,
            answer_rows.c.updated_at,
        )
        .select_from(
            participants.outerjoin(answer_rows, join_on)
        )
        .where(participants.c.workshop_id == workshop_id)
        .order_by(participants.c.number, answer_rows.c.question_id)
    ).all()
    return answers_table(rows, anonymous)
