"""The words of an assessment in one language: the single localisation step at the edge.

:func:`assessment.scoring.assess` returns ids and numbers only; the CLI, the
pages, the exports and the report call :func:`localise` once to get the same
result with every title, question, answer and sentence in the language they
show. Switching language re-runs this step only, never the scoring.
"""

from __future__ import annotations

from typing import cast

from assessment.i18n import t
from assessment.models import ClassKey, RubricSet, text
from assessment.network import GrowthRow
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
from assessment.vocabulary import DONT_KNOW, ClassCode


class DimensionView(DimensionScore):
    title: str


class ConditionView(ConditionCheck):
    name: str


class LineView(AnswerLine):
    question: str
    answer: str
    recommendation: str


class UnknownView(Unknown):
    question: str


class ChangeView(Change):
    question: str
    from_answer: str
    to_answer: str


class RoadView(RoadPath):
    title: str
    description: str
    answer: str
    changes: list[ChangeView]  # type: ignore[assignment]  # the same steps, in words


class RecommendationView(Recommendation):
    question: str
    answer: str
    next_answer: str
    recommendation: str


class AssessmentView(Assessment):
    """An assessment with its words in ``language``."""

    class_label: str
    class_summary: str
    changes_to: str  # the label of the class the changes lead to
    dimensions: list[DimensionView]  # type: ignore[assignment]
    conditions: list[ConditionView]  # type: ignore[assignment]
    lines: list[LineView]  # type: ignore[assignment]
    unknowns: list[UnknownView]  # type: ignore[assignment]
    changes: list[ChangeView]  # type: ignore[assignment]
    roads: list[RoadView]  # type: ignore[assignment]
    recommendations: list[RecommendationView]  # type: ignore[assignment]
    headline: str = ""  # the verdict in one sentence (assessment.headline)
    explanation: list[str]

    def dimension(self, dimension_id: str) -> DimensionView:
        return next(d for d in self.dimensions if d.id == dimension_id)


def class_label(rubric: RubricSet, code: ClassCode | str, lang: str) -> str:
    if code == ClassCode.UNDETERMINED:
        return t("class_undetermined", lang)
    return rubric.class_label(str(code), lang)


def class_summary(rubric: RubricSet, code: ClassCode | str, lang: str) -> str:
    if code == ClassCode.UNDETERMINED:
        return t("class_undetermined_summary", lang)
    return text(rubric.meta.classification.classes[cast(ClassKey, str(code))].summary, lang)


class Words:
    """Looks up the rubric's words for ids, in one language."""

    def __init__(self, rubric: RubricSet, lang: str):
        self.rubric, self.lang = rubric, lang

    def question(self, question_id: str) -> str:
        question = self.rubric.question(question_id)
        return text(question.text, self.lang) if question else question_id

    def answer(self, question_id: str, answer_id: str | None) -> str:
        if answer_id is None:
            return ""
        if answer_id == DONT_KNOW:
            return t("dont_know", self.lang)
        option = getattr(self.rubric.question(question_id), "option", lambda _: None)(answer_id)
        return text(option.label, self.lang) if option else answer_id

    def recommendation(self, question_id: str) -> str:
        return text(getattr(self.rubric.question(question_id), "recommendation", None), self.lang)

    def condition(self, score: str) -> str:
        return self.rubric.condition_name(score, self.lang) or t("overall", self.lang)

    def change(self, change: Change) -> ChangeView:
        return ChangeView(**change.model_dump(), question=self.question(change.question_id),
                          from_answer=self.answer(change.question_id, change.from_id),
                          to_answer=self.answer(change.question_id, change.to_id))


def localise(result: Assessment, rubric: RubricSet, lang: str | None = None) -> AssessmentView:
    """``result`` with its words in ``lang`` (default: the answers' own language)."""
    from assessment.explain import explain  # noqa: PLC0415 - explain and headline import this module
    from assessment.headline import headline  # noqa: PLC0415 - (a top-level import would be circular)

    lang = lang or result.language or "en"
    words = Words(rubric, lang)
    titles = {d.id: text(d.title, lang) for d in rubric.dimensions}
    roads = {r.id: r for r in rubric.meta.roads}
    view = AssessmentView(
        **result.model_dump(exclude={"dimensions", "conditions", "lines", "unknowns", "changes", "roads",
                                     "recommendations", "language", "growth"}),
        language=lang,
        class_label=class_label(rubric, result.class_code, lang),
        class_summary=class_summary(rubric, result.class_code, lang),
        changes_to=class_label(rubric, result.target_class, lang),
        dimensions=[DimensionView(**d.model_dump(), title=titles[d.id]) for d in result.dimensions],
        conditions=[ConditionView(**c.model_dump(), name=words.condition(c.score)) for c in result.conditions],
        lines=[LineView(**x.model_dump(), question=words.question(x.question_id),
                        answer=words.answer(x.question_id, x.answer_id),
                        recommendation=words.recommendation(x.question_id) if x.advised else "")
               for x in result.lines],
        unknowns=[UnknownView(**u.model_dump(), question=words.question(u.question_id)) for u in result.unknowns],
        changes=[words.change(c) for c in result.changes],
        roads=[RoadView(**r.model_dump(exclude={"changes"}), title=text(roads[r.road].title, lang),
                        description=text(roads[r.road].description, lang),
                        answer=words.answer(r.question_id, r.answer_id),
                        changes=[words.change(c) for c in r.changes]) for r in result.roads],
        recommendations=[RecommendationView(**r.model_dump(), question=words.question(r.question_id),
                                            answer=words.answer(r.question_id, r.answer_id),
                                            next_answer=words.answer(r.question_id, r.next_id),
                                            recommendation=words.recommendation(r.question_id))
                         for r in result.recommendations],
        growth=[_growth_row(row, result, rubric, words) for row in result.growth],
        explanation=[],
    )
    view = view.model_copy(update={"headline": headline(result, rubric, lang)})
    return view.model_copy(update={"explanation": explain(view, rubric, lang)})


def _growth_row(row: GrowthRow, result: Assessment, rubric: RubricSet, words: Words) -> GrowthRow:
    """A growth row with its node and connection kind named in the language."""
    kind = next((q for _, q in rubric.choice_questions() if q.node == row.node), None)
    answer = next((x.answer_id for x in result.lines if kind and x.question_id == kind.id), None)
    label = text(rubric.meta.node_labels.get(row.node), words.lang) or row.node
    kind_text = words.answer(kind.id, answer) if kind and answer else ""
    return row.model_copy(update={"node_label": label, "kind": kind_text})
