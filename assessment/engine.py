"""The scoring arithmetic, once, over matrices: one business is a matrix of one row.

Single scoring, batch scoring and the what-if search of "what would change the
verdict" all call :func:`score_matrix`, so they cannot disagree.

The rules, each retraceable by hand:

* a choice answer scores ``option score / highest option score × 100`` (0–100);
* a dimension is the weighted mean of its *answered* questions (question
  weights), so a half-finished assessment shows where it stands so far —
  completeness is reported beside it;
* overall is the weighted mean of the dimensions that have answers (dimension
  weights);
* "Internet+" when every condition of the rule holds (a dimension with no
  answers counts as 0 there), otherwise "+Internet";
* the margin is the smallest ``score − threshold`` over the conditions: ≥ 0 is
  Internet+, and its distance from 0 is the distance to the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from assessment.models import SCORE_OVERALL, RubricSet

PLUS_INTERNET = "plus_internet"
INTERNET_PLUS = "internet_plus"


@dataclass(frozen=True)
class Engine:
    """A rubric set compiled to arrays (choice questions only; counts are not scored)."""

    question_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    question_dimension: np.ndarray  # (q,) index into dimension_ids
    weights: np.ndarray  # (q,)
    membership: np.ndarray  # (q, d) 1.0 where question belongs to dimension
    dimension_weights: np.ndarray  # (d,)
    option_ids: tuple[tuple[str, ...], ...]  # per question, lowest first
    option_pct: tuple[np.ndarray, ...]  # per question: percent of each option
    condition_index: np.ndarray  # (c,) dimension index, or -1 for overall
    thresholds: np.ndarray  # (c,)
    borderline_within: float

    def option_indices(self, answers: dict[str, object]) -> list[int | None]:
        """The chosen option's position for each question (None = unanswered or invalid)."""
        out: list[int | None] = []
        for qid, options in zip(self.question_ids, self.option_ids):
            value = answers.get(qid)
            out.append(options.index(value) if isinstance(value, str) and value in options else None)
        return out

    def row(self, answers: dict[str, object]) -> np.ndarray:
        """One business's answers as a row of percentages (NaN = unanswered)."""
        return np.array(
            [np.nan if i is None else pct[i] for i, pct in zip(self.option_indices(answers), self.option_pct)],
            dtype=float,
        )


_ENGINES: dict[str, Engine] = {}


def compile_rubric(rubric: RubricSet) -> Engine:
    """The compiled engine for ``rubric``, cached by the rubric files' digest."""
    engine = _ENGINES.get(rubric.digest)
    if engine is None:
        engine = _ENGINES[rubric.digest] = _compile(rubric)
    return engine


def _compile(rubric: RubricSet) -> Engine:
    dimension_ids = tuple(d.id for d in rubric.dimensions)
    choice = rubric.choice_questions()
    q_dim = np.array([dimension_ids.index(d.id) for d, _ in choice], dtype=int)
    membership = np.zeros((len(choice), len(dimension_ids)))
    membership[np.arange(len(choice)), q_dim] = 1.0
    rule = rubric.meta.classification
    return Engine(
        question_ids=tuple(q.id for _, q in choice),
        dimension_ids=dimension_ids,
        question_dimension=q_dim,
        weights=np.array([q.weight for _, q in choice], dtype=float),
        membership=membership,
        dimension_weights=np.array([rubric.dimension_weight(d) for d in dimension_ids], dtype=float),
        option_ids=tuple(tuple(o.id for o in q.options) for _, q in choice),
        option_pct=tuple(np.array([o.score / q.max_score * 100.0 for o in q.options]) for _, q in choice),
        condition_index=np.array(
            [-1 if c.score == SCORE_OVERALL else dimension_ids.index(c.score) for c in rule.internet_plus_when],
            dtype=int,
        ),
        thresholds=np.array([c.at_least for c in rule.internet_plus_when], dtype=float),
        borderline_within=rule.borderline_within,
    )


@dataclass(frozen=True)
class Scores:
    """Scores of n businesses: arrays with one entry (or row) per business."""

    dimensions: np.ndarray  # (n, d), NaN where a dimension has no answers
    overall: np.ndarray  # (n,), NaN when nothing is answered
    condition_gaps: np.ndarray  # (n, c) score − threshold
    margin: np.ndarray  # (n,)
    internet_plus: np.ndarray  # (n,) bool
    borderline: np.ndarray  # (n,) bool
    completeness: np.ndarray  # (n,) share of scored questions answered, 0–1


def score_matrix(engine: Engine, pct: np.ndarray) -> Scores:
    """Score an (n, q) matrix of answer percentages, NaN meaning unanswered."""
    pct = np.atleast_2d(np.asarray(pct, dtype=float))
    answered = ~np.isnan(pct)
    weight = answered * engine.weights
    numerator = np.where(answered, pct, 0.0) * engine.weights @ engine.membership
    denominator = weight @ engine.membership
    with np.errstate(invalid="ignore", divide="ignore"):
        dimensions = numerator / denominator
        has_dimension = denominator > 0
        dw = has_dimension * engine.dimension_weights
        overall = np.where(has_dimension, dimensions, 0.0) @ engine.dimension_weights / dw.sum(axis=1)
    rule_scores = np.where(np.isnan(dimensions), 0.0, dimensions)
    overall_for_rule = np.where(np.isnan(overall), 0.0, overall)
    by_condition = np.where(
        engine.condition_index == -1,
        overall_for_rule[:, None],
        rule_scores[:, np.maximum(engine.condition_index, 0)],
    )
    gaps = by_condition - engine.thresholds
    margin = gaps.min(axis=1)
    return Scores(
        dimensions=dimensions,
        overall=overall,
        condition_gaps=gaps,
        margin=margin,
        internet_plus=margin >= 0,
        borderline=np.abs(margin) <= engine.borderline_within,
        completeness=answered.mean(axis=1) if pct.shape[1] else np.ones(len(pct)),
    )
