"""Workshops: many people from one company answer the rubric alone, then agree on one assessment.

The UI builds on this package: :class:`WorkshopStore` keeps the data (SQLite
or PostgreSQL), :func:`facilitator_view` computes what the room looks at,
:class:`JoinThrottle` slows down guessed join codes, and :mod:`.exports`
writes the files. Nothing here imports Streamlit.
"""

from assessment.workshop.aggregate import FacilitatorView, default_agreed, facilitator_view
from assessment.workshop.errors import (
    AccessDenied,
    InvalidAnswer,
    InvalidText,
    TooManyAttempts,
    UnknownJoinCode,
    UnknownParticipant,
    WorkshopClosed,
    WorkshopError,
)
from assessment.workshop.exports import aggregate_csv, agreed_sheet, answers_csv
from assessment.workshop.records import CreatedWorkshop, JoinedParticipant, ParticipantInfo, WorkshopInfo
from assessment.workshop.store import WorkshopStore
from assessment.workshop.throttle import JoinThrottle

__all__ = [
    "AccessDenied",
    "CreatedWorkshop",
    "FacilitatorView",
    "InvalidAnswer",
    "InvalidText",
    "JoinThrottle",
    "JoinedParticipant",
    "ParticipantInfo",
    "TooManyAttempts",
    "UnknownJoinCode",
    "UnknownParticipant",
    "WorkshopClosed",
    "WorkshopError",
    "WorkshopInfo",
    "WorkshopStore",
    "aggregate_csv",
    "agreed_sheet",
    "answers_csv",
    "default_agreed",
    "facilitator_view",
]
