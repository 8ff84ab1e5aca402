"""The growth charts, for a founder: where connection effects could grow, and what the next node adds.

For each node group (people, businesses, things) the charts set today's law (the answered kind of
connection) beside each law above it the rubric offers: what if your customers dealt with each other
or formed groups, your partners dealt with your users, your products talked to each other. Values are
plain multiples of today's value, on an axis that grows tenfold per step and is labelled in multiples
(×1, ×10, ×1,000), never in log10. A value that stays flat (broadcast: every new customer adds the
same) is drawn and said so, never left blank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, note, themed_figure
from assessment.charts.text import plotly_escape, plotly_wrap, sentence
from assessment.charts.theme import BLACK, NODE_COLORS, TEXT_COLOR, tint
from assessment.formatting import count_text, multiple_text, plain_number
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import NODES, RubricSet
from assessment.network import LAW_NAMES, GrowthRow, Scenario, base_is_reachable, law_words, scenarios, whatif

SCALE_DECADES = 12  # past a trillion-fold a bar stops at the edge, and its text gives the number
BAR_ROW_PX = 40


@dataclass(frozen=True)
class _Bar:
    label: str  # the row's name on the chart
    node: str
    node_label: str
    log10: float | None  # the value, as a log10; None for 0
    today: bool  # today's connections (solid), or a what-if (hatched)
    text: str


def growth_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """Per node group: today's value at the reachable size, and each law above it, as multiples of today's."""
    bars: list[_Bar] = []
    parts: list[str] = []
    rows: list[dict] = []
    for row in by_node(result.growth):
        problem = _counts_problem(row, lang)
        if problem:
            parts.append(problem)
            continue
        found = scenarios(row)
        parts.append(_growth_part(row, found, lang))
        for scenario in found:
            value = scenario.log10_multiple_reachable
            label = (t("charts_growth_today", lang, node=row.node_label, law=law_words(row.law, lang),
                       n=count_text(row.n_reachable)) if scenario.today
                     else t("charts_growth_whatif", lang, node=row.node_label,
                            whatif=whatif(row.node, scenario.law, lang)))
            text = _off_scale(multiple_text(value, lang), value, lang)
            bars.append(_Bar(label, row.node, row.node_label, value, scenario.today, text))
            rows.append(_table_row(row, scenario, label, lang))
    if bars:
        parts.append(t("charts_growth_caveat", lang))
    elif not result.growth:
        parts.append(t("charts_growth_empty", lang))
    title = t("charts_growth_title", lang)
    figure = _bars_figure(bars, title, t("charts_growth_x", lang), "×", lang)
    columns = {"scenario": t("charts_col_scenario", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "multiple_now": t("charts_col_multiple_now", lang),
               "multiple_reachable": t("charts_col_multiple_reachable", lang)}
    return Chart("growth", title, figure, sentence(parts, lang), data_table(rows, columns))


def marginal_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """What one more node adds in each group: today now and at reach, and under each law above today's."""
    bars: list[_Bar] = []
    parts: list[str] = []
    rows: list[dict] = []
    for row in by_node(result.growth):
        if _counts_problem(row, lang):
            continue
        found = scenarios(row)
        parts.append(_marginal_part(row, found, lang))
        for scenario in found:
            for label, value in _marginal_bars(row, scenario, lang):
                text = _next_text(value, scenario.law, lang)
                bars.append(_Bar(label, row.node, row.node_label, value, scenario.today, text))
                rows.append(_table_row(row, scenario, label, lang, value))
    if not parts:
        parts.append(t("charts_marginal_empty", lang))
    title = t("charts_marginal_title", lang)
    figure = _bars_figure(bars, title, t("charts_marginal_x", lang), "", lang)
    columns = {"scenario": t("charts_col_scenario", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "next": t("charts_col_next", lang)}
    return Chart("marginal", title, figure, sentence(parts, lang), data_table(rows, columns))


def by_node(rows: list[GrowthRow]) -> list[GrowthRow]:
    """People, businesses, things: the same order (and colours) in every chart."""
    order = {node: i for i, node in enumerate(NODES)}
    return sorted(rows, key=lambda row: order.get(row.node, len(order)))


def _counts_problem(row: GrowthRow, lang: str) -> str | None:
    counts = [n for n in (row.n_now, row.n_reachable) if n is not None]
    if not counts:
        return t("charts_growth_no_counts", lang, node=row.node_label)
    if max(counts) < 1:
        return t("charts_growth_none", lang, node=row.node_label)
    return None


def _growth_part(row: GrowthRow, found: list[Scenario], lang: str) -> str:
    """'People: today broadcast, ×2.8 at your reachable 5,000; if your customers formed groups, ×7.8×10^1,501'."""
    today, ups = found[0], found[1:]
    key = "charts_growth_part_zero" if base_is_reachable(row) else "charts_growth_part"
    part = t(key, lang, node=row.node_label, law=law_words(row.law, lang), n=count_text(row.n_reachable),
             multiple=multiple_text(today.log10_multiple_reachable, lang))
    ups_words = [t("charts_growth_part_whatif", lang, whatif=whatif(row.node, s.law, lang),
                   multiple=multiple_text(s.log10_multiple_reachable, lang)) for s in ups]
    return t("charts_clause_join", lang).join([part, *ups_words])


def _marginal_bars(row: GrowthRow, scenario: Scenario, lang: str) -> list[tuple[str, float | None]]:
    """Today's law: the next node now and at reach; a law above: at reach only (where it would matter)."""
    if not scenario.today:
        return [(t("charts_marginal_whatif", lang, node=row.node_label, law=law_words(scenario.law, lang),
                   n=count_text(row.n_reachable)), scenario.log10_next_reachable)]
    law = law_words(row.law, lang)
    out = []
    if row.n_now is not None:
        out.append((t("charts_marginal_today", lang, node=row.node_label, law=law, n=count_text(row.n_now)),
                    scenario.log10_next_now))
    if row.n_reachable is not None and row.n_reachable != row.n_now:
        out.append((t("charts_marginal_today_reach", lang, node=row.node_label, law=law,
                      n=count_text(row.n_reachable)), scenario.log10_next_reachable))
    return out


def _marginal_part(row: GrowthRow, found: list[Scenario], lang: str) -> str:
    today, ups = found[0], found[1:]
    value = today.log10_next_reachable if today.log10_next_reachable is not None else today.log10_next_now
    flat = t("charts_marginal_part_flat", lang) if row.law == "sarnoff" else ""
    part = t("charts_marginal_part", lang, node=row.node_label, value=plain_number(value, lang), flat=flat)
    ups_words = [t("charts_marginal_part_whatif", lang, whatif=whatif(row.node, s.law, lang),
                   value=plain_number(s.log10_next_reachable, lang)) for s in ups]
    return t("charts_clause_join", lang).join([part, *ups_words])


def _next_text(value: float | None, law: str, lang: str) -> str:
    text = plain_number(value, lang)
    if law == "sarnoff":
        return t("charts_marginal_flat", lang, value=text)  # broadcast: each new one adds the same, 1
    return _off_scale(text, value, lang)


def _off_scale(text: str, value: float | None, lang: str) -> str:
    return t("charts_growth_off_scale", lang, value=text) if value is not None and value > SCALE_DECADES else text


def _table_row(row: GrowthRow, scenario: Scenario, label: str, lang: str, value: float | None = None) -> dict:
    return {"scenario": label, "law": LAW_NAMES[scenario.law], "n_now": row.n_now, "n_reachable": row.n_reachable,
            "multiple_now": multiple_text(scenario.log10_multiple_now, lang),
            "multiple_reachable": multiple_text(scenario.log10_multiple_reachable, lang),
            "next": plain_number(value, lang)}


def _bars_figure(bars: list[_Bar], title: str, x_title: str, prefix: str, lang: str) -> go.Figure:
    """Horizontal bars on an axis that grows tenfold per step, its ticks written as plain numbers; one colour
    per node group, today's bars solid and the what-ifs hatched."""
    shown = [min(b.log10, SCALE_DECADES) for b in bars if b.log10 is not None]
    top = max([1.0, *shown])
    low = math.log10(0.4)  # below 1, so a flat ×1 or 1 still shows as a short bar
    labels = [plotly_wrap(b.label, 34) for b in bars]
    traces = []
    for node in NODES:
        mine = [(label, b) for label, b in zip(labels, bars, strict=True) if b.node == node]
        if mine:
            traces.append(_node_trace(node, mine, low))
    step = max(1, math.ceil(top / 8))
    ticks = list(range(0, math.floor(top) + 1, step))
    plot_px = BAR_ROW_PX * max(len(bars), 3)
    margin = dict(l=70, r=30, t=60, b=120)
    return themed_figure(
        traces, title, height=plot_px + margin["t"] + margin["b"], barmode="overlay", bargap=0.3, margin=margin,
        xaxis=axis(x_title, type="log", range=[low, top + 1.0], tickvals=[10.0**k for k in ticks],
                   ticktext=[prefix + plain_number(k, lang) for k in ticks]),
        yaxis=axis(t("charts_growth_y", lang), autorange="reversed", categoryorder="array", categoryarray=labels),
        annotations=[] if bars else [note(t("charts_growth_empty", lang))],
        legend=dict(y=-64 / plot_px, title=dict(text=plotly_escape(t("charts_growth_legend", lang)), side="top")),
    )


def _node_trace(node: str, mine: list[tuple[str, _Bar]], low: float) -> go.Bar:
    color = NODE_COLORS.get(node, BLACK)
    values = [10.0 ** min(b.log10, SCALE_DECADES) if b.log10 is not None else 10.0**low for _, b in mine]
    return go.Bar(
        x=values, y=[label for label, _ in mine], orientation="h", name=plotly_escape(mine[0][1].node_label),
        marker=dict(color=[color if b.today else tint(color, 0.25) for _, b in mine], line=dict(color=color, width=1.5),
                    pattern=dict(shape=["" if b.today else "/" for _, b in mine], fgcolor=color, solidity=0.35)),
        # A bar that runs off the scale carries its number inside its end, where there is room for it.
        text=[plotly_escape(b.text) for _, b in mine], textfont=dict(color=TEXT_COLOR), insidetextanchor="end",
        textposition=["inside" if (b.log10 or 0) > SCALE_DECADES else "outside" for _, b in mine],
        cliponaxis=False, hovertext=[plotly_escape(f"{b.label}: {b.text}") for _, b in mine], hoverinfo="text",
        meta={"node": node},
    )
