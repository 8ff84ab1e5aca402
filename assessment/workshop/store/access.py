"""Who may do what: organiser keys, facilitator keys, join codes and resume tokens.

Three kinds of secret open three kinds of door, and each call checks its own:
the organiser key lists an organiser's workshops (and opens each of them); a
workshop's facilitator key opens that workshop only; a participant's resume
token reads and writes that participant's answers only. The join code lets
people in while the workshop is open, nothing more. Only hashes of secrets are
stored; a wrong secret and a missing workshop are refused alike, after the
same constant-time comparisons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeGuard

from sqlalchemy import Connection, Row, Select, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from assessment.models import LANGUAGES
from assessment.workshop import schema
from assessment.workshop.errors import (
    AccessDenied,
    UnknownJoinCode,
    UnknownLanguage,
    UnknownParticipant,
    UnknownRubric,
    WorkshopClosed,
)
from assessment.workshop.records import CreatedWorkshop, JoinedParticipant, ParticipantInfo, WorkshopInfo, to_seconds
from assessment.workshop.schema import organisers, participants, workshops
from assessment.workshop.store.rubric_sets import RubricSets
from assessment.workshop.tokens import (
    derived_facilitator_key,
    format_join_code,
    hash_matches,
    new_join_code,
    new_secret,
    normalise_join_code,
    plausible_secret,
    secret_hash,
)
from assessment.workshop.values import clean_text

_JOIN_CODE_TRIES = 8


class Access(RubricSets):
    """Creating and opening workshops, joining them and resuming as a participant."""

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
        rubric_digest: str | None = None,
    ) -> CreatedWorkshop:
        """A new open workshop under ``organiser_key``; its facilitator key is returned once, never stored.

        ``rubric_digest`` pins it to a set stored with :meth:`save_rubric` (its id and version must
        match); without it, the workshop uses the store's set of that id and version.
        Raises AccessDenied, InvalidText, UnknownLanguage or UnknownRubric.
        """
        if not plausible_secret(organiser_key):
            raise AccessDenied()
        values = {
            "business": clean_text(business, "business", schema.BUSINESS_MAX),
            "sector": clean_text(sector, "sector", schema.BUSINESS_MAX, required=False),
            "rubric_id": rubric_id, "rubric_version": rubric_version, "language": language,
            "deadline": to_seconds(deadline), "anonymous": bool(anonymous), "rubric_digest": rubric_digest,
        }
        if language not in LANGUAGES:
            raise UnknownLanguage(language=language, known=", ".join(LANGUAGES))
        if rubric_digest is not None:
            pinned = self.rubric_by_digest(rubric_digest)
            if pinned is None or (pinned.id, pinned.version) != (rubric_id, rubric_version):
                raise UnknownRubric(rubric_id=rubric_id, rubric_version=rubric_version)
        elif self._rubrics and self._rubric(rubric_id, rubric_version) is None:
            raise UnknownRubric(rubric_id=rubric_id, rubric_version=rubric_version)
        now = self._clock()
        for attempt in range(_JOIN_CODE_TRIES):
            code = new_join_code()
            facilitator_key = derived_facilitator_key(organiser_key, code)
            try:
                workshop_id = self._insert_workshop(organiser_key, facilitator_key, code, now, values)
            except IntegrityError:  # the join code is taken: draw another
                if attempt == _JOIN_CODE_TRIES - 1:
                    raise
            else:
                return CreatedWorkshop(workshop_id, format_join_code(code), facilitator_key)
        raise AssertionError("unreachable")

    def _insert_workshop(
        self, organiser_key: str, facilitator_key: str, code: str, now: float, values: dict[str, Any]
    ) -> int:
        """One transaction: the organiser (recorded on first use) and the new workshop's row."""
        upsert_organiser = self._db.upsert(organisers, key=("key_hash",), update=("key_hash",))
        with self._db.write() as conn:
            organiser_id = conn.execute(
                upsert_organiser.returning(organisers.c.id), {"key_hash": secret_hash(organiser_key), "created_at": now}
            ).scalar_one()
            return conn.execute(
                insert(workshops)
                .values(
                    organiser_id=organiser_id, status="open", revealed=False, created_at=now, join_code=code,
                    facilitator_key_hash=secret_hash(facilitator_key), participants_joined=0, **values,
                )
                .returning(workshops.c.id)
            ).scalar_one()

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
        """The workshop when ``key`` is its facilitator key; else None. The organiser's key is refused
        here: it opens every workshop of the organiser, so it must never sit in a link to one of them."""
        try:
            with self._db.read() as conn:
                row = authorise(conn, workshop_id, key, organiser=False)
        except AccessDenied:
            return None
        return WorkshopInfo.from_row(row, self._clock())

    def facilitator_key_for(self, workshop_id: int, organiser_key: str, *, reissue: bool = False) -> str | None:
        """The facilitator key of one of the organiser's workshops, for a link to it (AccessDenied for
        another's). Workshops made before keys were derived have a random one the store cannot give back:
        None, unless ``reissue``, which replaces it (its old links stop working)."""
        with self._db.write() as conn:
            row = authorise(conn, workshop_id, organiser_key, facilitator=False)
            key = derived_facilitator_key(organiser_key, row.join_code)
            if hash_matches(key, row.facilitator_key_hash):
                return key
            if not reissue:
                return None
            conn.execute(update(workshops).where(workshops.c.id == row.id)
                         .values(facilitator_key_hash=secret_hash(key)))
        return key

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
            refuse_if_closed(row, now)
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
        return ParticipantInfo(
            participant_id=row.participant_id,
            number=row.number,
            display_name=row.display_name,
            role=row.role,
            joined_at=dt.datetime.fromtimestamp(row.joined_at, dt.UTC),
            workshop=WorkshopInfo.from_row(row, self._clock()),
        )


def authorise(conn: Connection, workshop_id: object, key: object, *,
              facilitator: bool = True, organiser: bool = True) -> Row:
    """The workshop's row if ``key`` is its facilitator's or its organiser's key (each when allowed);
    AccessDenied otherwise, the same way whether the workshop exists or not."""
    if not plausible_secret(key) or not _is_id(workshop_id):
        raise AccessDenied()
    row = conn.execute(
        select(workshops, organisers.c.key_hash.label("organiser_key_hash"))
        .join(organisers, organisers.c.id == workshops.c.organiser_id)
        .where(workshops.c.id == int(workshop_id))
    ).first()
    as_facilitator = hash_matches(key, row.facilitator_key_hash if row else None)
    as_organiser = hash_matches(key, row.organiser_key_hash if row else None)
    if row is None or not ((facilitator and as_facilitator) or (organiser and as_organiser)):
        raise AccessDenied()
    return row


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
            workshops.c.rubric_digest,
            participants.c.number,
            participants.c.finished_at,
        )
        .join(workshops, workshops.c.id == participants.c.workshop_id)
        .where(participants.c.resume_token_hash.in_(bindparam("hashes", expanding=True)))
    )


PARTICIPANTS_BY_HASH = _participants_by_hash()
"""Bound with ``hashes``: a list of resume-token hashes."""
PARTICIPANTS_FOR_WRITE = PARTICIPANTS_BY_HASH.with_for_update(read=True, of=workshops)
"""The same, share-locking the workshop rows (PostgreSQL): a concurrent close() waits for the write."""


def participant_row(conn: Connection, token: object, for_write: bool = False) -> Row:
    """The participant this token belongs to, with the workshop fields a write must check.

    For a write, the workshop row is share-locked (PostgreSQL), so a concurrent close()
    waits for this write to commit and no answer lands after the close.
    """
    if not plausible_secret(token):
        raise UnknownParticipant()
    query = PARTICIPANTS_FOR_WRITE if for_write else PARTICIPANTS_BY_HASH
    row = conn.execute(query, {"hashes": [secret_hash(token)]}).first()
    if row is None or not hash_matches(token, row.resume_token_hash):
        raise UnknownParticipant()
    return row


def refuse_if_closed(row: Any, now: float) -> None:
    """WorkshopClosed unless the row's workshop is open and before its deadline."""
    if row.status != "open":
        raise WorkshopClosed()
    if row.deadline is not None and now >= row.deadline:
        deadline = dt.datetime.fromtimestamp(row.deadline, dt.UTC).strftime("%Y-%m-%d %H:%M")
        raise WorkshopClosed("workshop_deadline_passed", deadline=deadline)


def _is_id(value: object) -> TypeGuard[int | str]:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value < 2**62
    return isinstance(value, str) and value.isdigit() and len(value) < 18
