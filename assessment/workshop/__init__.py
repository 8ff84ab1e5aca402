"""Workshops: many people from one company answer the rubric alone, then agree on one assessment.

The UI builds on this package: :class:`WorkshopStore` keeps the data (SQLite
or PostgreSQL; its parts by job in :mod:`.store`), :func:`facilitator_view`
computes what the room looks at, :class:`JoinThrottle` slows down guessed join
codes, and :mod:`.exports` writes the files. Every refusal is a
:class:`WorkshopError`. Nothing here imports Streamlit.
"""

from assessment.workshop.aggregate import FacilitatorView, default_agreed, facilitator_view
from assessment.workshop.errors import (
    AccessDenied,
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidAnswer,
    InvalidText,
    TooManyAttempts,
    UnknownJoinCode,
    UnknownLanguage,
    UnknownParticipant,
    UnknownRubric,
    UnsupportedDatabase,
    WorkshopClosed,
    WorkshopError,
)
from assessment.workshop.exports import aggregate_csv, agreed_sheet, answers_csv
from assessment.workshop.records import AgreedAnswers, CreatedWorkshop, JoinedParticipant, ParticipantInfo, WorkshopInfo
from assessment.workshop.settings import WorkshopSettings
from assessment.workshop.store import WorkshopStore
from assessment.workshop.throttle import JoinThrottle

__all__ = [
    "AccessDenied",
    "AgreedAnswers",
    "CreatedWorkshop",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "FacilitatorView",
    "InvalidAnswer",
    "InvalidText",
    "JoinThrottle",
    "JoinedParticipant",
    "ParticipantInfo",
    "TooManyAttempts",
    "UnknownJoinCode",
    "UnknownLanguage",
    "UnknownParticipant",
    "UnknownRubric",
    "UnsupportedDatabase",
    "WorkshopClosed",
    "WorkshopError",
    "WorkshopInfo",
    "WorkshopSettings",
    "WorkshopStore",
    "aggregate_csv",
    "agreed_sheet",
    "answers_csv",
    "default_agreed",
    "facilitator_view",
]
