"""What an assessment returns: ids and numbers, in no language.

Every number can be retraced by hand: each answer line carries its share of
the dimension and of overall, and each verdict its two ends (every unknown
answer at its lowest option, and at its highest). The words for a language
are added at the edge, once, by :func:`assessment.localise.localise`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from assessment.network import GrowthRow
from assessment.vocabulary import ClassCode

AnswerState = Literal["answered", "dont_know", "unanswered"]


class DimensionScore(BaseModel):
    id: str
    score: float | None  # exact: None while an unknown answer could still move it
    low: float
    high: float
    weight: float
    answered: int
    dont_know: int
    questions: int


class ConditionCheck(BaseModel):
    score: str  # a dimension id, a group id or "overall"
    threshold: float
    low: float
    high: float
    met: bool | None  # None: the unknown answers decide it
    gap: float  # at the end that decides: low − threshold when met or undecided, else high − threshold

    @property
    def value(self) -> float | None:
        return self.low if self.low == self.high else None


class AnswerLine(BaseModel):
    """One scored question: the answer and exactly what it contributed (unknowns at their lowest)."""

    dimension: str
    question_id: str
    state: AnswerState
    answer_id: str | None  # an option id, "dont_know", or None when unanswered
    points: float | None
    max_points: float
    percent: float | None
    weight: float  # the weight of its unit: the question's, or its group's
    group: str | None
    counts: bool  # False for a road that is not its group's best
    contribution_dimension: float
    contribution_overall: float
    advised: bool  # the answer is low enough for the question's recommendation
    note: str = ""
    evidence: list[str] = []  # links, shown as text


class Unknown(BaseModel):
    """An unanswered or "don't know" question, and how far it could move the verdict."""

    question_id: str
    dimension: str
    state: AnswerState
    swing: float  # overall points between its lowest and its highest option, the rest held low
    decides: bool  # answering it alone at one end could settle the verdict


class Change(BaseModel):
    """One step: one answer, one option up (or down)."""

    question_id: str
    dimension: str
    from_id: str
    to_id: str
    overall_gain: float
    dimension_gain: float
    road: str | None = None  # the road whose own measure this step moves


class RoadPath(BaseModel):
    """A road to Internet+: how far along it the business is, and the shortest path along it."""

    road: str
    question_id: str
    level: float | None  # percent of the road's own measure; None when unknown
    answer_id: str | None
    best: bool
    found: bool
    changes: list[Change]
    overall_after: float
    margin_after: float
    max_jump: int


class Recommendation(BaseModel):
    question_id: str
    dimension: str
    answer_id: str
    next_id: str
    gain: float  # overall points of moving one option up


class Assessment(BaseModel):
    business: str
    sector: str | None
    assessor: str | None
    date: dt.date | None
    language: str  # the sheet's own language: the default for the words
    rubric_id: str
    rubric_version: str
    dimensions: list[DimensionScore]
    overall: float | None
    overall_low: float
    overall_high: float
    class_code: ClassCode
    determined: bool
    margin: float | None  # past the boundary on the certain side; None when undetermined
    deciding_condition: int | None = None  # the condition (index in ``conditions``) the margin is measured on
    borderline: bool
    completeness: float
    answered: int
    dont_know: int
    questions: int
    conditions: list[ConditionCheck]
    lines: list[AnswerLine]
    unknowns: list[Unknown]
    changes: list[Change]
    target_class: ClassCode  # where the changes lead
    overall_after_changes: float | None
    max_jump: int
    roads: list[RoadPath]
    best_road: str | None
    recommendations: list[Recommendation]
    growth: list[GrowthRow]

    @property
    def provisional(self) -> bool:
        return self.answered < self.questions

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)
