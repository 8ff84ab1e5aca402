"""What can go wrong for a participant or facilitator, as exceptions that carry a label.

Each error has a label key (``data/labels/workshop.yaml``) and its values, so
the UI can show it in the workshop's language with :meth:`WorkshopError.message`;
``str(error)`` is the English text. Every refusal derives from
:class:`WorkshopError`, so a page catches that one class; the refusals of bad
input also derive from ``ValueError`` (and an unknown join code from
``LookupError``), as callers outside the workshop expect.
"""

from __future__ import annotations

from typing import Any

from assessment.i18n import t


class WorkshopError(Exception):
    """Base of the workshop's refusals; never carries a secret in its text."""

    key = "workshop_access_denied"

    def __init__(self, key: str | None = None, **values: Any):
        self.key = key or type(self).key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)


class AccessDenied(WorkshopError):
    """A wrong or missing facilitator key, or a resume token that opens nothing."""

    key = "workshop_access_denied"


class UnknownParticipant(AccessDenied):
    key = "workshop_unknown_participant"


class UnknownAssessment(AccessDenied):
    """A founder's key (or number) that opens no saved assessment."""

    key = "saved_unknown_assessment"


class InvalidChange(WorkshopError, ValueError):
    """A change to a founder's assessment that its model refuses (a name too long, a link that is not one)."""

    key = "saved_invalid_change"


class UnknownJoinCode(WorkshopError, LookupError):
    """No workshop has this code: counts as a failure for :class:`JoinThrottle`."""

    key = "workshop_unknown_code"


class WorkshopClosed(WorkshopError):
    """The workshop takes no new participants or answers (closed, or past its deadline)."""

    key = "workshop_closed"


class InvalidAnswer(WorkshopError, ValueError):
    """An answer the workshop's rubric does not accept (not a question, not an option, not a count)."""

    key = "workshop_invalid_answer"


class InvalidText(WorkshopError, ValueError):
    """A name, role or business text that is empty, too long or holds control characters."""

    key = "workshop_invalid_text"


class UnknownLanguage(WorkshopError, ValueError):
    """A workshop asked for in a language the tool does not speak."""

    key = "workshop_unknown_language"


class UnknownRubric(WorkshopError, ValueError):
    """A workshop asked for on a rubric set this store does not check answers against."""

    key = "workshop_unknown_rubric"


class UnsupportedDatabase(WorkshopError, ValueError):
    """A database URL the store cannot use: in-memory SQLite, or neither SQLite nor PostgreSQL."""

    key = "workshop_unsupported_database"


class SchemaTooNew(WorkshopError, RuntimeError):
    """The database was migrated by a newer version of this code: refuse rather than guess."""

    key = "workshop_schema_too_new"


class TooManyAttempts(WorkshopError):
    """Raised by :meth:`JoinThrottle.attempt` while a session must wait."""

    key = "workshop_wait"

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(seconds=max(1, round(seconds + 0.499)))


class DatabaseUnavailable(WorkshopError):
    """The database cannot be reached or written just now (server down, read-only or full disk): nothing was
    saved, and trying again later may work. Raised by the store in place of the driver's error."""

    key = "workshop_db_unavailable"

    def reason(self, lang: str = "en") -> str:
        """The fault in a few words, for "Not saved — {reason}; …"."""
        return t(f"{type(self).key}_short", lang)


class DatabaseBusy(DatabaseUnavailable):
    """The database stayed locked by another writer for longer than the busy timeout."""

    key = "workshop_db_busy"
