"""The connection-growth model: how a network's value grows with its nodes.

Four value laws, each counting something concrete:

* Sarnoff, ``V = n`` — a broadcast network: value is the audience;
* Odlyzko–Tilly, ``V = n·ln n`` — one-to-one links, where most possible links
  are worth little (Briscoe, Odlyzko & Tilly, "Metcalfe's Law is Wrong",
  IEEE Spectrum, 2006);
* Metcalfe, ``V = n(n−1)/2`` — every pair of nodes could connect;
* Reed, ``V = 2ⁿ − n − 1`` — every group of two or more nodes could form.

The essay says value grows "exponentially"; n² and 2ⁿ are *upper bounds* on
what real networks show, and n log n is the better estimate for most. Values
are computed as log10 so Reed's 2ⁿ never overflows, even for a billion nodes.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from assessment.i18n import t
from assessment.models import NODES, ChoiceQuestion, CountQuestion, Law, Node, RubricSet, text

LAW_NAMES = {
    "sarnoff": "Sarnoff (n)",
    "odlyzko_tilly": "Odlyzko–Tilly (n log n)",
    "metcalfe": "Metcalfe (n²)",
    "reed": "Reed (2ⁿ)",
}
LOG10_2 = np.log10(2.0)
LAW_ORDER: tuple[str, ...] = ("sarnoff", "odlyzko_tilly", "metcalfe", "reed")  # each grows faster than the one before


def log10_value(law: str, n: np.ndarray | float) -> np.ndarray:
    """log10 of the network value of ``n`` nodes under ``law`` (−inf where the value is 0)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if law == "sarnoff":
            out = np.log10(n)
        elif law == "odlyzko_tilly":
            out = np.log10(n * np.log(n))
        elif law == "metcalfe":
            out = np.log10(n) + np.log10(n - 1) - LOG10_2
        elif law == "reed":
            # 2**n − n − 1 = 2**n · (1 − (n + 1)·2**−n); the correction vanishes past n ≈ 60.
            correction = np.where(n < 60, -(n + 1) * np.exp2(-np.minimum(n, 60)), 0.0)
            out = n * LOG10_2 + np.log1p(correction) / np.log(10)
        else:
            raise ValueError(f"unknown value law '{law}'")
    return np.where(n <= 1, -np.inf, out) if law != "sarnoff" else np.where(n <= 0, -np.inf, out)


def log10_marginal(law: str, n: np.ndarray | float) -> np.ndarray:
    """log10 of the value the next node adds, ``V(n+1) − V(n)``, stable in log space."""
    n = np.asarray(n, dtype=float)
    after = log10_value(law, n + 1)
    before = log10_value(law, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isfinite(before), np.power(10.0, before - after), 0.0)
        return after + np.log10(1.0 - ratio)


class GrowthRow(BaseModel):
    """One node group (people, businesses or things) in the growth model: counts, law, values.

    Every value is a log10 (Reed's 2ⁿ would overflow a float); ``None`` where a
    count was not answered or the value is 0.
    """

    model_config = ConfigDict(frozen=True)

    node: Node
    node_label: str
    kind: str  # the answered connection kind's label; "" when the law is assumed
    law: Law
    law_name: str
    law_assumed: bool  # the kind was not answered: Sarnoff, the lowest law, is assumed
    n_now: float | None
    n_reachable: float | None  # never below ``n_now``
    log10_value_now: float | None
    log10_value_reachable: float | None
    log10_growth: float | None  # tenfolds the value multiplies from now to reachable
    log10_marginal_now: float | None  # what the next node adds
    log10_marginal_reachable: float | None
    next_laws: tuple[Law, ...] = ()  # the laws above today's that the kind question offers, lowest first


class Scenario(BaseModel):
    """One law at a node group's counts: its value as a multiple of today's, and what the next node adds.

    Multiples and values are log10s (a multiple under Reed's law has thousands of digits); None where
    the value is 0. "Today's value" is today's law at today's count, or at the reachable count when
    nothing is connected today (``GrowthRow.base_is_reachable``).
    """

    model_config = ConfigDict(frozen=True)

    law: Law
    today: bool
    log10_multiple_now: float | None
    log10_multiple_reachable: float | None
    log10_next_now: float | None  # V(n+1) − V(n): one node of a broadcast network adds 1
    log10_next_reachable: float | None


def law_words(law: str, lang: str) -> str:
    """A law as a founder names the connections behind it: 'broadcast', 'group-forming'."""
    return t(f"charts_law_{law}", lang)


def whatif(node: str, law: str, lang: str) -> str:
    """'if your customers formed groups': the change a law above today's stands for, for this node group."""
    return t(f"charts_whatif_{node}_{law}" if node in NODES else f"charts_whatif_{law}", lang)


def base_is_reachable(row: GrowthRow) -> bool:
    """Nothing is connected today (a value of 0): multiples are counted from today's law at the reachable size."""
    return row.log10_value_now is None and row.log10_value_reachable is not None


def scenarios(row: GrowthRow, laws: tuple[str, ...] | None = None) -> list[Scenario]:
    """Today's law and each law above it the rubric offers (or ``laws``), as multiples of today's value."""
    base = row.log10_value_reachable if base_is_reachable(row) else row.log10_value_now
    return [_scenario(law, law == row.law, row.n_now, row.n_reachable, base)
            for law in (laws if laws is not None else (row.law, *row.next_laws))]


def _scenario(law: str, today: bool, now: float | None, reachable: float | None, base: float | None) -> Scenario:
    def multiple(n: float | None) -> float | None:
        value = _finite(float(log10_value(law, n))) if n is not None else None
        return None if value is None or base is None else value - base

    def following(n: float | None) -> float | None:
        value = None if n is None else _finite(float(log10_marginal(law, n)))
        return None if value is None else round(value, 9) + 0.0  # log-space rounding noise is not data

    return Scenario(law=law, today=today, log10_multiple_now=multiple(now),
                    log10_multiple_reachable=multiple(reachable), log10_next_now=following(now),
                    log10_next_reachable=following(reachable))


def growth_table(rubric: RubricSet, answers: dict[str, object], lang: str = "en") -> list[GrowthRow]:
    """One row per node group with a count question, most growth first (unknown growth last).

    ``log10_growth`` (how many tenfolds the value multiplies from now to
    reachable) ranks the nodes: the first row with a positive figure is where
    connection effects could grow most.
    """
    kinds = {q.node: q for _, q in rubric.choice_questions() if q.node}
    counts = {(q.node, q.horizon): q for _, q in rubric.count_questions()}
    rows = []
    for node in NODES:
        now_q, reach_q = counts.get((node, "now")), counts.get((node, "reachable"))
        if now_q is None and reach_q is None:
            continue
        now, reachable = _count(answers, now_q), _count(answers, reach_q)
        if reachable is not None and now is not None:
            reachable = max(reachable, now)
        label = text(rubric.meta.node_labels.get(node), lang) or node
        row = _growth_row(node, label, _law(kinds.get(node), answers, lang), now, reachable)
        rows.append(row.model_copy(update={"next_laws": _laws_above(row.law, kinds.get(node))}))
    return sorted(rows, key=lambda row: math.inf if row.log10_growth is None else -row.log10_growth)


def _laws_above(law: str, question: ChoiceQuestion | None) -> tuple[str, ...]:
    """The laws the kind question's options offer above ``law``, slowest first; every law above when it offers none."""
    offered = {o.law for o in question.options if o.law} if question is not None else set()
    above = LAW_ORDER[LAW_ORDER.index(law) + 1:]
    return tuple(x for x in above if x in offered) if offered else above


def _growth_row(node: str, label: str, law_pick: tuple[str, str, bool], now: float | None,
                reachable: float | None) -> GrowthRow:
    law, kind_label, assumed = law_pick
    v_now = float(log10_value(law, now)) if now is not None else np.nan
    v_reach = float(log10_value(law, reachable)) if reachable is not None else np.nan
    return GrowthRow(
        node=node,
        node_label=label,
        kind=kind_label,
        law=law,
        law_name=LAW_NAMES[law],
        law_assumed=assumed,
        n_now=now,
        n_reachable=reachable,
        log10_value_now=_finite(v_now),
        log10_value_reachable=_finite(v_reach),
        log10_growth=_finite(_tenfolds_gained(v_reach, v_now)),
        log10_marginal_now=_finite(float(log10_marginal(law, now))) if now is not None else None,
        log10_marginal_reachable=_finite(float(log10_marginal(law, reachable))) if reachable is not None else None,
    )


def _count(answers: dict[str, object], question: CountQuestion | None) -> float | None:
    if question is None:
        return None
    value = answers.get(question.id)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _law(question: ChoiceQuestion | None, answers: dict[str, object], lang: str) -> tuple[str, str, bool]:
    """The law the answered connection kind follows; Sarnoff (the lowest) when unanswered."""
    if question is not None:
        option = question.option(str(answers.get(question.id, "")))
        if option is not None and option.law:
            return option.law, text(option.label, lang), False
    return "sarnoff", "", True


def _tenfolds_gained(log10_reachable: float, log10_now: float) -> float:
    """How many tenfolds the value multiplies from now to reachable (a difference of log10 values);
    a value of 0 or less than 1 counts as 1, so growth stays finite. NaN when a count is missing."""
    if np.isnan(log10_reachable) or np.isnan(log10_now):
        return np.nan
    return max(log10_reachable, 0.0) - max(log10_now, 0.0)


def _finite(value: float) -> float | None:
    """A finite float, or None for NaN (a count not answered) and −inf (a value of 0)."""
    return float(value) if math.isfinite(value) else None
