"""The growth charts: each node group's value curve under its own law, and what the next node adds."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, note, themed_figure
from assessment.charts.text import plotly_escape, sentence
from assessment.charts.theme import BLACK, BLUE, NODE_COLORS, NODE_DASHES, TEXT_COLOR, VERMILLION
from assessment.formatting import count_text, log10_text
from assessment.i18n import t
from assessment.models import NODES, RubricSet
from assessment.network import LAW_NAMES, GrowthRow, curve, log10_value
from assessment.localise import AssessmentView


def growth_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """Each node group's value curve under its own law, with where it is now and could reach."""
    traces: list[go.Scatter] = []
    parts: list[str] = []
    for row in by_node(result.growth):
        counts = [n for n in (row.n_now, row.n_reachable) if n is not None]
        if not counts:
            parts.append(t("charts_growth_no_counts", lang, node=row.node_label))
        elif max(counts) < 1:
            parts.append(t("charts_growth_none", lang, node=row.node_label))
        else:
            traces += _growth_traces(row, max(counts), lang)
            parts.append(t("charts_growth_part", lang, node=row.node_label, law=LAW_NAMES[row.law],
                           why=_law_why(row, lang), now=count_text(row.n_now), reachable=count_text(row.n_reachable)))
    if traces:
        parts.append(t("charts_growth_caveat", lang))
    elif not result.growth:
        parts.append(t("charts_growth_empty", lang))
    title = t("charts_growth_title", lang)
    figure = themed_figure(
        traces, title,
        xaxis=axis(t("charts_growth_x", lang), type="log"),
        yaxis=axis(t("charts_growth_y", lang), rangemode="tozero", exponentformat="power"),
        annotations=[] if traces else [note(t("charts_growth_empty", lang))],
        legend=dict(title=dict(text=plotly_escape(t("charts_growth_legend", lang)), side="top")),
    )
    rows = [{"node": row.node_label, "law": LAW_NAMES[row.law], "n_now": row.n_now, "n_reachable": row.n_reachable,
             "v_now": row.log10_value_now, "v_reachable": row.log10_value_reachable} for row in by_node(result.growth)]
    columns = {"node": t("charts_col_node", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "v_now": t("charts_col_log10_now", lang), "v_reachable": t("charts_col_log10_reachable", lang)}
    return Chart("growth", title, figure, sentence(parts, lang), data_table(rows, columns))


def by_node(rows: list[GrowthRow]) -> list[GrowthRow]:
    """People, businesses, things: the same order (and colours) in every chart."""
    order = {node: i for i, node in enumerate(NODES)}
    return sorted(rows, key=lambda row: order.get(row.node, len(order)))


def _law_why(row: GrowthRow, lang: str) -> str:
    return t("charts_why_assumed", lang) if row.law_assumed else t(f"charts_why_{row.law}", lang)


def _growth_traces(row: GrowthRow, top: float, lang: str) -> list[go.Scatter]:
    """The law's curve from 2 nodes to ten times the largest count, and the now/reachable points."""
    color = NODE_COLORS.get(row.node, BLACK)
    points = curve(row.law, max(top, 2.0) * 10)
    name = plotly_escape(t("charts_growth_curve", lang, node=row.node_label, law=LAW_NAMES[row.law]))
    line = go.Scatter(
        x=points["n"], y=points["log10_value"], mode="lines", name=name, legendgroup=row.node,
        line=dict(color=color, width=2.5, dash=NODE_DASHES.get(row.node, "solid")),
        hovertemplate="n = %{x:,.0f}<br>log₁₀ V = %{y:,.2f}", meta={"node": row.node, "role": "curve", "law": row.law},
    )
    counts = (("now", row.n_now), ("reachable", row.n_reachable))
    marks = [(when, n, float(log10_value(row.law, n))) for when, n in counts if n is not None and n >= 1]
    marks = [m for m in marks if math.isfinite(m[2])]
    return [line, _growth_points(row, marks, color, lang)] if marks else [line]


def _growth_points(row: GrowthRow, marks: list[tuple[str, float, float]], color: str, lang: str) -> go.Scatter:
    words = {"now": t("charts_growth_now", lang), "reachable": t("charts_growth_reachable", lang)}
    hover = [plotly_escape(t("charts_growth_point", lang, node=row.node_label, when=words[when], n=count_text(n),
                             value=log10_text(value)))
             for when, n, value in marks]
    return go.Scatter(
        x=[m[1] for m in marks], y=[m[2] for m in marks], mode="markers", showlegend=False,
        name=plotly_escape(row.node_label), legendgroup=row.node, cliponaxis=False,
        marker=dict(color=color, size=13, symbol=["circle-open" if m[0] == "now" else "circle" for m in marks],
                    line=dict(color=color, width=2.5)),
        hovertext=hover, hoverinfo="text", meta={"node": row.node, "role": "points", "when": [m[0] for m in marks]},
    )


# ---------------------------------------------------------------- the value of the next node


def marginal_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """What one more node adds in each group, now and within reach (log10), so the biggest lever stands out."""
    counted = [row for row in by_node(result.growth) if row.n_now is not None or row.n_reachable is not None]
    rows = [_marginal_row(row) for row in counted]
    labels = [plotly_escape(r["node"], 30) for r in rows]
    words = {"now": t("charts_marginal_now", lang), "reachable": t("charts_marginal_reachable", lang)}
    traces = [
        _marginal_bars(labels, [r["m_now"] for r in rows], words["now"], BLUE, None),
        _marginal_bars(labels, [r["m_reachable"] for r in rows], words["reachable"], VERMILLION, "/"),
    ]
    values = [v for r in rows for v in (r["m_now"], r["m_reachable"]) if v is not None]
    yaxis = axis(t("charts_marginal_y", lang), rangemode="tozero", exponentformat="power")
    if not values or max(values) <= 0:
        yaxis["range"] = [0, 1]
    title = t("charts_marginal_title", lang)
    figure = themed_figure(traces if rows else [], title, barmode="group", xaxis=axis(t("charts_marginal_x", lang)),
                           yaxis=yaxis, annotations=[] if rows else [note(t("charts_growth_empty", lang))])
    columns = {"node": t("charts_col_node", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "m_now": t("charts_col_marginal_now", lang), "m_reachable": t("charts_col_marginal_reachable", lang)}
    return Chart("marginal", title, figure, _marginal_summary(rows, words, lang), data_table(rows, columns))


def _marginal_row(row: GrowthRow) -> dict:
    def rounded(value: float | None) -> float | None:  # log-space rounding noise is not data
        return None if value is None else round(value, 9) + 0.0

    return {"node": row.node_label, "law": LAW_NAMES[row.law], "n_now": row.n_now, "n_reachable": row.n_reachable,
            "m_now": rounded(row.log10_marginal_now), "m_reachable": rounded(row.log10_marginal_reachable)}


def _marginal_bars(labels: list[str], values: list[float | None], name: str, color: str, pattern: str | None) -> go.Bar:
    marker: dict = dict(color=color, line=dict(color=color, width=1))
    if pattern:  # a hatch tells the two horizons apart in greyscale print too
        marker["pattern"] = dict(shape=pattern, fgcolor=BLACK, fillmode="overlay", solidity=0.2)
    return go.Bar(
        x=labels, y=values, name=plotly_escape(name), marker=marker,
        text=[log10_text(v) if v is not None else "" for v in values],
        textposition="outside", textfont=dict(color=TEXT_COLOR), cliponaxis=False,
        hovertext=[f"{label} · {plotly_escape(name)}: {log10_text(v)}"
                   for label, v in zip(labels, values, strict=True)],
        hoverinfo="text",
    )


def _marginal_summary(rows: list[dict], words: dict[str, str], lang: str) -> str:
    """The group whose next node adds most (at reach when known, else now), or that none stands out."""
    best = [(r["m_reachable"], "reachable", r) if r["m_reachable"] is not None else (r["m_now"], "now", r)
            for r in rows]
    best = [b for b in best if b[0] is not None]
    if not best:
        return sentence([t("charts_marginal_empty", lang)], lang)
    value, when, row = max(best, key=lambda b: b[0])
    if len(best) > 1 and value - min(b[0] for b in best) < 1e-9:
        return sentence([t("charts_marginal_tie", lang, value=log10_text(value))], lang)
    return sentence([t("charts_marginal_summary", lang, node=row["node"], when=words[when], value=log10_text(value),
                       law=row["law"])], lang)
