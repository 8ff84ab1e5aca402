"""What the charts read off a rubric and a result: thresholds, titles and the scores the rule counts."""

from __future__ import annotations

from assessment.models import RubricSet, text
from assessment.localise import AssessmentView


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
