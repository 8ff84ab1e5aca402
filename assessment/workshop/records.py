"""What the store hands back: plain frozen records, holding no secret except the one just made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assessment.workshop.tokens import format_join_code
from assessment.workshop.values import StoredValue


def to_datetime(seconds: float | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)


def to_seconds(moment: dt.datetime | None) -> float | None:
    """UTC seconds; a naive datetime is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


@dataclass(frozen=True)
class WorkshopInfo:
    id: int
    business: str
    sector: str | None
    rubric_id: str
    rubric_version: str
    language: str
    deadline: dt.datetime | None
    anonymous: bool
    status: str  # "open" or "closed"
    revealed: bool
    created_at: dt.datetime
    join_code: str  # as shown: ACDE-FHJK-MN
    participants: int
    accepting_answers: bool  # open and not past the deadline, when this record was read
    rubric_digest: str | None = None  # the rubric set it is pinned to (None: made before sets were stored)
    focus_question: str | None = None  # the question on the projector
    timer_ends_at: dt.datetime | None = None  # the presenter's countdown

    @classmethod
    def from_row(cls, row: Any, now: float) -> WorkshopInfo:
        return cls(
            id=row.id,
            business=row.business,
            sector=row.sector,
            rubric_id=row.rubric_id,
            rubric_version=row.rubric_version,
            language=row.language,
            deadline=to_datetime(row.deadline),
            anonymous=bool(row.anonymous),
            status=row.status,
            revealed=bool(row.revealed),
            created_at=dt.datetime.fromtimestamp(row.created_at, dt.UTC),  # never NULL
            join_code=format_join_code(row.join_code),
            participants=row.participants_joined,
            accepting_answers=row.status == "open" and (row.deadline is None or now < row.deadline),
            rubric_digest=getattr(row, "rubric_digest", None),
            focus_question=getattr(row, "focus_question", None),
            timer_ends_at=to_datetime(getattr(row, "timer_ends_at", None)),
        )


@dataclass(frozen=True)
class ParticipantInfo:
    participant_id: int
    number: int  # P1, P2 … in the order people joined
    display_name: str
    role: str | None
    joined_at: dt.datetime
    workshop: WorkshopInfo

    @property
    def label(self) -> str:
        return f"P{self.number}"


@dataclass(frozen=True)
class CreatedWorkshop:
    """Shown to the facilitator once: only hashes of the key are kept."""

    workshop_id: int
    join_code: str
    facilitator_key: str


@dataclass(frozen=True)
class JoinedParticipant:
    """Shown to the participant once (e.g. as a resume link): only its hash is kept."""

    participant_id: int
    workshop_id: int
    number: int
    resume_token: str


@dataclass(frozen=True)
class AgreedAnswers:
    """What the room agreed so far, read in one go: the answers and the reasons given for them."""

    values: dict[str, StoredValue] = field(default_factory=dict)
    """Question id → option id, or a float for a count; in question-id order."""
    notes: dict[str, str] = field(default_factory=dict)
    """Question id → the reason recorded with its agreed answer (questions without one are left out)."""


@dataclass(frozen=True)
class RoomState:
    """What a participant's page polls every few seconds: one small read, no answers."""

    status: str
    accepting_answers: bool
    revealed: bool  # the whole group's results
    focus_question: str | None
    focus_revealed: bool  # the question on the projector, revealed to participants
    timer_ends_at: dt.datetime | None
    finished: bool  # this participant said "I'm done"

    def seconds_left(self, now: dt.datetime | None = None) -> int | None:
        """Whole seconds until the timer ends (0 once it has); None without a timer."""
        if self.timer_ends_at is None:
            return None
        now = now or dt.datetime.now(dt.UTC)
        return max(0, int((self.timer_ends_at - now).total_seconds() + 0.999))


@dataclass(frozen=True)
class RoomProgress:
    """For the facilitator: who has joined, who is done, what is revealed."""

    joined: int
    finished: frozenset[int]  # participants' numbers
    revealed_questions: frozenset[str]
