"""The scoring arithmetic, once: one business is a batch of one.

Answers are *option codes*: each choice question's chosen option position
(lowest first), ``UNANSWERED`` (-1) or ``DONT_KNOW`` (-2). Single scoring,
batch scoring, the workshop's group verdict and the path search of "what would
change the verdict" all call :func:`score_codes` on complete codes, so they
cannot disagree.

The rules, each retraceable by hand:

* a choice answer scores ``option score / highest option score × 100`` (0–100);
* a *unit* is a question, or a ``best`` group whose value is its highest
  member (the roads to Internet+: one road far enough is enough);
* a dimension is the weighted mean of all its units; overall is the weighted
  mean of the dimensions;
* "Internet+" when every condition of the rule holds; the margin is the
  smallest ``score − threshold`` over the conditions;
* an unknown answer (unanswered or "don't know") could be any option, so a
  sheet has a *range*: every unknown at its lowest option, and at its highest.
  Scores only grow with answers, so the verdict is "Internet+ whatever the
  unknowns" when the low end is Internet+, "+Internet whatever the unknowns"
  when the high end is not, and otherwise undetermined.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from assessment.models import ChoiceQuestion, RubricSet, by_digest
from assessment.vocabulary import DONT_KNOW, SCORE_OVERALL, ClassCode

UNANSWERED = -1
UNKNOWN_DONT_KNOW = -2
BLOCK_ROWS = 65_536
_T = TypeVar("_T")


@dataclass(frozen=True)
class Unit:
    """What a dimension averages: one question, or a best-of group of questions."""

    dimension: int
    weight: float
    members: tuple[int, ...]  # question indices
    group_id: str | None = None


@dataclass(frozen=True)
class Engine:
    """A rubric set compiled to arrays (choice questions only; counts are not scored)."""

    question_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    question_dimension: np.ndarray  # (q,) index into dimension_ids
    option_ids: tuple[tuple[str, ...], ...]  # per question, lowest first
    option_pct: tuple[np.ndarray, ...]  # per question: percent of each option
    units: tuple[Unit, ...]
    question_unit: np.ndarray  # (q,) index into units
    dimension_weights: np.ndarray  # (d,)
    unit_weight_total: np.ndarray  # (d,) Σ unit weights per dimension
    condition_index: np.ndarray  # (c,) dimension index, -1 for overall, -2 for a group (see condition_unit)
    condition_unit: np.ndarray  # (c,) unit index of a group condition, else -1
    thresholds: np.ndarray  # (c,)
    borderline_within: float

    @property
    def top_option(self) -> np.ndarray:
        return np.array([len(o) - 1 for o in self.option_ids])

    def codes(self, answers: dict[str, object]) -> np.ndarray:
        """One business's answers as option codes (-1 unanswered, -2 "don't know")."""
        return np.array(
            [_code(answers.get(qid), options) for qid, options in zip(self.question_ids, self.option_ids, strict=True)],
            dtype=np.int32,
        )

    def percent(self, question_index: int, code: int) -> float | None:
        return None if code < 0 else float(self.option_pct[question_index][code])

    def unit_share(self, question_index: int) -> float:
        """The share of its dimension a question's unit carries (weight ÷ the dimension's total)."""
        unit = self.units[self.question_unit[question_index]]
        return unit.weight / float(self.unit_weight_total[unit.dimension])


def _code(value: object, options: tuple[str, ...]) -> int:
    if value == DONT_KNOW:
        return UNKNOWN_DONT_KNOW
    if isinstance(value, str) and value in options:
        return options.index(value)
    return UNANSWERED


@by_digest
def compile_rubric(rubric: RubricSet) -> Engine:
    """The rubric compiled to arrays (cached by the rubric files' digest)."""
    dimension_ids = tuple(d.id for d in rubric.dimensions)
    choice = rubric.choice_questions()
    index = {q.id: i for i, (_, q) in enumerate(choice)}
    units: list[Unit] = []
    for d, dimension in enumerate(rubric.dimensions):
        for group in dimension.groups:
            units.append(Unit(d, group.weight, tuple(index[q] for q in group.questions), group.id))
        grouped = {q for g in dimension.groups for q in g.questions}
        for question in dimension.questions:
            if isinstance(question, ChoiceQuestion) and question.id in index and question.id not in grouped:
                units.append(Unit(d, float(question.weight or 0.0), (index[question.id],)))
    question_unit = np.zeros(len(choice), dtype=int)
    for u, unit in enumerate(units):
        question_unit[list(unit.members)] = u
    totals = np.zeros(len(dimension_ids))
    for unit in units:
        totals[unit.dimension] += unit.weight
    rule = rubric.meta.classification
    return Engine(
        question_ids=tuple(q.id for _, q in choice),
        dimension_ids=dimension_ids,
        question_dimension=np.array([dimension_ids.index(d.id) for d, _ in choice], dtype=int),
        option_ids=tuple(tuple(o.id for o in q.options) for _, q in choice),
        option_pct=tuple(np.array([o.score / q.max_score * 100.0 for o in q.options]) for _, q in choice),
        units=tuple(units),
        question_unit=question_unit,
        dimension_weights=np.array([rubric.dimension_weight(d) for d in dimension_ids], dtype=float),
        unit_weight_total=totals,
        condition_index=np.array([_condition_index(c.score, dimension_ids) for c in rule.internet_plus_when],
                                 dtype=int),
        condition_unit=np.array(
            [next((u for u, unit in enumerate(units) if unit.group_id == c.score), -1)
             for c in rule.internet_plus_when],
            dtype=int,
        ),
        thresholds=np.array([c.at_least for c in rule.internet_plus_when], dtype=float),
        borderline_within=rule.borderline_within,
    )


def _condition_index(score: str, dimension_ids: tuple[str, ...]) -> int:
    if score == SCORE_OVERALL:
        return -1
    return dimension_ids.index(score) if score in dimension_ids else -2


@dataclass(frozen=True)
class Scores:
    """Scores of n businesses with complete answers: arrays with one entry (or row) per business."""

    dimensions: np.ndarray  # (n, d)
    overall: np.ndarray  # (n,)
    condition_gaps: np.ndarray  # (n, c) score − threshold
    margin: np.ndarray  # (n,)
    internet_plus: np.ndarray  # (n,) bool
    borderline: np.ndarray  # (n,) bool


Codes = np.ndarray | Sequence[np.ndarray]


def in_blocks(n: int, work: Callable[[int, int], _T], block_rows: int | None = None) -> list[_T]:
    """Run ``work(start, stop)`` over blocks of rows; in threads when there are several
    (numpy and Arrow release the GIL on large operations)."""
    size = block_rows or BLOCK_ROWS
    spans = [(start, min(n, start + size)) for start in range(0, n, size)]
    if len(spans) <= 1:
        return [work(start, stop) for start, stop in spans]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda span: work(*span), spans))


def score_codes(engine: Engine, codes: Codes) -> Scores:
    """Score businesses whose every answer is an option: an (n, q) or (q,) integer array,
    or one array of n codes per question. Negative codes must be filled first (see
    :func:`score_range`)."""
    columns, n = _columns(engine, codes)
    return _score(engine, columns, n, engine.option_pct)


def _score(engine: Engine, columns: list[np.ndarray], n: int, percents: Sequence[np.ndarray]) -> Scores:
    """Scores with each question's percent per code read from ``percents`` (see :func:`score_range`)."""
    points = np.zeros((n, len(engine.dimension_ids)))
    named = np.zeros((n, len(engine.thresholds)))  # the value of each group a condition names

    def work(start: int, stop: int) -> None:
        points[start:stop], named[start:stop] = _points(engine, percents, [c[start:stop] for c in columns])

    in_blocks(n, work)
    return finish(engine, points / engine.unit_weight_total, named)


def _points(engine: Engine, percents: Sequence[np.ndarray],
            columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Σ unit weight × unit percent per dimension, for one block of rows, units in rubric order
    (so a business gets bit-identical scores whichever block, batch or thread it is in); and
    the percent of each group the rule names."""
    n = len(columns[0]) if columns else 0
    sums = [np.zeros(n) for _ in engine.dimension_ids]  # one contiguous array per dimension: no strided adds
    named = np.zeros((n, len(engine.thresholds)))
    for u, unit in enumerate(engine.units):
        pct = percents[unit.members[0]].take(columns[unit.members[0]])
        for q in unit.members[1:]:
            pct = np.maximum(pct, percents[q].take(columns[q]))
        sums[unit.dimension] += unit.weight * pct
        if (names := engine.condition_unit == u).any():
            named[:, names] = pct[:, None]
    return np.stack(sums, axis=1) if sums else np.zeros((n, 0)), named


def _columns(engine: Engine, codes: Codes) -> tuple[list[np.ndarray], int]:
    if isinstance(codes, np.ndarray):
        matrix = np.atleast_2d(codes)
        if matrix.shape[1] != len(engine.question_ids):
            raise ValueError(f"expected {len(engine.question_ids)} questions, got {matrix.shape[1]}")
        return [matrix[:, q].astype(np.intp, copy=False) for q in range(matrix.shape[1])], matrix.shape[0]
    columns = [np.asarray(c).astype(np.intp, copy=False) for c in codes]
    if len(columns) != len(engine.question_ids):
        raise ValueError(f"expected {len(engine.question_ids)} question columns, got {len(columns)}")
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        raise ValueError("question columns differ in length")
    return columns, lengths.pop()


def finish(engine: Engine, dimensions: np.ndarray, named: np.ndarray) -> Scores:
    """Overall, rule, margin and borderline from the dimension scores and the named groups."""
    overall = dimensions @ engine.dimension_weights / engine.dimension_weights.sum()
    if not len(engine.thresholds):
        gaps = np.zeros((len(dimensions), 0))
        margin = gaps.min(axis=1)  # as before: a rule has conditions (validated), else this raises
    else:  # column by column: numpy is slow across a short axis, and a million rows make it count
        by_condition = [overall if i == -1 else named[:, k] if u >= 0 else dimensions[:, max(i, 0)]
                        for k, (i, u) in enumerate(zip(engine.condition_index, engine.condition_unit, strict=True))]
        gaps = np.stack(by_condition, axis=1) - engine.thresholds
        margin = functools.reduce(np.minimum, gaps.T)
    return Scores(
        dimensions=dimensions,
        overall=overall,
        condition_gaps=gaps,
        margin=margin,
        internet_plus=margin >= 0,
        borderline=np.abs(margin) <= engine.borderline_within,
    )


_CLASS_INDEX = {code: i for i, code in enumerate(ClassCode)}
_CLASS_VALUES = np.array([code.value for code in ClassCode])


@dataclass(frozen=True)
class Verdicts:
    """The verdicts of n sheets that may have unknown answers: both ends of each range."""

    low: Scores  # every unknown at its lowest option
    high: Scores  # every unknown at its highest option
    answered: np.ndarray  # (n,) questions with an option chosen
    dont_know: np.ndarray  # (n,) questions answered "don't know"
    questions: int
    borderline_within: float

    @property
    def determined(self) -> np.ndarray:
        return self.low.internet_plus | ~self.high.internet_plus

    @property
    def class_index(self) -> np.ndarray:
        """Each verdict as its position in :class:`ClassCode` (a million small ints, not a million strings)."""
        return np.where(self.low.internet_plus, _CLASS_INDEX[ClassCode.INTERNET_PLUS],
                        np.where(self.high.internet_plus, _CLASS_INDEX[ClassCode.UNDETERMINED],
                                 _CLASS_INDEX[ClassCode.PLUS_INTERNET])).astype(np.int8)

    @property
    def class_codes(self) -> np.ndarray:
        return _CLASS_VALUES[self.class_index]

    @property
    def margin(self) -> np.ndarray:
        """Distance past the boundary on the certain side (≥ 0 Internet+, < 0 +Internet); NaN if undetermined."""
        return np.where(self.low.internet_plus, self.low.margin,
                        np.where(self.high.internet_plus, np.nan, self.high.margin))

    @property
    def deciding(self) -> np.ndarray:
        """The condition the margin is measured on (its index in the rule); −1 when undetermined.

        Internet+: the closest condition at the low end; +Internet: the furthest short at the high end.
        """
        if not self.low.condition_gaps.shape[1]:
            return np.full(len(self.answered), -1)
        low, high = self.low.condition_gaps.argmin(axis=1), self.high.condition_gaps.argmin(axis=1)
        return np.where(self.low.internet_plus, low, np.where(self.high.internet_plus, -1, high))

    @property
    def borderline(self) -> np.ndarray:
        return self.determined & (np.abs(np.nan_to_num(self.margin)) <= self.borderline_within)

    @property
    def completeness(self) -> np.ndarray:
        return self.answered / max(self.questions, 1)


def score_range(engine: Engine, codes: Codes) -> Verdicts:
    """Score sheets with unknown answers: the low and the high end of each verdict."""
    columns, n = _columns(engine, codes)
    answered, dont_know = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for c in columns:
        answered += c >= 0
        dont_know += c == UNKNOWN_DONT_KNOW
    # An unknown code (-1 or -2) reads the two entries appended after the options: take() counts
    # negative positions from the end, so no filled copy of the codes is made.
    low = _score(engine, columns, n, [np.append(p, [p[0], p[0]]) for p in engine.option_pct])
    if (answered == len(columns)).all():
        high = low
    else:
        high = _score(engine, columns, n, [np.append(p, [p[-1], p[-1]]) for p in engine.option_pct])
    return Verdicts(low, high, np.asarray(answered), np.asarray(dont_know), len(engine.question_ids),
                    engine.borderline_within)
