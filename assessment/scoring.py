"""One business assessed: scores, verdict (with its range), what would change it, what to do.

:func:`assess` is the function every front end calls (the CLI, the app, the
report, the workshop's agreed answers). It returns ids and numbers
(:mod:`assessment.results`); :func:`assessment.localise.localise` adds the words
of one language at the edge, and the sentences of "Why" (:mod:`assessment.explain`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from assessment.answers import AnswerSheet
from assessment.engine import UNKNOWN_DONT_KNOW, Engine, Scores, Verdicts, compile_rubric, score_codes, score_range
from assessment.models import ChoiceQuestion, RubricSet
from assessment.network import growth_table
from assessment.results import (
    AnswerLine,
    Assessment,
    Change,
    ConditionCheck,
    DimensionScore,
    Recommendation,
    RoadPath,
    Unknown,
)
from assessment.verdict import FlipPath, RoadSearch, flip_path, worst_case
from assessment.vocabulary import DONT_KNOW, ClassCode


def assess(sheet: AnswerSheet, rubric: RubricSet, top: int = 5) -> Assessment:
    """Score, classify and find the paths of one answer sheet: ids and numbers, in no language
    (:func:`assessment.localise.localise` adds the words)."""
    engine = compile_rubric(rubric)
    codes = engine.codes(sheet.answers)
    verdicts = score_range(engine, codes)
    code = ClassCode(str(verdicts.class_codes[0]))
    up = code != ClassCode.INTERNET_PLUS
    low_codes = worst_case(engine, codes, up=True)
    lines = _lines(rubric, engine, codes, low_codes, sheet)
    nearest = flip_path(engine, codes, up)
    roads = _roads(rubric, engine, codes, up, lines)
    margin = float(verdicts.margin[0])
    return Assessment(
        business=sheet.business,
        sector=sheet.sector,
        assessor=sheet.assessor,
        date=sheet.date,
        language=sheet.language or "en",
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        dimensions=_dimensions(rubric, engine, codes, verdicts),
        overall=_exact(verdicts.low.overall[0], verdicts.high.overall[0]),
        overall_low=float(verdicts.low.overall[0]),
        overall_high=float(verdicts.high.overall[0]),
        class_code=code,
        determined=bool(verdicts.determined[0]),
        margin=None if math.isnan(margin) else margin,
        deciding_condition=_index_or_none(int(verdicts.deciding[0])),
        borderline=bool(verdicts.borderline[0]),
        completeness=float(verdicts.completeness[0]),
        answered=int(verdicts.answered[0]),
        dont_know=int(verdicts.dont_know[0]),
        questions=len(engine.question_ids),
        conditions=_conditions(rubric, verdicts),
        lines=lines,
        unknowns=_unknowns(engine, codes, verdicts, lines),
        changes=_changes(rubric, nearest),
        target_class=ClassCode.INTERNET_PLUS if up else ClassCode.PLUS_INTERNET,
        overall_after_changes=nearest.overall_after if nearest.found else None,
        max_jump=nearest.max_jump,
        roads=roads,
        best_road=next((r.road for r in roads if r.best), None),
        recommendations=_recommendations(rubric, engine, low_codes, lines)[:top],
        growth=growth_table(rubric, sheet.answers),
    )


class Standing(NamedTuple):
    """The class and the overall range alone: what the sidebar shows after every answer."""

    class_code: ClassCode
    overall_low: float
    overall_high: float


def standing(sheet: AnswerSheet, rubric: RubricSet) -> Standing:
    """The verdict without the paths and roads that :func:`assess` also finds: a sub-millisecond score,
    the same numbers as ``assess`` gives (one code path, :func:`~assessment.engine.score_range`)."""
    engine = compile_rubric(rubric)
    verdicts = score_range(engine, engine.codes(sheet.answers))
    return Standing(ClassCode(str(verdicts.class_codes[0])), float(verdicts.low.overall[0]),
                    float(verdicts.high.overall[0]))


def _index_or_none(index: int) -> int | None:
    return None if index < 0 else index


def _exact(low: float, high: float) -> float | None:
    return float(low) if low == high else None


def _dimensions(rubric: RubricSet, engine: Engine, codes: np.ndarray, verdicts: Verdicts) -> list[DimensionScore]:
    size = len(engine.dimension_ids)
    answered = np.bincount(engine.question_dimension[codes >= 0], minlength=size)
    dont_know = np.bincount(engine.question_dimension[codes == UNKNOWN_DONT_KNOW], minlength=size)
    questions = np.bincount(engine.question_dimension, minlength=size)
    low, high = verdicts.low.dimensions[0], verdicts.high.dimensions[0]
    return [
        DimensionScore(
            id=dimension.id,
            score=_exact(low[d], high[d]),
            low=float(low[d]),
            high=float(high[d]),
            weight=rubric.dimension_weight(dimension.id),
            answered=int(answered[d]),
            dont_know=int(dont_know[d]),
            questions=int(questions[d]),
        )
        for d, dimension in enumerate(rubric.dimensions)
    ]


def _conditions(rubric: RubricSet, verdicts: Verdicts) -> list[ConditionCheck]:
    out = []
    for c, condition in enumerate(rubric.meta.classification.internet_plus_when):
        low_gap = float(verdicts.low.condition_gaps[0, c])
        high_gap = float(verdicts.high.condition_gaps[0, c])
        met = True if low_gap >= 0 else (False if high_gap < 0 else None)
        out.append(
            ConditionCheck(
                score=condition.score,
                threshold=condition.at_least,
                low=low_gap + condition.at_least,
                high=high_gap + condition.at_least,
                met=met,
                gap=high_gap if met is False else low_gap,
            )
        )
    return out


def _lines(rubric: RubricSet, engine: Engine, codes: np.ndarray, low_codes: np.ndarray,
           sheet: AnswerSheet) -> list[AnswerLine]:
    """Each question's answer and share of the score, unknowns counted at their lowest option."""
    dims = engine.dimension_weights / engine.dimension_weights.sum()
    pct = [engine.option_pct[q][low_codes[q]] for q in range(len(codes))]
    lines = []
    for i, (dimension, question) in enumerate(rubric.choice_questions()):
        unit = engine.units[engine.question_unit[i]]
        counts = unit.members[int(np.argmax([pct[m] for m in unit.members]))] == i
        share = engine.unit_share(i)
        state = "answered" if codes[i] >= 0 else ("dont_know" if codes[i] == UNKNOWN_DONT_KNOW else "unanswered")
        option = question.options[codes[i]] if codes[i] >= 0 else None
        percent = engine.percent(i, int(codes[i]))
        contribution = share * pct[i] if counts else 0.0
        lines.append(
            AnswerLine(
                dimension=dimension.id,
                question_id=question.id,
                state=state,
                answer_id=option.id if option else (DONT_KNOW if state == "dont_know" else None),
                points=option.score if option else None,
                max_points=question.max_score,
                percent=percent,
                weight=unit.weight,
                group=unit.group_id,
                counts=bool(counts),
                contribution_dimension=float(contribution),
                contribution_overall=float(contribution * dims[unit.dimension]),
                advised=_is_low(question, percent),
                note=sheet.notes.get(question.id, ""),
                evidence=list(sheet.evidence.get(question.id, [])),
            )
        )
    return lines


def _is_low(question: ChoiceQuestion, pct: float | None) -> bool:
    return pct is not None and pct < question.recommend_below


def _unknowns(engine: Engine, codes: np.ndarray, verdicts: Verdicts, lines: list[AnswerLine]) -> list[Unknown]:
    """Unknown answers ranked by how far each alone could move overall; which could settle it."""
    unknown = np.flatnonzero(codes < 0)
    if not unknown.size:
        return []
    low = worst_case(engine, codes, up=True)
    high = worst_case(engine, codes, up=False)
    raise_one = np.repeat(low[None, :], unknown.size, axis=0)
    lower_one = np.repeat(high[None, :], unknown.size, axis=0)
    raise_one[np.arange(unknown.size), unknown] = engine.top_option[unknown]
    lower_one[np.arange(unknown.size), unknown] = 0
    raised, lowered = score_codes(engine, raise_one), score_codes(engine, lower_one)
    swing = raised.overall - verdicts.low.overall[0]
    undetermined = not bool(verdicts.determined[0])
    decides = undetermined & (raised.internet_plus | ~lowered.internet_plus)
    out = [
        Unknown(question_id=lines[q].question_id, dimension=lines[q].dimension, state=lines[q].state,
                swing=float(swing[i]), decides=bool(decides[i]))
        for i, q in enumerate(unknown)
    ]
    return sorted(out, key=lambda u: (-u.decides, -u.swing))


def _changes(rubric: RubricSet, path: FlipPath) -> list[Change]:
    choice = rubric.choice_questions()
    out = []
    for step in path.steps:
        dimension, question = choice[step.question_index]
        out.append(
            Change(
                question_id=question.id,
                dimension=dimension.id,
                from_id=question.options[step.from_option].id,
                to_id=question.options[step.to_option].id,
                overall_gain=step.overall_gain,
                dimension_gain=step.dimension_gain,
                road=_road_of(rubric, question.id),
            )
        )
    return out


def _road_of(rubric: RubricSet, question_id: str) -> str | None:
    return next((r.id for r in rubric.meta.roads if r.questions[0] == question_id), None)


def search_roads(rubric: RubricSet, engine: Engine) -> list[RoadSearch]:
    """Each road as the search needs it: common questions plus its own may move."""
    index = {q: i for i, q in enumerate(engine.question_ids)}
    on_a_road = {q for r in rubric.meta.roads for q in r.questions}
    common = {i for q, i in index.items() if q not in on_a_road}
    return [
        RoadSearch(r.id, frozenset(common | {index[q] for q in r.questions if q in index}), index.get(r.questions[0]))
        for r in rubric.meta.roads
    ]


def _roads(rubric: RubricSet, engine: Engine, codes: np.ndarray, up: bool, lines: list[AnswerLine]) -> list[RoadPath]:
    by_id = {line.question_id: line for line in lines}
    levels = [by_id[r.questions[0]].percent if r.questions[0] in by_id else None for r in rubric.meta.roads]
    best = max((lv for lv in levels if lv is not None), default=None)
    out: list[RoadPath] = []
    for road, search, level in zip(rubric.meta.roads, search_roads(rubric, engine), levels, strict=True):
        path = flip_path(engine, codes, up, search)
        line = by_id.get(road.questions[0])
        out.append(
            RoadPath(
                road=road.id,
                question_id=road.questions[0],
                level=level,
                answer_id=line.answer_id if line else None,
                best=best is not None and best > 0 and level == best and not any(r.best for r in out),
                found=path.found,
                changes=_changes(rubric, path),
                overall_after=path.overall_after,
                margin_after=path.margin_after,
                max_jump=path.max_jump,
            )
        )
    return out


def _recommendations(rubric: RubricSet, engine: Engine, low_codes: np.ndarray,
                     lines: list[AnswerLine]) -> list[Recommendation]:
    """Low answers ranked by the overall points one option up would add (the nearest step first)."""
    candidates = [i for i, line in enumerate(lines)
                  if line.advised and line.state == "answered" and low_codes[i] < engine.top_option[i]]
    if not candidates:
        return []
    trial = np.repeat(low_codes[None, :], len(candidates), axis=0)
    trial[np.arange(len(candidates)), candidates] = low_codes[candidates] + 1
    base = score_codes(engine, low_codes).overall[0]
    scores: Scores = score_codes(engine, trial)
    gains = scores.overall - base
    potential = _potential(engine, low_codes, candidates)
    ranked = sorted(zip(candidates, gains, potential, strict=True), key=lambda item: (-item[1], -item[2]))
    choice = rubric.choice_questions()
    return [
        Recommendation(
            question_id=lines[i].question_id,
            dimension=lines[i].dimension,
            answer_id=str(lines[i].answer_id),
            next_id=choice[i][1].options[low_codes[i] + 1].id,
            gain=float(gain),
        )
        for i, gain, _ in ranked
    ]


def _potential(engine: Engine, codes: np.ndarray, candidates: list[int]) -> np.ndarray:
    trial = np.repeat(codes[None, :], len(candidates), axis=0)
    trial[np.arange(len(candidates)), candidates] = engine.top_option[candidates]
    return score_codes(engine, trial).overall - score_codes(engine, codes).overall[0]
