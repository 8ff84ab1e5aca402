"""A target and a plan: the nearest one-option steps to the target, each with an owner, a due date and a status.

The target is Internet+ (the rule of the rubric) or a level per dimension. The
steps are the ones "what would change the verdict" ranks: for Internet+ the
nearest path of :func:`assessment.verdict.flip_path`; for levels the same
one-option steps, taken greedily by how much each raises its dimension, until
every level is met. Only answered questions move (an unknown answer is counted
at its lowest option, as the verdict counts it). A plan, once made, is kept as
it is: the founder edits each step's owner, due date and status, and making it
again keeps what was set on the steps that remain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assessment.engine import Engine, Scores, compile_rubric, score_codes, score_range
from assessment.i18n import t
from assessment.localise import Words
from assessment.models import RubricSet, text
from assessment.verdict import Step, flip_path, worst_case
from assessment.vocabulary import ClassCode

StepStatus = Literal["todo", "doing", "done"]
STATUSES: tuple[StepStatus, ...] = ("todo", "doing", "done")
TargetKind = Literal["internet_plus", "levels"]
OWNER_MAX = 200


class Target(BaseModel):
    """Where the founder wants to get: Internet+, or at least a score per dimension."""

    model_config = ConfigDict(extra="forbid")

    kind: TargetKind = "internet_plus"
    levels: dict[str, float] = Field(default_factory=dict, description="Dimension id → score to reach (0–100).")

    @field_validator("levels")
    @classmethod
    def _in_range(cls, value: dict[str, float]) -> dict[str, float]:
        wrong = next((d for d, level in value.items() if not 0 <= level <= 100), None)
        if wrong is not None:
            raise ValueError(f"the level of '{wrong}' must be from 0 to 100")
        return value


class PlanItem(BaseModel):
    """One step of the plan: one answer one option up, and who does it by when."""

    model_config = ConfigDict(extra="forbid")

    question_id: str
    dimension: str
    from_id: str
    to_id: str
    overall_gain: float
    dimension_gain: float
    owner: str = Field("", max_length=OWNER_MAX)
    due: dt.date | None = None
    status: StepStatus = "todo"

    @property
    def key(self) -> str:
        """The step's identity across re-plans: the question and the option it reaches."""
        return f"{self.question_id}:{self.to_id}"


def default_levels(rubric: RubricSet) -> dict[str, float]:
    """A first target per dimension: its threshold in the rule, or half-way for a dimension the rule does not name."""
    thresholds = {c.score: c.at_least for c in rubric.dimension_conditions()}
    return {d.id: float(thresholds.get(d.id, 50.0)) for d in rubric.dimensions}


def target_met(answers: Mapping[str, object], rubric: RubricSet, target: Target) -> bool:
    """Whether the answers already reach the target for certain (unknown answers at their lowest)."""
    engine = compile_rubric(rubric)
    codes = engine.codes(dict(answers))
    if target.kind == "internet_plus":
        return str(score_range(engine, codes).class_codes[0]) == ClassCode.INTERNET_PLUS
    return not _short(engine, score_codes(engine, worst_case(engine, codes, up=True)), _levels(engine, target))


def nearest_steps(answers: Mapping[str, object], rubric: RubricSet, target: Target) -> list[PlanItem]:
    """The nearest one-option steps to ``target``, the most useful first (empty when it is met or out of reach)."""
    if target_met(answers, rubric, target):
        return []
    engine = compile_rubric(rubric)
    codes = engine.codes(dict(answers))
    if target.kind == "internet_plus":
        steps = list(flip_path(engine, codes, up=True).steps)
    else:
        steps = level_steps(engine, codes, _levels(engine, target))
    return [_item(engine, step) for step in steps]


def level_steps(engine: Engine, codes: np.ndarray, levels: Mapping[int, float]) -> list[Step]:
    """One-option steps on answered questions, each time the one that raises a dimension still short of
    its level the most (then overall), until every level is met or no step raises one."""
    current = worst_case(engine, codes, up=True)
    tops = engine.top_option
    steps: list[Step] = []
    scores = score_codes(engine, current)
    while short := _short(engine, scores, levels):
        movable = [q for q in range(len(codes))
                   if codes[q] >= 0 and current[q] < tops[q] and engine.question_dimension[q] in short]
        if not movable:
            break
        trial = np.repeat(current[None, :], len(movable), axis=0)
        trial[np.arange(len(movable)), movable] += 1
        after = score_codes(engine, trial)
        dims = engine.question_dimension[movable]
        rise = after.dimensions[np.arange(len(movable)), dims] - scores.dimensions[0, dims]
        overall = after.overall - scores.overall[0]
        pick = max(range(len(movable)), key=lambda i: (rise[i], overall[i], -i))
        if rise[pick] <= 1e-9:
            break
        q = movable[pick]
        steps.append(Step(q, int(current[q]), int(current[q]) + 1, float(overall[pick]), float(rise[pick])))
        current[q] += 1
        scores = score_codes(engine, current)
    return steps


def _levels(engine: Engine, target: Target) -> dict[int, float]:
    return {engine.dimension_ids.index(d): level for d, level in target.levels.items() if d in engine.dimension_ids}


def _short(engine: Engine, scores: Scores, levels: Mapping[int, float]) -> set[int]:
    """The dimensions still below their level."""
    dimensions = scores.dimensions[0]
    return {d for d, level in levels.items() if dimensions[d] < level - 1e-9}


def _item(engine: Engine, step: Step) -> PlanItem:
    q = step.question_index
    options = engine.option_ids[q]
    return PlanItem(question_id=engine.question_ids[q], dimension=engine.dimension_ids[engine.question_dimension[q]],
                    from_id=options[step.from_option], to_id=options[step.to_option],
                    overall_gain=round(step.overall_gain, 4), dimension_gain=round(step.dimension_gain, 4))


def make_plan(answers: Mapping[str, object], rubric: RubricSet, target: Target,
              previous: Iterable[PlanItem] = ()) -> list[PlanItem]:
    """The plan for ``target`` from these answers; a step already in ``previous`` keeps its owner, date and status."""
    kept = {item.key: item for item in previous}
    out = []
    for item in nearest_steps(answers, rubric, target):
        before = kept.get(item.key)
        out.append(item if before is None else item.model_copy(
            update={"owner": before.owner, "due": before.due, "status": before.status}))
    return out


def plan_progress(plan: Iterable[PlanItem]) -> tuple[int, int]:
    """Steps done, and steps in all."""
    items = list(plan)
    return sum(1 for item in items if item.status == "done"), len(items)


def plan_frame(plan: Iterable[PlanItem], rubric: RubricSet, lang: str = "en") -> pd.DataFrame:
    """The plan as a table, one row per step in order: ids and words, gains, owner, due date and status."""
    words = Words(rubric, lang)
    titles = {d.id: text(d.title, lang) for d in rubric.dimensions}
    rows = [
        {"step": number, "dimension": item.dimension, "dimension_title": titles.get(item.dimension, item.dimension),
         "question_id": item.question_id, "question": words.question(item.question_id),
         "from_id": item.from_id, "from_answer": words.answer(item.question_id, item.from_id),
         "to_id": item.to_id, "to_answer": words.answer(item.question_id, item.to_id),
         "overall_gain": round(item.overall_gain, 2), "dimension_gain": round(item.dimension_gain, 2),
         "recommendation": words.recommendation(item.question_id), "owner": item.owner,
         "due": item.due.isoformat() if item.due else "", "status": item.status,
         "status_label": t(f"plan_status_{item.status}", lang)}
        for number, item in enumerate(plan, 1)
    ]
    columns = ["step", "dimension", "dimension_title", "question_id", "question", "from_id", "from_answer",
               "to_id", "to_answer", "overall_gain", "dimension_gain", "recommendation", "owner", "due", "status",
               "status_label"]
    return pd.DataFrame(rows, columns=columns)
