"""The workshop store: workshops, participants and their answers, the agreed answers.

Three kinds of secret open three kinds of door, and each method checks its
own: the organiser key lists an organiser's workshops (and opens each of
them); a workshop's facilitator key opens that workshop only; a participant's
resume token reads and writes that participant's answers only. The join code
lets people in while the workshop is open, nothing more. Every call runs in
one short transaction (concurrent saves share one: :mod:`.batching`) and
returns after the commit, so a saved answer is an acknowledged answer. User
texts are stored and returned as data, never interpreted.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row, Select, and_, bindparam, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from assessment.answers import answer_problem
from assessment.models import LANGUAGES, RubricSet
from assessment.workshop import schema
from assessment.workshop.batching import GroupCommit
from assessment.workshop.database import Database
from assessment.workshop.errors import (
    AccessDenied,
    InvalidAnswer,
    UnknownJoinCode,
    UnknownParticipant,
    WorkshopClosed,
    WorkshopError,
)
from assessment.workshop.records import (
    CreatedWorkshop,
    JoinedParticipant,
    ParticipantInfo,
    WorkshopInfo,
    to_seconds,
)
from assessment.workshop.schema import agreed_answers, answers, organisers, participants, workshops
from assessment.workshop.settings import SECRETS_FILE, database_url, normalise_url
from assessment.workshop.tokens import (
    format_join_code,
    hash_matches,
    new_join_code,
    new_secret,
    normalise_join_code,
    plausible_secret,
    secret_hash,
)
from assessment.workshop.values import StoredValue, clean_text, decode, decode_series, encode, valid_question_id

FRAME_COLUMNS = ("number", "display_name", "role", "question_id", "value", "updated_at")
_JOIN_CODE_TRIES = 8


class WorkshopStore:
    """All workshop data behind one API, on SQLite (default) or PostgreSQL.

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
        self.url = normalise_url(url) if url else database_url()
        self._db = Database(self.url, echo)
        self._rubrics = {(r.id, r.version): r for r in rubrics}
        self._clock = clock
        self._answer_upsert = self._db.upsert(
            answers, key=("workshop_id", "participant_id", "question_id"), update=("value", "updated_at")
        )
        self._agreed_upsert = self._db.upsert(
            agreed_answers, key=("workshop_id", "question_id"), update=("value", "note", "updated_at")
        )
        self._participants_by_hash = _participants_by_hash()
        self._participants_for_write = self._participants_by_hash.with_for_update(read=True, of=workshops)
        self._saves: GroupCommit[_SaveRequest] = GroupCommit(self._save_batch)
        with self._db.write() as conn:
            self.schema_version = schema.migrate(conn)

    @classmethod
    def from_environment(
        cls,
        *,
        rubrics: Iterable[RubricSet] = (),
        environ: Mapping[str, str] | None = None,
        secrets_path: str = str(SECRETS_FILE),
    ) -> "WorkshopStore":
        """The store this deployment uses: ``DATABASE_URL``, the secrets file, or SQLite under the data dir."""
        return cls(database_url(environ, secrets_path), rubrics=rubrics)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    def dispose(self) -> None:
        """Close the pooled connections (the store can still be used; it reconnects)."""
        self._db.dispose()

    def __enter__(self) -> "WorkshopStore":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()

    # Organisers and facilitators

    @staticmethod
    def new_organiser_key() -> str:
        """A fresh organiser key; it is recorded (as a hash) when its first workshop is created."""
        return new_secret()

    def create_workshop(
        self,
        organiser_key: str,
        business: str,
        rubric_id: str,
        rubric_version: str,
        *,
        sector: str | None = None,
        language: str = "en",
        deadline: dt.datetime | None = None,
        anonymous: bool = False,
    ) -> CreatedWorkshop:
        """A new open workshop under ``organiser_key``; its facilitator key is returned once, never stored."""
        if not plausible_secret(organiser_key):
            raise AccessDenied()
        business = clean_text(business, "business", schema.BUSINESS_MAX)
        sector = clean_text(sector, "sector", schema.BUSINESS_MAX, required=False)
        if language not in LANGUAGES:
            raise ValueError(f"unknown language '{language}' (known: {', '.join(LANGUAGES)})")
        if self._rubrics and (rubric_id, rubric_version) not in self._rubrics:
            raise ValueError(f"unknown rubric set {rubric_id} {rubric_version}")
        facilitator_key = new_secret()
        now = self._clock()
        # Inserts the organiser on first use; either way returns its id.
        upsert_organiser = self._db.upsert(organisers, key=("key_hash",), update=("key_hash",))
        upsert_organiser = upsert_organiser.returning(organisers.c.id)
        for attempt in range(_JOIN_CODE_TRIES):
            code = new_join_code()
            try:
                with self._db.write() as conn:
                    organiser_id = conn.execute(
                        upsert_organiser, {"key_hash": secret_hash(organiser_key), "created_at": now}
                    ).scalar_one()
                    workshop_id = conn.execute(
                        insert(workshops)
                        .values(
                            organiser_id=organiser_id, business=business, sector=sector, rubric_id=rubric_id,
                            rubric_version=rubric_version, language=language, deadline=to_seconds(deadline),
                            anonymous=bool(anonymous), status="open", revealed=False, created_at=now,
                            join_code=code, facilitator_key_hash=secret_hash(facilitator_key), participants_joined=0,
                        )
                        .returning(workshops.c.id)
                    ).scalar_one()
                return CreatedWorkshop(workshop_id, format_join_code(code), facilitator_key)
            except IntegrityError:
                if attempt == _JOIN_CODE_TRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def list_workshops(self, organiser_key: str) -> list[WorkshopInfo]:
        """The organiser's workshops, newest first (an unknown key lists nothing)."""
        if not plausible_secret(organiser_key):
            return []
        wanted = secret_hash(organiser_key)
        with self._db.read() as conn:
            rows = conn.execute(
                select(workshops, organisers.c.key_hash.label("organiser_key_hash"))
                .join(organisers, organisers.c.id == workshops.c.organiser_id)
                .where(organisers.c.key_hash == wanted)
                .order_by(workshops.c.created_at.desc(), workshops.c.id.desc())
            ).all()
        now = self._clock()
        return [WorkshopInfo.from_row(row, now) for row in rows if hash_matches(organiser_key, row.organiser_key_hash)]

    def facilitator(self, workshop_id: int, key: str | None) -> WorkshopInfo | None:
        """The workshop when ``key`` is its facilitator key or its organiser's key; else None."""
        try:
            with self._db.read() as conn:
                row = self._authorise(conn, workshop_id, key)
        except AccessDenied:
            return None
        return WorkshopInfo.from_row(row, self._clock())

    def _authorise(self, conn: Connection, workshop_id: object, key: object) -> Row:
        """The workshop's row if ``key`` opens it; AccessDenied otherwise, the same way whether the
        workshop exists or not, after the same constant-time comparisons."""
        if not plausible_secret(key) or not _is_id(workshop_id):
            raise AccessDenied()
        row = conn.execute(
            select(workshops, organisers.c.key_hash.label("organiser_key_hash"))
            .join(organisers, organisers.c.id == workshops.c.organiser_id)
            .where(workshops.c.id == int(workshop_id))
        ).first()
        as_facilitator = hash_matches(key, row.facilitator_key_hash if row else None)
        as_organiser = hash_matches(key, row.organiser_key_hash if row else None)
        if row is None or not (as_facilitator or as_organiser):
            raise AccessDenied()
        return row

    # Joining and answering

    def workshop_by_code(self, join_code: str) -> WorkshopInfo | None:
        """The workshop a join code belongs to (any case, dashes optional), or None."""
        code = normalise_join_code(join_code)
        if code is None:
            return None
        with self._db.read() as conn:
            row = conn.execute(select(workshops).where(workshops.c.join_code == code)).first()
        return None if row is None else WorkshopInfo.from_row(row, self._clock())

    def join(self, join_code: str, display_name: str, role: str | None = None) -> JoinedParticipant:
        """Join the workshop with this code as the next participant (P1, P2 …).

        Raises UnknownJoinCode, WorkshopClosed (closed or past its deadline) or InvalidText.
        The resume token is returned once; only its hash is stored.
        """
        code = normalise_join_code(join_code)
        if code is None:
            raise UnknownJoinCode()
        name = clean_text(display_name, "display name", schema.NAME_MAX)
        role = clean_text(role, "role", schema.NAME_MAX, required=False)
        token = new_secret()
        now = self._clock()
        with self._db.write() as conn:
            # One statement finds the workshop, numbers the participant and locks the row.
            row = conn.execute(
                update(workshops)
                .where(workshops.c.join_code == code)
                .values(participants_joined=workshops.c.participants_joined + 1)
                .returning(workshops.c.id, workshops.c.status, workshops.c.deadline, workshops.c.participants_joined)
            ).first()
            if row is None:
                raise UnknownJoinCode()
            _refuse_if_closed(row, now)
            participant_id = conn.execute(
                insert(participants)
                .values(workshop_id=row.id, number=row.participants_joined, display_name=name, role=role,
                        resume_token_hash=secret_hash(token), joined_at=now)
                .returning(participants.c.id)
            ).scalar_one()
        return JoinedParticipant(participant_id, row.id, row.participants_joined, token)

    def resume(self, resume_token: str) -> ParticipantInfo | None:
        """Who this token belongs to, and their workshop; None for a token that opens nothing."""
        if not plausible_secret(resume_token):
            return None
        with self._db.read() as conn:
            row = conn.execute(
                select(
                    workshops,
                    participants.c.id.label("participant_id"),
                    participants.c.number,
                    participants.c.display_name,
                    participants.c.role,
                    participants.c.joined_at,
                    participants.c.resume_token_hash,
                )
                .join(workshops, workshops.c.id == participants.c.workshop_id)
                .where(participants.c.resume_token_hash == secret_hash(resume_token))
            ).first()
        if row is None or not hash_matches(resume_token, row.resume_token_hash):
            return None
        now = self._clock()
        return ParticipantInfo(
            participant_id=row.participant_id,
            number=row.number,
            display_name=row.display_name,
            role=row.role,
            joined_at=dt.datetime.fromtimestamp(row.joined_at, dt.timezone.utc),
            workshop=WorkshopInfo.from_row(row, now),
        )

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
        self._saves.submit(_SaveRequest(resume_token, secret_hash(resume_token), dict(values), self._clock()))

    def _save_batch(self, requests: Sequence[_SaveRequest]) -> list[BaseException | None]:
        """One transaction for many participants' saves: one read of who they are, one upsert."""
        errors: list[BaseException | None] = []
        with self._db.write() as conn:
            hashes = sorted({request.token_hash for request in requests})
            result = conn.execute(self._participants_for_write, {"hashes": hashes})
            found = {row.resume_token_hash: row for row in result}
            rows: dict[tuple[int, int, str], dict[str, object]] = {}
            for request in requests:
                who = found.get(request.token_hash)
                try:
                    if who is None or not hash_matches(request.token, who.resume_token_hash):
                        raise UnknownParticipant()
                    _refuse_if_closed(who, request.now)
                    encoded = self._encode(who.rubric_id, who.rubric_version, request.values)
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
            who = self._participant(conn, resume_token, for_write=True)
            _refuse_if_closed(who, now)
            conn.execute(
                delete(answers).where(
                    answers.c.workshop_id == who.workshop_id,
                    answers.c.participant_id == who.participant_id,
                    answers.c.question_id == question_id,
                )
            )

    def participant_answers(self, resume_token: str) -> dict[str, StoredValue]:
        """This participant's own answers: option ids, and floats for counts."""
        with self._db.read() as conn:
            who = self._participant(conn, resume_token)
            rows = conn.execute(
                select(answers.c.question_id, answers.c.value).where(
                    answers.c.workshop_id == who.workshop_id, answers.c.participant_id == who.participant_id
                )
            ).all()
        return {question_id: decode(value) for question_id, value in rows}

    def revealed_frame(self, resume_token: str) -> pd.DataFrame | None:
        """Everyone's answers for a participant once the facilitator has revealed them (else None);
        in an anonymous workshop as P1…Pn only."""
        with self._db.read() as conn:
            who = self._participant(conn, resume_token)
            if not who.revealed:
                return None
            return self._frame(conn, who.workshop_id, bool(who.anonymous))

    def _participant(self, conn: Connection, token: object, for_write: bool = False) -> Row:
        """The participant this token belongs to, with the workshop fields a write must check.

        For a write, the workshop row is share-locked (PostgreSQL), so a concurrent close()
        waits for this write to commit and no answer lands after the close.
        """
        if not plausible_secret(token):
            raise UnknownParticipant()
        query = self._participants_for_write if for_write else self._participants_by_hash
        row = conn.execute(query, {"hashes": [secret_hash(token)]}).first()
        if row is None or not hash_matches(token, row.resume_token_hash):
            raise UnknownParticipant()
        return row

    def _encode(self, rubric_id: str, rubric_version: str, values: Mapping[str, object]) -> dict[str, str]:
        """The stored texts of ``values``; InvalidAnswer for the first one the rubric refuses."""
        rubric = self._rubrics.get((rubric_id, rubric_version))
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

    # The facilitator's reads and decisions

    def answers_frame(self, workshop_id: int, key: str) -> pd.DataFrame:
        """Every participant's answers, long format, from one snapshot (never half of a save).

        Columns: number, display_name, role, question_id, value (option id or float), updated_at
        (UTC). A participant with no answers yet has one row with question_id and value missing.
        In an anonymous workshop display_name is P1…Pn and role is empty, here and in every
        export: names are never linked to answers. Raises AccessDenied for a wrong key.
        """
        with self._db.read() as conn:
            row = self._authorise(conn, workshop_id, key)
            return self._frame(conn, row.id, bool(row.anonymous))

    def _frame(self, conn: Connection, workshop_id: int, anonymous: bool) -> pd.DataFrame:
        rows = conn.execute(
            select(
                participants.c.number,
                participants.c.display_name,
                participants.c.role,
                answers.c.question_id,
                answers.c.value,
                answers.c.updated_at,
            )
            .select_from(
                participants.outerjoin(
                    answers,
                    and_(answers.c.workshop_id == participants.c.workshop_id,
                         answers.c.participant_id == participants.c.id),
                )
            )
            .where(participants.c.workshop_id == workshop_id)
            .order_by(participants.c.number, answers.c.question_id)
        ).all()
        return answers_table(rows, anonymous)

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
        self._update_workshop(workshop_id, key, deadline=to_seconds(deadline))

    def _update_workshop(self, workshop_id: int, key: str, **values: Any) -> None:
        with self._db.write() as conn:
            row = self._authorise(conn, workshop_id, key)
            conn.execute(update(workshops).where(workshops.c.id == row.id).values(**values))

    def delete(self, workshop_id: int, key: str) -> None:
        """Delete the workshop with its participants, answers and agreed answers."""
        with self._db.write() as conn:
            row = self._authorise(conn, workshop_id, key)
            conn.execute(delete(workshops).where(workshops.c.id == row.id))

    def set_agreed(self, workshop_id: int, key: str, question_id: str, value: str | float,
                   note: str | None = None) -> None:
        """Record the room's agreed answer to one question, with its reason if given."""
        self.set_agreed_many(workshop_id, key, {question_id: value}, {question_id: note} if note else None)

    def set_agreed_many(self, workshop_id: int, key: str, values: Mapping[str, str | float],
                        notes: Mapping[str, str | None] | None = None) -> None:
        """Record several agreed answers at once (e.g. the medians as a starting point)."""
        notes = notes or {}
        now = self._clock()
        with self._db.write() as conn:
            row = self._authorise(conn, workshop_id, key)
            encoded = self._encode(row.rubric_id, row.rubric_version, values)
            if not encoded:
                return
            conn.execute(
                self._agreed_upsert,
                [
                    {"workshop_id": row.id, "question_id": question_id, "value": value, "updated_at": now,
                     "note": clean_text(notes.get(question_id), "note", schema.NOTE_MAX, required=False)}
                    for question_id, value in encoded.items()
                ],
            )

    def clear_agreed(self, workshop_id: int, key: str, question_id: str | None = None) -> None:
        """Forget one agreed answer, or all of them when ``question_id`` is None."""
        with self._db.write() as conn:
            row = self._authorise(conn, workshop_id, key)
            statement = delete(agreed_answers).where(agreed_answers.c.workshop_id == row.id)
            if question_id is not None:
                statement = statement.where(agreed_answers.c.question_id == question_id)
            conn.execute(statement)

    def agreed_answers(self, workshop_id: int, key: str) -> dict[str, StoredValue]:
        """The agreed answers so far: option ids, and floats for counts."""
        return {question_id: value for question_id, (value, _) in self._agreed(workshop_id, key).items()}

    def agreed_notes(self, workshop_id: int, key: str) -> dict[str, str]:
        """The reasons recorded with agreed answers (questions without one are left out)."""
        return {question_id: note for question_id, (_, note) in self._agreed(workshop_id, key).items() if note}

    def _agreed(self, workshop_id: int, key: str) -> dict[str, tuple[StoredValue, str | None]]:
        with self._db.read() as conn:
            row = self._authorise(conn, workshop_id, key)
            rows = conn.execute(
                select(agreed_answers.c.question_id, agreed_answers.c.value, agreed_answers.c.note)
                .where(agreed_answers.c.workshop_id == row.id)
                .order_by(agreed_answers.c.question_id)
            ).all()
        return {question_id: (decode(value), note) for question_id, value, note in rows}

    # Health

    def integrity_check(self) -> list[str]:
        """Problems found in the database (empty when healthy): SQLite's own integrity and
        foreign-key checks, or a round trip on PostgreSQL; and the schema version on both."""
        problems: list[str] = []
        with self._db.read() as conn:
            if self.dialect == "sqlite":
                result = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).all()]
                if result != ["ok"]:
                    problems += [f"integrity_check: {line}" for line in result]
                problems += [f"foreign key broken: {tuple(r)}" for r in conn.execute(text("PRAGMA foreign_key_check"))]
            elif conn.scalar(text("SELECT 1")) != 1:
                problems.append("the server did not answer SELECT 1")
            version = conn.scalar(select(schema.schema_version.c.version))
        if version != schema.LATEST:
            problems.append(f"schema version {version}, expected {schema.LATEST}")
        return problems


@dataclass(frozen=True)
class _SaveRequest:
    token: str
    token_hash: str
    values: dict[str, object]
    now: float


def _participants_by_hash() -> Select:
    """Participants by resume-token hash, with the workshop fields that decide whether they may write."""
    return (
        select(
            participants.c.id.label("participant_id"),
            participants.c.workshop_id,
            participants.c.resume_token_hash,
            workshops.c.status,
            workshops.c.deadline,
            workshops.c.revealed,
            workshops.c.anonymous,
            workshops.c.rubric_id,
            workshops.c.rubric_version,
        )
        .join(workshops, workshops.c.id == participants.c.workshop_id)
        .where(participants.c.resume_token_hash.in_(bindparam("hashes", expanding=True)))
    )


def answers_table(rows: list[Any], anonymous: bool) -> pd.DataFrame:
    """Rows of (number, name, role, question, value text, updated seconds) as the answers frame."""
    frame = pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))
    frame["number"] = frame["number"].astype("int64")
    if anonymous:
        frame["display_name"] = "P" + frame["number"].astype(str)
        frame["role"] = None
    frame["value"] = decode_series(frame["value"].astype(object))
    microseconds = (frame["updated_at"].astype(float) * 1e6).round()
    frame["updated_at"] = pd.to_datetime(microseconds, unit="us", utc=True)
    return frame


def _refuse_if_closed(row: Any, now: float) -> None:
    if row.status != "open":
        raise WorkshopClosed()
    if row.deadline is not None and now >= row.deadline:
        deadline = dt.datetime.fromtimestamp(row.deadline, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        raise WorkshopClosed("workshop_deadline_passed", deadline=deadline)


def _is_id(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value < 2**62
    return isinstance(value, str) and value.isdigit() and len(value) < 18
