"""What would change the verdict: the nearest realistic steps, and a path along each road.

A *step* moves one answer one option up (or down, to lose Internet+). A path is
the fewest steps that flip the verdict for certain (unknown answers held at
their least favourable option, and not moved). Among paths, the one whose
largest jump on any single question is smallest wins first: if one-level
changes can flip the verdict, no question is asked to jump two levels. Then
the fewest steps, then the widest margin after them.

Scores are linear in the options chosen, except a best-of group (the roads),
whose value is its highest member; moving a member that does not end highest
is wasted, so each member is tried as "the one that counts" and the best
result kept. That makes every sub-problem a small integer program, solved
exactly by HiGHS through :func:`scipy.optimize.milp`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assessment.engine import Engine, score_codes

if TYPE_CHECKING:  # scipy.optimize costs ~0.3 s to import: only the path search loads it, not every command
    from scipy.optimize import Bounds

TOLERANCES = (1e-9, 1e-5, 1e-3)  # first allow exact ties (≥ counts); stricter when the solver's own tolerance fooled it
MAX_CHOICES = 64  # member choices tried across several best-of groups


@dataclass(frozen=True)
class Step:
    question_index: int
    from_option: int
    to_option: int
    overall_gain: float  # of this step, taken after the steps before it
    dimension_gain: float


@dataclass(frozen=True)
class FlipPath:
    road: str | None  # None: the nearest path, any road
    to_internet_plus: bool
    steps: tuple[Step, ...]  # most overall gain per step first
    overall_after: float
    margin_after: float
    max_jump: int

    @property
    def found(self) -> bool:
        return bool(self.steps)


@dataclass(frozen=True)
class RoadSearch:
    """A road for the search: its id, the questions a path may move, and its own measure."""

    id: str
    allowed: frozenset[int]
    signature: int | None


def worst_case(engine: Engine, codes: np.ndarray, up: bool) -> np.ndarray:
    """Unknown answers at their least favourable option for reaching the other class."""
    fill = np.zeros(len(codes), dtype=codes.dtype) if up else engine.top_option.astype(codes.dtype)
    return np.where(codes < 0, fill, codes)


def flip_path(engine: Engine, codes: np.ndarray, up: bool, road: RoadSearch | None = None) -> FlipPath:
    """The nearest path to the other class: smallest largest jump, fewest steps, widest margin."""
    base = worst_case(engine, codes, up)
    movable = _movable(engine, codes, up, road)
    for k in range(1, int(engine.top_option.max(initial=0)) + 1):
        best = None
        for choice in _member_choices(engine, base, movable, up, road):
            targets = _solve(engine, base, movable, up, k, choice)
            if targets is not None and (best is None or _better(engine, base, targets, best, up)):
                best = targets
        if best is not None:
            return _path(engine, base, best, up, k, road)
    empty = score_codes(engine, base)
    return FlipPath(road.id if road else None, up, (), float(empty.overall[0]), float(empty.margin[0]), 0)


def _movable(engine: Engine, codes: np.ndarray, up: bool, road: RoadSearch | None) -> list[int]:
    """Known answers that can still move in the direction wanted (on this road, if one is given)."""
    tops = engine.top_option
    return [
        q for q in range(len(codes))
        if codes[q] >= 0 and (codes[q] < tops[q] if up else codes[q] > 0)
        and (road is None or q in road.allowed)
    ]


def _member_choices(engine: Engine, base: np.ndarray, movable: Sequence[int], up: bool,
                    road: RoadSearch | None) -> list[dict[int, int]]:
    """For each best-of unit, which member may move (upwards only one member can count)."""
    if not up:
        return [{}]
    options = []
    for u, unit in enumerate(engine.units):
        if len(unit.members) == 1:
            continue
        current = max(unit.members, key=lambda q: engine.option_pct[q][base[q]])
        if road is not None:
            # Only the road's own measure may move; the group's present best still counts.
            members = list(dict.fromkeys([current, *([road.signature] if road.signature in unit.members else [])]))
        else:
            members = list(dict.fromkeys([current, *(q for q in unit.members if q in movable)]))
        options.append([(u, q) for q in members])
    combos = list(itertools.islice(itertools.product(*options), MAX_CHOICES))
    return [dict(c) for c in combos] or [{}]


def _solve(engine: Engine, base: np.ndarray, movable: Sequence[int], up: bool, k: int,
           choice: dict[int, int]) -> dict[int, int] | None:
    """Fewest steps of at most ``k`` levels per question that flip the class; then the widest margin.

    Each solution is checked by the engine itself; a threshold met only up to
    floating-point noise is solved again with a stricter tolerance."""
    for tolerance in TOLERANCES:
        problem = _Problem(engine, base, movable, up, k, choice, tolerance)
        if not problem.variables:
            return None
        found = [o for o in (problem.optimise(c) for c in problem.conditions()) if o is not None]
        if not found:
            return None
        targets = min(found, key=lambda o: (o[0], o[1]))[2]
        if bool(score_codes(engine, _apply(base, targets)).internet_plus[0]) == up:
            return targets
    return None


class _Problem:
    """One integer program: binary step variables, the rule's conditions as linear constraints."""

    def __init__(self, engine: Engine, base: np.ndarray, movable: Sequence[int], up: bool, k: int,
                 choice: dict[int, int], tolerance: float):
        self.engine, self.base, self.up, self.tolerance = engine, base, up, tolerance
        pct = engine.option_pct
        self.variables: list[tuple[int, int, float]] = []  # (question, level after the step, Δ percent)
        sign = 1 if up else -1
        for q in movable:
            unit = engine.question_unit[q]
            if up and len(engine.units[unit].members) > 1 and choice.get(unit) != q:
                continue
            reach = engine.top_option[q] - base[q] if up else base[q]
            for s in range(1, min(k, reach) + 1):
                level = base[q] + sign * s
                self.variables.append((q, int(level), float(pct[q][level] - pct[q][level - sign])))
        # Linear coefficients of each condition on each unit's percent.
        dims = engine.dimension_weights / engine.dimension_weights.sum()
        unit_dim = np.array([u.dimension for u in engine.units])
        share = np.array([u.weight for u in engine.units]) / engine.unit_weight_total[unit_dim]
        self.coef = np.array([
            (np.arange(len(engine.units)) == u) * 1.0 if u >= 0
            else share * (dims[unit_dim] if c == -1 else (unit_dim == c))
            for c, u in zip(engine.condition_index, engine.condition_unit, strict=True)
        ])  # (conditions, units): a group condition reads its unit's percent directly
        self.base_unit = np.array([max(pct[q][base[q]] for q in u.members) for u in engine.units])
        for u, q in choice.items():
            # Upwards the chosen member alone stands for its group: exact once it ends highest,
            # and an underestimate (never an overestimate) before, so the best choice is exact.
            self.base_unit[u] = pct[q][base[q]]
        self.choice = choice

    def conditions(self) -> list[int | None]:
        """Upwards all conditions must hold (one program); downwards any one may fail (one each)."""
        return [None] if self.up else list(range(len(self.engine.thresholds)))

    def _unit_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each variable's effect on each unit's percent, and (downwards) the group bound variables."""
        n_units = len(self.engine.units)
        effect = np.zeros((n_units, len(self.variables)))
        for v, (q, _, delta) in enumerate(self.variables):
            effect[self.engine.question_unit[q], v] = delta
        return effect, np.array([len(u.members) > 1 for u in self.engine.units])

    def optimise(self, failing: int | None) -> tuple[int, float, dict[int, int]] | None:
        n = len(self.variables)
        effect, grouped = self._unit_rows()
        thresholds = self.engine.thresholds
        rows: list[np.ndarray] = []
        lower: list[float] = []
        upper: list[float] = []
        # Step order within a question: step s only after step s-1.
        for v in range(1, n):
            if self.variables[v][0] == self.variables[v - 1][0]:
                row = np.zeros(n + 1)
                row[v], row[v - 1] = 1, -1
                rows.append(row)
                lower.append(-np.inf)
                upper.append(0)
        if self.up:
            # condition value = coef·(base + effect·x) ≥ threshold; t ≤ each gap (for the margin).
            for c in range(len(thresholds)):
                row = np.append(self.coef[c] @ effect, 0.0)
                const = self.coef[c] @ self.base_unit
                rows.append(row)
                lower.append(thresholds[c] - const - (self.tolerance if self.tolerance < 1e-8 else -self.tolerance))
                upper.append(np.inf)
                rows.append(np.append(-(self.coef[c] @ effect), 1.0))  # t − gap_c ≤ const − threshold
                lower.append(-np.inf)
                upper.append(const - thresholds[c])
        else:
            # Downwards a best-of unit is bounded by all its members: use the unit of each member.
            assert failing is not None  # downwards, conditions() gives each condition's index
            c = failing
            if np.any(grouped & (self.coef[c] != 0)) and _any_group_member_moves(self):
                return self._optimise_down_grouped(c, effect)
            row = np.append(self.coef[c] @ effect, 0.0)
            const = self.coef[c] @ self.base_unit
            rows.append(row)
            lower.append(-np.inf)
            upper.append(thresholds[c] - const - self.tolerance)
            rows.append(np.append(self.coef[c] @ effect, -1.0))  # t ≥ gap_c
            lower.append(-np.inf)
            upper.append(thresholds[c] - const)
        return self._run(rows, lower, upper, n)

    def _optimise_down_grouped(self, c: int, effect: np.ndarray) -> tuple[int, float, dict[int, int]] | None:
        """Downwards with best-of units in the failing condition: a bound variable per such unit."""
        engine, n = self.engine, len(self.variables)
        groups = [u for u, unit in enumerate(engine.units) if len(unit.members) > 1 and self.coef[c, u] != 0]
        width = n + len(groups) + 1
        rows: list[np.ndarray] = []
        lower: list[float] = []
        upper: list[float] = []
        for v in range(1, n):
            if self.variables[v][0] == self.variables[v - 1][0]:
                row = np.zeros(width)
                row[v], row[v - 1] = 1, -1
                rows.append(row)
                lower.append(-np.inf)
                upper.append(0)
        pct = engine.option_pct
        for g, u in enumerate(groups):
            for q in engine.units[u].members:  # y_g ≥ member percent after its steps
                row = np.zeros(width)
                row[n + g] = 1
                for v, (vq, _, delta) in enumerate(self.variables):
                    if vq == q:
                        row[v] = -delta  # delta is negative downwards: − delta·x adds the drop back
                rows.append(row)
                lower.append(pct[q][self.base[q]])
                upper.append(np.inf)
        plain = np.array([0.0 if u in groups else 1.0 for u in range(len(engine.units))])
        const = self.coef[c] @ (self.base_unit * plain)
        row = np.zeros(width)
        row[:n] = (self.coef[c] * plain) @ effect
        for g, u in enumerate(groups):
            row[n + g] = self.coef[c, u]
        rows.append(row)
        lower.append(-np.inf)
        upper.append(engine.thresholds[c] - const - self.tolerance)
        t_row = row.copy()
        t_row[-1] = -1.0
        rows.append(t_row)
        lower.append(-np.inf)
        upper.append(engine.thresholds[c] - const)
        from scipy.optimize import Bounds  # noqa: PLC0415 (lazy: see TYPE_CHECKING above)

        integrality = np.concatenate([np.ones(n), np.zeros(len(groups) + 1)])
        bounds = Bounds(np.concatenate([np.zeros(n), np.full(len(groups), -1e9), [-1e9]]),
                        np.concatenate([np.ones(n), np.full(len(groups), 1e9), [1e9]]))
        return self._two_phase(np.array(rows), np.array(lower), np.array(upper), integrality, bounds, n, width)

    def _run(self, rows: list, lower: list, upper: list, n: int) -> tuple[int, float, dict[int, int]] | None:
        from scipy.optimize import Bounds  # noqa: PLC0415 (lazy: see TYPE_CHECKING above)

        width = n + 1
        integrality = np.append(np.ones(n), 0)
        bounds = Bounds(np.append(np.zeros(n), -1e9), np.append(np.ones(n), 1e9))
        return self._two_phase(np.array(rows).reshape(-1, width), np.array(lower), np.array(upper),
                               integrality, bounds, n, width)

    def _two_phase(self, a: np.ndarray, lower: np.ndarray, upper: np.ndarray, integrality: np.ndarray,
                   bounds: Bounds, n: int, width: int) -> tuple[int, float, dict[int, int]] | None:
        """Fewest steps first; then, with that many steps, the widest margin past the boundary."""
        from scipy.optimize import LinearConstraint, milp  # noqa: PLC0415 (lazy: see TYPE_CHECKING above)

        constraints = [LinearConstraint(a, lower, upper)] if len(a) else []
        cost = np.zeros(width)
        cost[:n] = 1
        first = milp(cost, constraints=constraints, integrality=integrality, bounds=bounds)
        if first.status != 0:
            return None
        steps = round(first.fun)
        budget = LinearConstraint(cost.reshape(1, -1), -np.inf, steps + 0.5)
        margin_cost = np.zeros(width)
        margin_cost[-1] = -1.0 if self.up else 1.0
        second = milp(margin_cost, constraints=[*constraints, budget], integrality=integrality, bounds=bounds)
        x = (second if second.status == 0 else first).x
        targets: dict[int, int] = {}
        for v, (q, level, _) in enumerate(self.variables):
            if x[v] > 0.5:
                targets[q] = level if self.up else min(level, targets.get(q, level))
        margin = float(x[-1])
        return steps, (-margin if self.up else margin), targets


def _any_group_member_moves(problem: _Problem) -> bool:
    return any(len(problem.engine.units[problem.engine.question_unit[q]].members) > 1 for q, _, _ in problem.variables)


def _better(engine: Engine, base: np.ndarray, new: dict[int, int], old: dict[int, int], up: bool) -> bool:
    """Fewer steps, then a wider margin past the boundary."""
    def key(targets: dict[int, int]) -> tuple[int, float]:
        steps = sum(abs(level - base[q]) for q, level in targets.items())
        margin = float(score_codes(engine, _apply(base, targets)).margin[0])
        return steps, -margin if up else margin
    return key(new) < key(old)


def _apply(codes: np.ndarray, targets: dict[int, int]) -> np.ndarray:
    out = codes.copy()
    for q, level in targets.items():
        out[q] = level
    return out


def _path(engine: Engine, base: np.ndarray, targets: dict[int, int], up: bool, k: int,
          road: RoadSearch | None) -> FlipPath:
    """The steps of a solved path, ordered greedily: the step gaining most overall first."""
    sign = 1 if up else -1
    pending = {q: list(range(base[q] + sign, level + sign, sign)) for q, level in targets.items()}
    current = base.copy()
    scores = score_codes(engine, current)
    steps: list[Step] = []
    while any(pending.values()):
        trials = [(q, levels[0]) for q, levels in pending.items() if levels]
        matrix = np.repeat(current[None, :], len(trials), axis=0)
        for row, (q, level) in enumerate(trials):
            matrix[row, q] = level
        after = score_codes(engine, matrix)
        gains = (after.overall - scores.overall[0]) * sign
        pick = int(np.argmax(gains + 1e-9 * (after.margin * sign)))
        q, level = trials[pick]
        d = engine.question_dimension[q]
        steps.append(Step(q, int(current[q]), level, float(after.overall[pick] - scores.overall[0]),
                          float(after.dimensions[pick, d] - scores.dimensions[0, d])))
        current[q] = level
        pending[q].pop(0)
        scores = score_codes(engine, current)
    return FlipPath(road.id if road else None, up, tuple(steps), float(scores.overall[0]), float(scores.margin[0]), k)
