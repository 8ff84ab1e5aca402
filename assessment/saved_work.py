"""A founder's assessment as it is kept between visits: answers, notes, evidence, target and plan.

The store keeps one :class:`SavedWork` per assessment and changes it by
:class:`WorkChange` records, each naming only what changed (an answer, a note,
the business name…), so two tabs editing different answers never undo each
other. *Clear* keeps the work it replaced, so it can be undone. Nothing here
knows about the database or the page.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assessment.answers import AnswerSheet, AnswerValue, blank_sheet, check_answers
from assessment.evidence import ANSWER_NOTE_MAX, check_evidence
from assessment.models import RubricSet
from assessment.names import SOLO_NAME_MAX, clean_name
from assessment.plan import PlanItem, Target

META_FIELDS = ("business", "sector", "assessor")
TEXT_MAX = SOLO_NAME_MAX
UNNAMED = "—"  # the business name of an answer sheet whose business has no name yet


class SavedWork(BaseModel):
    """Everything a founder entered for one business (names may still be empty while they type)."""

    model_config = ConfigDict(extra="ignore")  # a field a newer version added is dropped, not fatal

    business: str = Field("", max_length=TEXT_MAX)
    sector: str = Field("", max_length=TEXT_MAX)
    assessor: str = Field("", max_length=TEXT_MAX)
    rubric_id: str = ""
    rubric_version: str = ""
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    evidence: dict[str, list[str]] = Field(default_factory=dict)
    target: Target = Field(default_factory=Target)
    plan: list[PlanItem] = Field(default_factory=list)
    verdict: str | None = Field(None, description="The last certain verdict seen: a change of it takes a snapshot.")
    example: str | None = Field(None, description="The example this assessment was copied from.")

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: dict[str, str]) -> dict[str, str]:
        return {q: note[:ANSWER_NOTE_MAX] for q, note in value.items() if note.strip()}

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return check_evidence(value)

    def sheet(self, rubric: RubricSet, language: str = "en", date: dt.date | None = None) -> AnswerSheet:
        """The work as an answer sheet for scoring, exports and the report (only answers ``rubric`` accepts)."""
        kept, _ = check_answers(self.answers, rubric)
        return blank_sheet(
            rubric, self.business.strip() or UNNAMED, sector=self.sector or None, assessor=self.assessor or None,
            date=date or dt.date.today(), language=language, answers=kept,
            notes={q: n for q, n in self.notes.items() if rubric.question(q)},
            evidence={q: links for q, links in self.evidence.items() if rubric.question(q)},
        )

    def cleared(self) -> SavedWork:
        """The same assessment with no answers, names, notes or evidence (its target, plan and history stay)."""
        return self.model_copy(update={"business": "", "sector": "", "assessor": "", "answers": {}, "notes": {},
                                       "evidence": {}, "verdict": None})

    def is_empty(self) -> bool:
        return not (self.answers or self.notes or self.evidence or any(getattr(self, f) for f in META_FIELDS))


def work_from_sheet(sheet: AnswerSheet, example: str | None = None) -> SavedWork:
    """A loaded answers file or an example, as a founder's work."""
    return SavedWork(business=sheet.business, sector=sheet.sector or "", assessor=sheet.assessor or "",
                     rubric_id=sheet.rubric.id, rubric_version=sheet.rubric.version, answers=dict(sheet.answers),
                     notes=dict(sheet.notes), evidence={q: list(v) for q, v in sheet.evidence.items()},
                     example=example)


class WorkChange(BaseModel):
    """What one edit changed. Per-question maps set a value, or remove it with None."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, AnswerValue | None] = Field(default_factory=dict)
    notes: dict[str, str | None] = Field(default_factory=dict)
    evidence: dict[str, list[str] | None] = Field(default_factory=dict)
    fields: dict[str, Any] = Field(default_factory=dict, description="Whole fields replaced: names, target, plan…")
    replace: SavedWork | None = Field(None, description="The whole work replaced (a loaded file, an example).")
    clear: bool = Field(False, description="Empty the work, keeping it so it can be undone.")
    undo: bool = Field(False, description="Bring back the work the last clear replaced.")

    @field_validator("fields")
    @classmethod
    def _names(cls, value: dict[str, Any]) -> dict[str, Any]:
        """A name changes only by the one rule for names (NFC, no invisible, control, bidi or tag characters)."""
        # The length is SavedWork's to check: the store turns that refusal into InvalidChange, naming the field.
        return value | {f: clean_name(value[f], f, sys.maxsize, required=False) for f in META_FIELDS if f in value}

    @classmethod
    def naming(cls, field: str, typed: str) -> WorkChange:
        """The change of one name as typed; raises :class:`assessment.names.NameRefused` (its own message)
        when the rule refuses it, before pydantic would wrap it."""
        return cls(fields={field: clean_name(typed, field, TEXT_MAX, required=False)})


def apply_change(work: SavedWork, undo: SavedWork | None, change: WorkChange) -> tuple[SavedWork, SavedWork | None]:
    """The work after ``change``, and the work an undo would bring back."""
    if change.undo and undo is not None:
        work, undo = undo, None
    if change.clear:
        work, undo = work.cleared(), work
    if change.replace is not None:
        work = change.replace
    data = work.model_dump()
    for name in ("answers", "notes", "evidence"):
        data[name] = _merged(data[name], getattr(change, name))
    data.update(change.fields)
    return SavedWork.model_validate(data), undo


def _merged(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(current)
    for key, value in changes.items():
        if value is None or value in ([], ""):
            out.pop(key, None)
        else:
            out[key] = value
    return out
