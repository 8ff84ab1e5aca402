"""The room as it runs: the question on the projector, its timer, what is revealed, who is done, and why.

The presenter moves the room through the agenda; participants' pages poll
:meth:`Room.room_state` every few seconds, one small read by their token, so a
reveal, the next question or a closing reaches them without a reload.
Participants' "why" comments are theirs to write and the facilitator's to
read, anonymised like the answers.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import Connection, delete, exists, func, select, update

from assessment.workshop import schema
from assessment.workshop.errors import InvalidAnswer
from assessment.workshop.records import RoomProgress, RoomState, WorkshopInfo, to_datetime
from assessment.workshop.schema import answer_comments, participants, revealed_questions, workshops
from assessment.workshop.store.access import authorise, participant_row, refuse_if_closed
from assessment.workshop.store.reads import answers_of
from assessment.workshop.store.rubric_sets import RubricSets
from assessment.workshop.values import clean_text, valid_question_id

COMMENT_COLUMNS = ("number", "display_name", "question_id", "comment", "updated_at")


class Room(RubricSets):
    """The presenter's controls, the participants' live state, "I'm done", and comments."""

    # The presenter -------------------------------------------------------------------------------------

    def set_focus(self, workshop_id: int, key: str, question_id: str | None) -> None:
        """Put a question on the projector (participants see which one the room discusses); None: none."""
        if question_id is not None and not valid_question_id(question_id):
            raise InvalidAnswer(question=str(question_id)[:64], problem="not a question id")
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            conn.execute(update(workshops).where(workshops.c.id == row.id).values(focus_question=question_id))

    def start_timer(self, workshop_id: int, key: str, seconds: float | None) -> None:
        """Count down ``seconds`` from now (participants see it too); None stops the timer."""
        ends = None if seconds is None else self._clock() + max(0.0, float(seconds))
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            conn.execute(update(workshops).where(workshops.c.id == row.id).values(timer_ends_at=ends))

    def reveal_question(self, workshop_id: int, key: str, question_id: str, revealed: bool = True) -> None:
        """Show (or hide again) one question's distribution to the participants."""
        if not valid_question_id(question_id):
            raise InvalidAnswer(question=str(question_id)[:64], problem="not a question id")
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, key)
            conn.execute(delete(revealed_questions).where(revealed_questions.c.workshop_id == row.id,
                                                          revealed_questions.c.question_id == question_id))
            if revealed:
                conn.execute(revealed_questions.insert().values(workshop_id=row.id, question_id=question_id))

    def room_progress(self, workshop_id: int, key: str) -> RoomProgress:
        """Joined, done (by participant number) and the questions revealed, from one snapshot."""
        with self._db.read() as conn:
            row = authorise(conn, workshop_id, key)
            finished = conn.execute(select(participants.c.number).where(
                participants.c.workshop_id == row.id, participants.c.finished_at.is_not(None))).scalars().all()
            revealed = conn.execute(select(revealed_questions.c.question_id).where(
                revealed_questions.c.workshop_id == row.id)).scalars().all()
        return RoomProgress(joined=row.participants_joined, finished=frozenset(finished),
                            revealed_questions=frozenset(revealed))

    # A participant -------------------------------------------------------------------------------------

    def room_state(self, resume_token: str) -> RoomState:
        """What this participant's page shows of the room now (raises UnknownParticipant)."""
        with self._db.read() as conn:
            who = participant_row(conn, resume_token)
            row = conn.execute(
                select(workshops.c.focus_question, workshops.c.timer_ends_at,
                       exists().where(revealed_questions.c.workshop_id == workshops.c.id,
                                      revealed_questions.c.question_id == workshops.c.focus_question)
                       .label("focus_revealed"))
                .where(workshops.c.id == who.workshop_id)
            ).one()
        now = self._clock()
        return RoomState(
            status=who.status,
            accepting_answers=who.status == "open" and (who.deadline is None or now < who.deadline),
            revealed=bool(who.revealed),
            focus_question=row.focus_question,
            focus_revealed=bool(row.focus_revealed),
            timer_ends_at=to_datetime(row.timer_ends_at),
            finished=who.finished_at is not None,
        )

    def set_finished(self, resume_token: str, finished: bool = True) -> None:
        """Say "I'm done" (or take it back); the facilitator sees who is."""
        with self._db.write() as conn:
            who = participant_row(conn, resume_token, for_write=True)
            conn.execute(update(participants).where(participants.c.id == who.participant_id)
                         .values(finished_at=self._clock() if finished else None))

    def question_answers(self, resume_token: str, question_id: str) -> pd.DataFrame | None:
        """Everyone's answers to one question, once it (or the whole workshop) is revealed; else None."""
        with self._db.read() as conn:
            who = participant_row(conn, resume_token)
            shown = bool(who.revealed) or bool(conn.scalar(select(func.count()).where(
                revealed_questions.c.workshop_id == who.workshop_id, revealed_questions.c.question_id == question_id)))
            if not shown:
                return None
            return answers_of(conn, who.workshop_id, bool(who.anonymous), [question_id])

    # Comments ------------------------------------------------------------------------------------------

    def save_comment(self, resume_token: str, question_id: str, comment: str | None) -> None:
        """Keep (or, when empty, withdraw) this participant's reason for an answer.

        Raises UnknownParticipant, WorkshopClosed, InvalidAnswer (no such question) or InvalidText.
        """
        text = clean_text(comment, "comment", schema.COMMENT_MAX, required=False)
        now = self._clock()
        with self._db.write() as conn:
            who = participant_row(conn, resume_token, for_write=True)
            refuse_if_closed(who, now)
            rubric = self.workshop_rubric(who.rubric_id, who.rubric_version, who.rubric_digest, conn)
            if not valid_question_id(question_id) or (rubric is not None and rubric.question(question_id) is None):
                raise InvalidAnswer(question=str(question_id)[:64], problem="not a question of this rubric")
            where = (answer_comments.c.workshop_id == who.workshop_id,
                     answer_comments.c.participant_id == who.participant_id,
                     answer_comments.c.question_id == question_id)
            conn.execute(delete(answer_comments).where(*where))
            if text:
                conn.execute(answer_comments.insert().values(
                    workshop_id=who.workshop_id, participant_id=who.participant_id, question_id=question_id,
                    comment=text, updated_at=now))

    def participant_comments(self, resume_token: str) -> dict[str, str]:
        """This participant's own comments, by question."""
        with self._db.read() as conn:
            who = participant_row(conn, resume_token)
            rows = conn.execute(select(answer_comments.c.question_id, answer_comments.c.comment).where(
                answer_comments.c.workshop_id == who.workshop_id,
                answer_comments.c.participant_id == who.participant_id)).all()
        return dict(rows)

    def workshop_comments(self, workshop_id: int, key: str,
                          question_ids: Collection[str] | None = None) -> pd.DataFrame:
        """Every participant's comments (``COMMENT_COLUMNS``), by participant number then question;
        display_name is P1…Pn in an anonymous workshop. Raises AccessDenied for a wrong key."""
        with self._db.read() as conn:
            row = authorise(conn, workshop_id, key)
            return comments_of(conn, WorkshopInfo.from_row(row, self._clock()), question_ids)


def comments_of(conn: Connection, info: WorkshopInfo, question_ids: Collection[str] | None = None) -> pd.DataFrame:
    query = (
        select(participants.c.number, participants.c.display_name, answer_comments.c.question_id,
               answer_comments.c.comment, answer_comments.c.updated_at)
        .join(participants, (participants.c.id == answer_comments.c.participant_id)
              & (participants.c.workshop_id == answer_comments.c.workshop_id))
        .where(answer_comments.c.workshop_id == info.id)
        .order_by(participants.c.number, answer_comments.c.question_id)
    )
    if question_ids is not None:
        query = query.where(answer_comments.c.question_id.in_(list(question_ids)))
    frame = pd.DataFrame.from_records(conn.execute(query).all(), columns=list(COMMENT_COLUMNS))
    frame["number"] = frame["number"].astype("int64")
    if info.anonymous:
        frame["display_name"] = "P" + frame["number"].astype(str)
    frame["updated_at"] = pd.to_datetime(frame["updated_at"].astype(float), unit="s", utc=True)
    return frame
