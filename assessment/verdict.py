"""What would change the verdict: the fewest answer changes that flip the class.

Each dimension's questions are first ordered greedily by how much moving one
of them to the far option (the top one to reach "Internet+", the bottom one to
lose it) moves that dimension, given the moves before it — exact for weighted
means of answered questions. Every way of taking the first k₁, k₂, … of those
orders is then scored at once, in one batch, and the smallest total that flips
the class wins (ties: the widest resulting margin). Finally each change in the
plan is eased to the nearest option that still flips, so the plan asks for no
more than it must.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from assessment.engine import UNANSWERED, Engine, Scores, score_codes

MAX_COMBINATIONS = 200_000


@dataclass(frozen=True)
class Move:
    question_index: int
    from_option: int | None  # None: unanswered
    to_option: int
    overall_gain: float  # of this move alone, from the current answers
    dimension_gain: float

    @property
    def steps(self) -> int:
        return 1 if self.from_option is None else abs(self.to_option - self.from_option)

    @property
    def gain_per_step(self) -> float:
        return self.overall_gain / self.steps


@dataclass(frozen=True)
class Plan:
    to_internet_plus: bool  # the direction: gaining Internet+ or losing it
    moves: tuple[Move, ...]  # ranked by |score gained per step|
    overall_after: float
    margin_after: float

    @property
    def found(self) -> bool:
        return bool(self.moves)


def flip_plan(engine: Engine, answers: dict[str, object]) -> Plan:
    """The fewest answer changes that flip the classification of these answers."""
    codes = engine.codes(answers)
    base = score_codes(engine, codes)
    up = not bool(base.internet_plus[0])
    far = engine.top_option if up else np.zeros(len(codes), dtype=int)
    orders = [_greedy_order(engine, codes, far, d, up) for d in range(len(engine.dimension_ids))]
    chosen = _best_allocation(engine, codes, far, orders, up)
    if chosen is None:
        return Plan(up, (), float(base.overall[0]), float(base.margin[0]))
    targets = _ease(engine, codes, {q: int(far[q]) for q in chosen}, up)
    final = score_codes(engine, _apply(codes, targets))
    moves = sorted(
        (_move(engine, codes, base, q, option) for q, option in targets.items()),
        key=lambda m: abs(m.gain_per_step),
        reverse=True,
    )
    return Plan(up, tuple(moves), float(final.overall[0]), float(final.margin[0]))


def _apply(codes: np.ndarray, targets: dict[int, int]) -> np.ndarray:
    out = codes.copy()
    for q, option in targets.items():
        out[q] = option
    return out


def _greedy_order(engine: Engine, codes: np.ndarray, far: np.ndarray, d: int, up: bool) -> list[int]:
    candidates = [
        int(q)
        for q in np.flatnonzero(engine.question_dimension == d)
        if codes[q] == UNANSWERED or (codes[q] < far[q] if up else codes[q] > far[q])
    ]
    order: list[int] = []
    current = codes.copy()
    while candidates:
        trial = np.repeat(current[None, :], len(candidates), axis=0)
        trial[np.arange(len(candidates)), candidates] = far[candidates]
        scores = score_codes(engine, trial).dimensions[:, d]
        pick = int(np.nanargmax(scores) if up else np.nanargmin(scores))
        order.append(candidates.pop(pick))
        current = trial[pick]
    return order


def _best_allocation(
    engine: Engine, codes: np.ndarray, far: np.ndarray, orders: list[list[int]], up: bool
) -> list[int] | None:
    limit = max(1, int(MAX_COMBINATIONS ** (1 / max(len(orders), 1))) - 1)
    orders = [order[:limit] for order in orders]
    allocations = np.array(list(itertools.product(*(range(len(o) + 1) for o in orders))), dtype=int)
    trial = np.repeat(codes[None, :], len(allocations), axis=0)
    for d, order in enumerate(orders):
        for k, q in enumerate(order):
            trial[allocations[:, d] > k, q] = far[q]
    scores = score_codes(engine, trial)
    flipped = scores.internet_plus == up
    if not flipped.any():
        return None
    totals = np.where(flipped, allocations.sum(axis=1), np.iinfo(int).max)
    best = np.flatnonzero(totals == totals.min())
    margins = scores.margin[best] if up else -scores.margin[best]
    pick = best[int(np.argmax(margins))]
    return [q for d, order in enumerate(orders) for q in order[: allocations[pick, d]]]


def _ease(engine: Engine, codes: np.ndarray, targets: dict[int, int], up: bool) -> dict[int, int]:
    """Move each change to the nearest option that still flips the class."""
    targets = dict(targets)
    for q in list(targets):
        current = int(codes[q])
        count = len(engine.option_ids[q])
        options = range(count) if up else range(count - 1, -1, -1)
        for option in options:
            if current != UNANSWERED and (option <= current if up else option >= current):
                continue
            if bool(score_codes(engine, _apply(codes, {**targets, q: option})).internet_plus[0]) == up:
                targets[q] = option
                break
    return targets


def _move(engine: Engine, codes: np.ndarray, base: Scores, q: int, option: int) -> Move:
    after = score_codes(engine, _apply(codes, {q: option}))
    d = engine.question_dimension[q]
    return Move(
        question_index=q,
        from_option=None if codes[q] == UNANSWERED else int(codes[q]),
        to_option=option,
        overall_gain=float(after.overall[0] - np.nan_to_num(base.overall[0])),
        dimension_gain=float(after.dimensions[0, d] - np.nan_to_num(base.dimensions[0, d])),
    )
