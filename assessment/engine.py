"""The scoring arithmetic, once: one business is a batch of one.

Answers are *option codes*: each question's chosen option position (lowest
first), or -1 when unanswered. Single scoring, batch scoring and the what-if
search of "what would change the verdict" all call :func:`score_codes`, which
sums question by question in the same order, so they cannot disagree.

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

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from assessment.models import SCORE_OVERALL, RubricSet, by_digest

PLUS_INTERNET = "plus_internet"
INTERNET_PLUS = "internet_plus"
UNANSWERED = -1


@dataclass(frozen=True)
class Engine:
    """A rubric set compiled to arrays (choice questions only; counts are not scored)."""

    question_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    question_dimension: np.ndarray  # (q,) index into dimension_ids
    weights: np.ndarray  # (q,)
    dimension_weights: np.ndarray  # (d,)
    option_ids: tuple[tuple[str, ...], ...]  # per question, lowest first
    option_pct: tuple[np.ndarray, ...]  # per question: percent of each option
    points_table: tuple[np.ndarray, ...]  # per question: weight × percent per option, then 0 for -1
    weight_table: tuple[np.ndarray, ...]  # per question: weight per option, then 0 for -1
    condition_index: np.ndarray  # (c,) dimension index, or -1 for overall
    thresholds: np.ndarray  # (c,)
    borderline_within: float

    @property
    def top_option(self) -> np.ndarray:
        return np.array([len(o) - 1 for o in self.option_ids])

    def codes(self, answers: dict[str, object]) -> np.ndarray:
        """One business's answers as option codes (-1 = unanswered or not an option)."""
        return np.array(
            [options.index(v) if isinstance(v := answers.get(qid), str) and v in options else UNANSWERED
             for qid, options in zip(self.question_ids, self.option_ids)],
            dtype=np.int32,
        )

    def percent(self, question_index: int, code: int) -> float | None:
        return None if code < 0 else float(self.option_pct[question_index][code])


@by_digest
def compile_rubric(rubric: RubricSet) -> Engine:
    """The rubric compiled to arrays (cached by the rubric files' digest)."""
    dimension_ids = tuple(d.id for d in rubric.dimensions)
    choice = rubric.choice_questions()
    pct = tuple(np.array([o.score / q.max_score * 100.0 for o in q.options]) for _, q in choice)
    rule = rubric.meta.classification
    return Engine(
        question_ids=tuple(q.id for _, q in choice),
        dimension_ids=dimension_ids,
        question_dimension=np.array([dimension_ids.index(d.id) for d, _ in choice], dtype=int),
        weights=np.array([q.weight for _, q in choice], dtype=float),
        dimension_weights=np.array([rubric.dimension_weight(d) for d in dimension_ids], dtype=float),
        option_ids=tuple(tuple(o.id for o in q.options) for _, q in choice),
        option_pct=pct,
        points_table=tuple(np.append(q.weight * p, 0.0) for (_, q), p in zip(choice, pct)),
        weight_table=tuple(np.append(np.full(len(p), q.weight), 0.0) for (_, q), p in zip(choice, pct)),
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


Codes = np.ndarray | Sequence[np.ndarray]
BLOCK_ROWS = 65_536


@dataclass(frozen=True)
class Totals:
    """Running sums per business, filled block by block: the only per-row state."""

    points: np.ndarray  # (d, n) Σ weight × percent over answered questions
    weight: np.ndarray  # (d, n) Σ weight over answered questions
    answered: np.ndarray  # (n,) answered questions

    @classmethod
    def zeros(cls, engine: Engine, n: int) -> "Totals":
        size = len(engine.dimension_ids)
        return cls(np.zeros((size, n)), np.zeros((size, n)), np.zeros(n))


def accumulate(engine: Engine, columns: Sequence[np.ndarray], totals: Totals, rows: slice) -> None:
    """Add one block of rows' answers (one codes array per question) into ``totals``.

    Questions are summed in rubric order, so a business gets bit-identical
    scores whichever block, batch or thread it is scored in.
    """
    for q, column in enumerate(columns):
        index = column.astype(np.intp, copy=False)
        d = engine.question_dimension[q]
        totals.points[d, rows] += engine.points_table[q].take(index)
        totals.weight[d, rows] += engine.weight_table[q].take(index)
        totals.answered[rows] += index >= 0


def in_blocks(n: int, work, block_rows: int | None = None) -> list:
    """Run ``work(start, stop)`` over blocks of rows; in threads when there are several
    (numpy and Arrow release the GIL on large operations)."""
    size = block_rows or BLOCK_ROWS
    spans = [(start, min(n, start + size)) for start in range(0, n, size)]
    if len(spans) <= 1:
        return [work(start, stop) for start, stop in spans]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda span: work(*span), spans))


def score_codes(engine: Engine, codes: Codes) -> Scores:
    """Score businesses given as option codes: an (n, q) or (q,) integer array, or one
    array of n codes per question."""
    columns, n = _columns(engine, codes)
    totals = Totals.zeros(engine, n)
    in_blocks(n, lambda start, stop: accumulate(engine, [c[start:stop] for c in columns], totals, slice(start, stop)))
    return finish(engine, totals)


def _columns(engine: Engine, codes: Codes) -> tuple[list[np.ndarray], int]:
    if isinstance(codes, np.ndarray):
        matrix = np.atleast_2d(codes)
        if matrix.shape[1] != len(engine.question_ids):
            raise ValueError(f"expected {len(engine.question_ids)} questions, got {matrix.shape[1]}")
        return [matrix[:, q] for q in range(matrix.shape[1])], matrix.shape[0]
    columns = [np.asarray(c) for c in codes]
    if len(columns) != len(engine.question_ids):
        raise ValueError(f"expected {len(engine.question_ids)} question columns, got {len(columns)}")
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        raise ValueError("question columns differ in length")
    return columns, lengths.pop()


def finish(engine: Engine, totals: Totals) -> Scores:
    """Dimension scores, overall, rule, margin and completeness from the running sums."""
    return _finish(engine, totals.points.T, totals.weight.T, totals.answered / max(len(engine.question_ids), 1))


def _finish(engine: Engine, points: np.ndarray, weight: np.ndarray, completeness: np.ndarray) -> Scores:
    with np.errstate(invalid="ignore", divide="ignore"):
        dimensions = points / weight
        has_dimension = weight > 0
        overall = (np.where(has_dimension, dimensions, 0.0) @ engine.dimension_weights) / (
            has_dimension @ engine.dimension_weights
        )
    rule_scores = np.where(has_dimension, dimensions, 0.0)
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
        completeness=completeness,
    )
