"""Participants' answers going in: checked against the rubric, committed in groups.

Every call returns after the commit, so a saved answer is an acknowledged
answer; concurrent saves share one transaction (:mod:`assessment.workshop.batching`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete

from assessment.answers import answer_problem
from assessment.models import RubricSet
from assessment.workshop.batching import GroupCommit
from assessment.workshop.database import Database
from assessment.workshop.errors import InvalidAnswer, UnknownParticipant, WorkshopError
from assessment.workshop.schema import answer_rows
from assessment.workshop.store.access import PARTICIPANTS_FOR_WRITE, participant_row, refuse_if_closed
from assessment.workshop.store.rubric_sets import RubricSets
from assessment.workshop.tokens import hash_matches, plausible_secret, secret_hash
from assessment.workshop.values import encode, valid_question_id


@dataclass(frozen=True)
class SaveRequest:
    """One caller's answers, waiting for the next group commit."""

    token: str
    token_hash: str
    values: dict[str, object]
    now: float


class Writes(RubricSets):
    """Saving and withdrawing a participant's own answers."""

    def __init__(self, db: Database, rubrics: Iterable[RubricSet], clock: Callable[[], float]):
        super().__init__(db, rubrics, clock)
        self._answer_upsert = db.upsert(
            answer_rows, key=("workshop_id", "participant_id", "question_id"), update=("value", "updated_at")
        )
        self._saves: GroupCommit[SaveRequest] = GroupCommit(self._save_batch)

    def save_answer(self, resume_token: str, question_id: str, value: str | float) -> None:
        """Save (or change) one answer; returns once it is committed."""
        self.save_answers(resume_token, {question_id: value})

    def save_answers(self, resume_token: str, values: Mapping[str, str | float]) -> None:
        """Save several answers in one transaction: readers see all of them or none.

        Concurrent saves are committed together (:mod:`.batching`); each call still returns
        only after its own answers are committed. Raises UnknownParticipant, WorkshopClosed or
        InvalidAnswer, and then saves nothing of this call.
        """
        if not values:
            return
        if not plausible_secret(resume_token):
            raise UnknownParticipant()
        self._saves.submit(SaveRequest(resume_token, secret_hash(resume_token), dict(values), self._clock()))

    def _save_batch(self, requests: Sequence[SaveRequest]) -> list[BaseException | None]:
        """One transaction for many participants' saves: one read of who they are, one upsert."""
        errors: list[BaseException | None] = []
        with self._db.write() as conn:
            hashes = sorted({request.token_hash for request in requests})
            found = {row.resume_token_hash: row for row in conn.execute(PARTICIPANTS_FOR_WRITE, {"hashes": hashes})}
            rows: dict[tuple[int, int, str], dict[str, object]] = {}
            for request in requests:
                who = found.get(request.token_hash)
                try:
                    if who is None or not hash_matches(request.token, who.resume_token_hash):
                        raise UnknownParticipant()
                    refuse_if_closed(who, request.now)
                    rubric = self.workshop_rubric(who.rubric_id, who.rubric_version, who.rubric_digest, conn)
                    encoded = encode_answers(rubric, request.values)
                except WorkshopError as refused:
                    errors.append(refused)
                    continue
                errors.append(None)
                for question_id, value in encoded.items():
                    # The same answer twice in a batch: the later request wins, as if run in turn.
                    rows.pop((who.workshop_id, who.participant_id, question_id), None)
                    rows[(who.workshop_id, who.participant_id, question_id)] = {
                        "workshop_id": who.workshop_id, "participant_id": who.participant_id,
                        "question_id": question_id, "value": value, "updated_at": request.now}
            if rows:
                conn.execute(self._answer_upsert, list(rows.values()))
        return errors

    def clear_answer(self, resume_token: str, question_id: str) -> None:
        """Withdraw an answer (the question becomes unanswered)."""
        now = self._clock()
        with self._db.write() as conn:
            who = participant_row(conn, resume_token, for_write=True)
            refuse_if_closed(who, now)
            conn.execute(
                delete(answer_rows).where(
                    answer_rows.c.workshop_id == who.workshop_id,
                    answer_rows.c.participant_id == who.participant_id,
                    answer_rows.c.question_id == question_id,
                )
            )


def encode_answers(rubric: RubricSet | None, values: Mapping[str, object]) -> dict[str, str]:
    """The stored texts of ``values``; InvalidAnswer for the first one ``rubric`` refuses (without a
    rubric, any option id or count is accepted)."""
    out: dict[str, str] = {}
    for question_id, value in values.items():
        if not valid_question_id(question_id):
            raise InvalidAnswer(question=str(question_id)[:64], problem="not a question id")
        if rubric is not None:
            question = rubric.question(question_id)
            problem = "not a question of this rubric" if question is None else answer_problem(question, value)
            if problem:
                raise InvalidAnswer(question=question_id, problem=problem)
        stored = encode(value)
        if stored is None:
            raise InvalidAnswer(question=question_id, problem=f"{str(value)[:64]!r} is not an option id or a count")
        out[question_id] = stored
    return out
