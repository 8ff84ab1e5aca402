"""What the charts read off a rubric and a result: thresholds, titles and the scores the rule counts."""

from __future__ import annotations

from assessment.localise import AssessmentView
from assessment.models import RubricSet, text


def dimension_thresholds(rubric: RubricSet) -> dict[str, float]:
    """Each dimension's threshold in the rule (the highest, should one be named twice)."""
    out: dict[str, float] = {}
    for condition in rubric.dimension_conditions():
        out[condition.score] = max(out.get(condition.score, 0.0), condition.at_least)
    return out


def dimension_titles(rubric: RubricSet, lang: str) -> dict[str, str]:
    return {d.id: text(d.title, lang) for d in rubric.dimensions}


def certain_score(result: AssessmentView, dimension_id: str) -> float:
    """A dimension's score as the rule counts it for certain: unknown answers at their lowest."""
    return next((d.low for d in result.dimensions if d.id == dimension_id), 0.0)


def question_codes(rubric: RubricSet, lang: str) -> dict[str, str]:
    """A short code per question, for labels on a chart: its dimension's initial and its number there ('U3').

    The number is the one the Assess page shows; initials that two dimensions share get a second letter.
    """
    titles = [text(d.title, lang).strip() or d.id for d in rubric.dimensions]
    size = 1
    while size < max(len(title) for title in titles) and len({title[:size].upper() for title in titles}) < len(titles):
        size += 1
    return {q.id: f"{title[:size].upper()}{number}" for title, d in zip(titles, rubric.dimensions, strict=True)
            for number, q in enumerate(d.questions, 1)}
