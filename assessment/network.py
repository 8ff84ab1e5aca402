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
import pandas as pd
from pydantic import BaseModel, ConfigDict

from assessment.models import NODES, ChoiceQuestion, CountQuestion, Law, Node, RubricSet, text

LAW_NAMES = {
    "sarnoff": "Sarnoff (n)",
    "odlyzko_tilly": "Odlyzko–Tilly (n log n)",
    "metcalfe": "Metcalfe (n²)",
    "reed": "Reed (2ⁿ)",
}
LOG10_2 = np.log10(2.0)


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


def format_log10(value: float) -> str:
    """A human reading of a log10 value: '1.2 million', or '10^3.0e7' when astronomic."""
    if not np.isfinite(value):
        return "0"
    if value < 15:
        number = 10.0**value
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
            if number >= size:
                return f"{number / size:.3g} {word}"
        return f"{number:.3g}"
    return f"10^{value:.4g}"


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
        rows.append(_growth_row(node, label, _law(kinds.get(node), answers, lang), now, reachable))
    return sorted(rows, key=lambda row: math.inf if row.log10_growth is None else -row.log10_growth)


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


def curve(law: str, n_max: float, points: int = 60) -> pd.DataFrame:
    """Points of a value curve from 2 nodes to ``n_max`` (geometric spacing), for charts."""
    n_max = max(float(n_max), 3.0)
    n = np.unique(np.round(np.geomspace(2, n_max, points)))
    return pd.DataFrame({"n": n, "log10_value": log10_value(law, n)})


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
