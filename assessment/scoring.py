"""One business assessed: scores, class, margin, why, what would change it, what to do.

:func:`assess` is the function every front end calls (the CLI, the app, the
report, the workshop's agreed answers). Its result carries each question's
contribution so every number on screen can be retraced by hand.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from pydantic import BaseModel

from assessment.answers import AnswerSheet
from assessment.engine import INTERNET_PLUS, PLUS_INTERNET, Engine, compile_rubric, score_codes
from assessment.i18n import t
from assessment.models import SCORE_OVERALL, ChoiceQuestion, RubricSet, text
from assessment.network import growth_table
from assessment.verdict import flip_plan


class DimensionScore(BaseModel):
    id: str
    title: str
    score: float | None
    weight: float
    answered: int
    questions: int


class ConditionCheck(BaseModel):
    score: str  # a dimension id or "overall"
    name: str
    value: float
    threshold: float
    gap: float
    met: bool


class AnswerLine(BaseModel):
    """One scored question: the answer and exactly what it contributed."""

    dimension: str
    question_id: str
    question: str
    answer_id: str | None
    answer: str
    points: float | None
    max_points: float
    percent: float | None
    weight: float
    contribution_dimension: float  # points of the dimension score this answer provides
    contribution_overall: float  # points of the overall score this answer provides
    recommendation: str


class Change(BaseModel):
    question_id: str
    dimension: str
    question: str
    from_answer: str
    to_answer: str
    steps: int
    overall_gain: float
    dimension_gain: float
    gain_per_step: float


class Recommendation(BaseModel):
    question_id: str
    dimension: str
    question: str
    answer: str
    recommendation: str
    potential_gain: float  # overall points if this answer reached the top option


class Assessment(BaseModel):
    business: str
    sector: str | None
    assessor: str | None
    date: dt.date | None
    rubric_id: str
    rubric_version: str
    language: str
    dimensions: list[DimensionScore]
    overall: float | None
    class_code: str
    class_label: str
    class_summary: str
    margin: float
    borderline: bool
    completeness: float
    answered: int
    questions: int
    conditions: list[ConditionCheck]
    lines: list[AnswerLine]
    changes: list[Change]
    changes_to: str  # the class the changes would lead to
    overall_after_changes: float | None
    recommendations: list[Recommendation]
    growth: list[dict]
    explanation: list[str]

    @property
    def provisional(self) -> bool:
        return self.answered < self.questions

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)


def assess(sheet: AnswerSheet, rubric: RubricSet, lang: str | None = None, top: int = 5) -> Assessment:
    """Score, classify and explain one answer sheet against ``rubric``."""
    lang = lang or sheet.language or "en"
    engine = compile_rubric(rubric)
    answers = sheet.answers
    codes = engine.codes(answers)
    scores = score_codes(engine, codes)
    code = INTERNET_PLUS if scores.internet_plus[0] else PLUS_INTERNET
    other = PLUS_INTERNET if code == INTERNET_PLUS else INTERNET_PLUS
    dimension_scores = _dimensions(rubric, engine, codes, scores, lang)
    lines = _lines(rubric, engine, codes, lang)
    conditions = _conditions(rubric, scores, dimension_scores, lang)
    plan = flip_plan(engine, answers)
    changes = _changes(rubric, engine, plan, lang)
    growth = growth_table(rubric, answers, lang)
    result = Assessment(
        business=sheet.business,
        sector=sheet.sector,
        assessor=sheet.assessor,
        date=sheet.date,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        language=lang,
        dimensions=dimension_scores,
        overall=_num(scores.overall[0]),
        class_code=code,
        class_label=rubric.class_label(code, lang),
        class_summary=text(rubric.meta.classification.classes[code].summary, lang),
        margin=float(scores.margin[0]),
        borderline=bool(scores.borderline[0]),
        completeness=float(scores.completeness[0]),
        answered=sum(1 for line in lines if line.answer_id is not None),
        questions=len(lines),
        conditions=conditions,
        lines=lines,
        changes=changes,
        changes_to=rubric.class_label(other, lang),
        overall_after_changes=plan.overall_after if plan.found else None,
        recommendations=_recommendations(engine, codes, lines)[:top],
        growth=[{k: _json_safe(v) for k, v in row.items()} for row in growth.to_dict("records")],
        explanation=[],
    )
    return result.model_copy(update={"explanation": explain(result, rubric, lang)})


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _json_safe(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _json_safe(value.item())
    return value


def _dimensions(rubric: RubricSet, engine: Engine, codes: np.ndarray, scores, lang: str) -> list[DimensionScore]:
    size = len(engine.dimension_ids)
    answered = np.bincount(engine.question_dimension[codes >= 0], minlength=size)
    questions = np.bincount(engine.question_dimension, minlength=size)
    return [
        DimensionScore(
            id=dimension.id,
            title=text(dimension.title, lang),
            score=_num(scores.dimensions[0, d]),
            weight=rubric.dimension_weight(dimension.id),
            answered=int(answered[d]),
            questions=int(questions[d]),
        )
        for d, dimension in enumerate(rubric.dimensions)
    ]


def _lines(rubric: RubricSet, engine: Engine, codes: np.ndarray, lang: str) -> list[AnswerLine]:
    """Each question's answer and share: weight × percent ÷ the dimension's answered weight."""
    size = len(engine.dimension_ids)
    answered_weight = np.bincount(engine.question_dimension, weights=engine.weights * (codes >= 0), minlength=size)
    counted = np.where(answered_weight > 0, engine.dimension_weights, 0.0)
    overall_share = counted / max(float(counted.sum()), 1e-12)
    lines = []
    for i, (dimension, question) in enumerate(rubric.choice_questions()):
        d = engine.question_dimension[i]
        option = question.options[codes[i]] if codes[i] >= 0 else None
        pct = engine.percent(i, int(codes[i]))
        contribution = 0.0 if pct is None else engine.weights[i] * pct / answered_weight[d]
        lines.append(
            AnswerLine(
                dimension=dimension.id,
                question_id=question.id,
                question=text(question.text, lang),
                answer_id=option.id if option else None,
                answer=text(option.label, lang) if option else "",
                points=option.score if option else None,
                max_points=question.max_score,
                percent=pct,
                weight=question.weight,
                contribution_dimension=float(contribution),
                contribution_overall=float(contribution * overall_share[d]),
                recommendation=text(question.recommendation, lang) if _is_low(question, pct) else "",
            )
        )
    return lines


def _is_low(question: ChoiceQuestion, pct: float | None) -> bool:
    return pct is not None and pct < question.recommend_below


def _conditions(rubric: RubricSet, scores, dimensions: list[DimensionScore], lang: str) -> list[ConditionCheck]:
    names = {d.id: d.title for d in dimensions}
    out = []
    for c, condition in enumerate(rubric.meta.classification.internet_plus_when):
        gap = float(scores.condition_gaps[0, c])
        out.append(
            ConditionCheck(
                score=condition.score,
                name=t("overall", lang) if condition.score == SCORE_OVERALL else names[condition.score],
                value=gap + condition.at_least,
                threshold=condition.at_least,
                gap=gap,
                met=gap >= 0,
            )
        )
    return out


def _changes(rubric: RubricSet, engine: Engine, plan, lang: str) -> list[Change]:
    choice = rubric.choice_questions()
    out = []
    for move in plan.moves:
        dimension, question = choice[move.question_index]
        out.append(
            Change(
                question_id=question.id,
                dimension=dimension.id,
                question=text(question.text, lang),
                from_answer=text(question.options[move.from_option].label, lang)
                if move.from_option is not None
                else t("unanswered", lang),
                to_answer=text(question.options[move.to_option].label, lang),
                steps=move.steps,
                overall_gain=move.overall_gain,
                dimension_gain=move.dimension_gain,
                gain_per_step=move.gain_per_step,
            )
        )
    return out


def _recommendations(engine: Engine, codes: np.ndarray, lines: list[AnswerLine]) -> list[Recommendation]:
    """Low answers ranked by the overall points reaching the top option would add."""
    candidates = [i for i, line in enumerate(lines) if line.recommendation]
    if not candidates:
        return []
    trial = np.repeat(codes[None, :], len(candidates), axis=0)
    trial[np.arange(len(candidates)), candidates] = engine.top_option[candidates]
    base = np.nan_to_num(score_codes(engine, codes).overall[0])
    gains = score_codes(engine, trial).overall - base
    ranked = sorted(zip(candidates, gains), key=lambda pair: -pair[1])
    return [
        Recommendation(
            question_id=lines[i].question_id,
            dimension=lines[i].dimension,
            question=lines[i].question,
            answer=lines[i].answer,
            recommendation=lines[i].recommendation,
            potential_gain=float(gain),
        )
        for i, gain in ranked
    ]


def explain(result: Assessment, rubric: RubricSet, lang: str) -> list[str]:
    """Plain sentences: the verdict, each condition of the rule, and what carried it."""
    out = [t("explain_verdict", lang, business=result.business, label=result.class_label, summary=result.class_summary)]
    if result.overall is not None:
        parts = " + ".join(
            f"{d.title} {d.score:.1f} × {d.weight:g}" for d in result.dimensions if d.score is not None
        )
        weight_sum = sum(d.weight for d in result.dimensions if d.score is not None)
        out.append(t("explain_overall", lang, parts=parts, weights=f"{weight_sum:g}", overall=f"{result.overall:.1f}"))
    for check in result.conditions:
        key = "explain_condition_met" if check.met else "explain_condition_unmet"
        out.append(t(key, lang, name=check.name, value=f"{check.value:.1f}", threshold=f"{check.threshold:g}", gap=f"{abs(check.gap):.1f}"))
    out.append(t("explain_margin", lang, margin=f"{result.margin:+.1f}"))
    if result.borderline:
        out.append(t("explain_borderline", lang, within=f"{rubric.meta.classification.borderline_within:g}"))
    answered = [line for line in result.lines if line.answer_id is not None]
    if answered:
        strongest = sorted(answered, key=lambda line: -line.contribution_overall)[:3]
        weakest = sorted(answered, key=lambda line: (line.percent, -line.weight))[:3]
        out.append(t("explain_strongest", lang, items="; ".join(f"{l.question} → {l.answer} (+{l.contribution_overall:.1f})" for l in strongest)))
        out.append(t("explain_weakest", lang, items="; ".join(f"{l.question} → {l.answer} ({l.percent:.0f}%)" for l in weakest)))
    if result.provisional:
        out.append(t("explain_provisional", lang, answered=result.answered, total=result.questions))
    if result.changes:
        out.append(t("explain_changes", lang, count=len(result.changes), label=result.changes_to))
    return out
