"""Plotly figures for the Results and Compare pages and the HTML report.

Each :class:`Chart` carries a one-sentence summary and its data as a table,
because a plotly figure has no text alternative of its own. Plotly renders a
subset of HTML in titles, legends and hover text, so every text that did not
come from this module (business names, rubric texts, which users may upload)
is HTML-escaped before it enters a figure. Colours are set explicitly from
:data:`PALETTE` everywhere, so nothing falls back to plotly's defaults, several
of which are too pale against white.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assessment.i18n import t
from assessment.models import NODES, SCORE_OVERALL, Condition, RubricSet, text
from assessment.network import LAW_NAMES, curve, log10_marginal, log10_value
from assessment.formatting import score_text
from assessment.results import AnswerLine, Assessment

# Okabe–Ito blue, vermillion, bluish green, reddish purple; Paul Tol indigo and
# wine; black. Each is at least 3:1 against white (tests/test_charts.py measures).
BLUE, VERMILLION, GREEN, PURPLE, INDIGO, WINE, BLACK = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#332288", "#882255", "#000000",
)
PALETTE: tuple[str, ...] = (BLUE, VERMILLION, GREEN, PURPLE, INDIGO, WINE, BLACK)
BACKGROUND = "#FFFFFF"
TEXT_COLOR = "#222222"  # 15.9:1 on white
AXIS_COLOR = "#555555"  # 7.5:1 on white
GRID_COLOR = "#E6E6E6"  # decoration only: the data never depends on it
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif"
NODE_COLORS = dict(zip(NODES, (BLUE, VERMILLION, GREEN)))
NODE_DASHES = dict(zip(NODES, ("solid", "dash", "dot")))  # curves of the same law overlap: both stay visible
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "hexagon", "star")
DASHES = ("solid", "dash", "dot", "dashdot")


@dataclass(frozen=True)
class Chart:
    key: str  # "radar" | "quadrant" | "growth" | "marginal" | "priority" | "radar_overlay"
    title: str  # localised
    figure: go.Figure
    summary: str  # one plain, localised sentence: what the chart shows for this business
    data: pd.DataFrame  # the chart's data, localised column headers: its text alternative


# ---------------------------------------------------------------- helpers


def _e(value: object, limit: int | None = None) -> str:
    """Escaped for plotly's pseudo-HTML; shortened (before escaping, so no entity is cut)."""
    raw = str(value)
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1].rstrip() + "…"
    return html.escape(raw)


def _wrapped(value: str, width: int = 18) -> str:
    """Escaped and broken into short lines: long axis labels would run off a 700 px chart."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(value, width) or [""])


def _tint(color: str, alpha: float) -> str:
    """A light tint of a palette colour, for shading behind the data."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _num(value: float | None) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.1f}"


def _count(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f}"


def _power(log10: float | None) -> str:
    """A value given as log10, written plainly while it fits, else as a power of ten."""
    if log10 is None or not math.isfinite(log10):
        return "0"
    if log10 < 6:
        number = 10.0**log10
        return f"{number:,.0f}" if number >= 100 else f"{number:.3g}"
    return f"10^{log10:,.1f}"


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def _sentence(parts: Iterable[str], lang: str) -> str:
    return t("charts_sentence_join", lang).join(parts) + t("charts_sentence_end", lang)


def _names(items: Iterable[str], lang: str) -> str:
    return t("charts_list_separator", lang).join(items)


def _closed(values: Sequence) -> list:
    """A radar polygon's points with the first repeated, so the outline closes."""
    return [*values, values[0]] if values else []


def _table(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows keyed by internal names, as a frame with the localised headers in ``columns``."""
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.rename(columns=columns)


def _layout(title: str, **extra: object) -> dict:
    """What every chart shares: white background, palette colourway, readable at ~700 px."""
    layout: dict = dict(
        template="none",
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=16, color=TEXT_COLOR)),
        font=dict(family=FONT, size=13, color=TEXT_COLOR),
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        colorway=list(PALETTE),
        height=480,
        margin=dict(l=70, r=30, t=60, b=40),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.16, yanchor="top", font=dict(size=12)),
        hoverlabel=dict(bgcolor=BACKGROUND, bordercolor=AXIS_COLOR, font=dict(color=TEXT_COLOR)),
    )
    layout.update(extra)
    return layout


def _axis(title: str, **extra: object) -> dict:
    axis: dict = dict(
        title=dict(text=title, standoff=8),
        showline=True, linecolor=AXIS_COLOR, mirror=False, gridcolor=GRID_COLOR, zeroline=False,
        ticks="outside", tickcolor=AXIS_COLOR, automargin=True,
    )
    axis.update(extra)
    return axis


def _figure(traces: list, layout: dict) -> go.Figure:
    return go.Figure(data=traces, layout=layout)


def _dimension_thresholds(rubric: RubricSet) -> dict[str, float]:
    """Each dimension's threshold in the rule (the highest, should one be named twice)."""
    out: dict[str, float] = {}
    for condition in rubric.dimension_conditions():
        out[condition.score] = max(out.get(condition.score, 0.0), condition.at_least)
    return out


def _dimension_titles(rubric: RubricSet, lang: str) -> dict[str, str]:
    return {d.id: text(d.title, lang) for d in rubric.dimensions}


def _score(result: Assessment, dimension_id: str) -> float:
    """A dimension's score as the rule counts it for certain: unknown answers at their lowest."""
    return next((d.low for d in result.dimensions if d.id == dimension_id), 0.0)


# ---------------------------------------------------------------- radar


def radar_chart(result: Assessment, rubric: RubricSet, lang: str = "en") -> Chart:
    """The dimension scores, with each dimension's threshold from the rule as a second outline."""
    thresholds = _dimension_thresholds(rubric)
    dims = result.dimensions
    theta = _closed([_wrapped(d.title) for d in dims])
    scores = [d.low for d in dims]
    limits = [thresholds.get(d.id, 0.0) for d in dims]
    score_hover = [f"{_e(d.title)}: {score_text(d.low, d.high)}" for d in dims]
    limit_hover = [
        f"{_e(d.title)}: ≥ {thresholds[d.id]:g}" if d.id in thresholds else _e(t("charts_radar_no_threshold", lang, name=d.title))
        for d in dims
    ]
    traces = [
        go.Scatterpolar(
            r=_closed(scores), theta=theta, name=_e(result.business, 40), mode="lines+markers", fill="toself",
            fillcolor=_tint(BLUE, 0.15), line=dict(color=BLUE, width=2.5), marker=dict(color=BLUE, size=8),
            hovertext=_closed(score_hover), hoverinfo="text",
        ),
        go.Scatterpolar(
            r=_closed(limits), theta=theta, name=_e(t("charts_radar_threshold", lang)), mode="lines+markers",
            line=dict(color=BLACK, width=2, dash="dash"), marker=dict(color=BLACK, size=7, symbol="diamond"),
            hovertext=_closed(limit_hover), hoverinfo="text",
        ),
    ]
    title = t("charts_radar_title", lang)
    layout = _layout(_e(title), polar=_polar(t("charts_radar_axis", lang)), margin=dict(l=90, r=90, t=70, b=40))
    rows = [
        {"title": d.title, "score": d.low, "threshold": thresholds.get(d.id),
         "gap": None if d.id not in thresholds else _score(result, d.id) - thresholds[d.id]}
        for d in dims
    ]
    columns = {"title": t("charts_col_dimension", lang), "score": t("charts_col_score", lang),
               "threshold": t("charts_col_threshold", lang), "gap": t("charts_col_gap", lang)}
    return Chart("radar", title, _figure(traces, layout), _radar_summary(result, thresholds, lang), _table(rows, columns))


def _polar(axis_title: str) -> dict:
    return dict(
        bgcolor=BACKGROUND, domain=dict(x=[0.08, 0.92]),
        radialaxis=dict(range=[0, 100], tickvals=[0, 20, 40, 60, 80, 100], title=dict(text=_e(axis_title)),
                        gridcolor=GRID_COLOR, linecolor=AXIS_COLOR, tickcolor=AXIS_COLOR, angle=30, tickangle=30),
        angularaxis=dict(direction="clockwise", rotation=90, gridcolor=GRID_COLOR, linecolor=AXIS_COLOR),
    )


def _radar_summary(result: Assessment, thresholds: dict[str, float], lang: str) -> str:
    """The dimension furthest below (or, all met, closest to) its threshold; which have none."""
    ruled = [d for d in result.dimensions if d.id in thresholds]
    if not ruled:
        best = max(result.dimensions, key=lambda d: _score(result, d.id))
        return _sentence([t("charts_radar_no_rule", lang, name=best.title, score=_num(best.low))], lang)
    worst = min(ruled, key=lambda d: _score(result, d.id) - thresholds[d.id])
    key = "charts_radar_below" if _score(result, worst.id) < thresholds[worst.id] else "charts_radar_all_met"
    parts = [t(key, lang, name=worst.title, score=_num(_score(result, worst.id)), threshold=f"{thresholds[worst.id]:g}")]
    unruled = [d.title for d in result.dimensions if d.id not in thresholds]
    if unruled:
        parts.append(t("charts_radar_unthresholded", lang, names=_names(unruled, lang)))
    return _sentence(parts, lang)


# ---------------------------------------------------------------- quadrant


@dataclass(frozen=True)
class _Rule:
    """The rule seen as a plane: the first named dimension up; across, overall when the rule names
    it, else its second dimension; any further conditions as flags."""

    x_score: str  # "overall" or a dimension id
    x_threshold: float
    y_dimension: str
    y_threshold: float
    others: tuple[Condition, ...]

    @classmethod
    def of(cls, rubric: RubricSet) -> "_Rule":
        conditions = rubric.meta.classification.internet_plus_when
        on_dimensions = rubric.dimension_conditions()
        y_dimension = on_dimensions[0].score if on_dimensions else rubric.dimensions[0].id
        rest = [c for c in on_dimensions if c.score != y_dimension]
        named_overall = any(c.score == SCORE_OVERALL for c in conditions)
        x_score = SCORE_OVERALL if named_overall or not rest else rest[0].score
        return cls(
            x_score=x_score,
            x_threshold=max((c.at_least for c in conditions if c.score == x_score), default=0.0),
            y_dimension=y_dimension,
            y_threshold=max((c.at_least for c in on_dimensions if c.score == y_dimension), default=0.0),
            others=tuple(c for c in conditions if c.score not in (x_score, y_dimension)),
        )

    def point(self, result: Assessment) -> tuple[float, float]:
        x = result.overall_low if self.x_score == SCORE_OVERALL else _score(result, self.x_score)
        return x, _score(result, self.y_dimension)

    def x_title(self, rubric: RubricSet, lang: str) -> str:
        return t("overall", lang) if self.x_score == SCORE_OVERALL else _dimension_titles(rubric, lang)[self.x_score]

    def others_met(self, result: Assessment) -> bool:
        return all(c.met for c in result.conditions if c.score not in (self.x_score, self.y_dimension))

    def others_text(self, rubric: RubricSet, lang: str) -> str:
        return _names((f"{rubric.condition_name(c.score, lang) or c.score} ≥ {c.at_least:g}" for c in self.others), lang)


def quadrant_chart(result: Assessment, others: list[Assessment], rubric: RubricSet, lang: str = "en") -> Chart:
    """Overall against the rule's first dimension, with both classes' regions shaded."""
    rule = _Rule.of(rubric)
    y_title = _dimension_titles(rubric, lang).get(rule.y_dimension, rule.y_dimension)
    conditions = rule.others_text(rubric, lang)
    titles = (rule.x_title(rubric, lang), y_title)
    traces = _example_traces(others, rule, conditions, titles, lang) + [_this_trace(result, rule, titles, lang)]
    layout = _layout(
        _e(t("charts_quadrant_title", lang)),
        xaxis=_axis(_e(t("charts_quadrant_y", lang, dimension=rule.x_title(rubric, lang))), range=[0, 100], dtick=20),
        yaxis=_axis(_e(t("charts_quadrant_y", lang, dimension=y_title)), range=[0, 100], dtick=20),
        shapes=_regions(rule), annotations=_region_labels(rule, rubric, lang),
    )
    if rule.others:
        layout["legend"] = dict(layout["legend"], title=dict(text=_e(t("charts_quadrant_legend", lang, conditions=conditions)), side="top"))
    title = t("charts_quadrant_title", lang)
    return Chart("quadrant", title, _figure(traces, layout), _quadrant_summary(result, others, rule, rubric, y_title, lang),
                 _quadrant_table(result, others, rule, titles, lang))


def _hover(result: Assessment, rule: _Rule, titles: tuple[str, str], lang: str) -> str:
    x, y = rule.point(result)
    return f"<b>{_e(result.business)}</b><br>{_e(titles[0])}: {x:.1f}<br>{_e(titles[1])}: {y:.1f}<br>{_e(result.class_label)}"


def _points(items: list[Assessment], rule: _Rule, titles: tuple[str, str], lang: str, **trace: object) -> go.Scatter:
    points = [rule.point(a) for a in items]
    return go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], hovertext=[_hover(a, rule, titles, lang) for a in items],
        hoverinfo="text", cliponaxis=False, **trace,
    )


def _example_traces(others: list[Assessment], rule: _Rule, conditions: str, titles: tuple[str, str], lang: str) -> list[go.Scatter]:
    """Examples as blue circles: filled when the rule's other conditions hold, open when not."""
    if not rule.others:
        groups = [(others, "circle", t("charts_quadrant_examples", lang))]
    else:
        groups = [
            ([a for a in others if rule.others_met(a)], "circle", t("charts_quadrant_examples_met", lang, conditions=conditions)),
            ([a for a in others if not rule.others_met(a)], "circle-open", t("charts_quadrant_examples_unmet", lang, conditions=conditions)),
        ]
    return [
        _points(items, rule, titles, lang, name=_e(name), mode="markers",
                marker=dict(color=BLUE, size=11, symbol=symbol, line=dict(color=BLUE, width=2)))
        for items, symbol, name in groups
        if items
    ]


def _this_trace(result: Assessment, rule: _Rule, titles: tuple[str, str], lang: str) -> go.Scatter:
    symbol = "star" if rule.others_met(result) else "star-open"
    return _points(
        [result], rule, titles, lang, name=_e(t("charts_quadrant_this", lang, business=result.business[:40])),
        mode="markers+text", text=[_e(result.business, 30)], textposition="top center", textfont=dict(color=TEXT_COLOR),
        marker=dict(color=VERMILLION, size=20, symbol=symbol, line=dict(color=VERMILLION, width=2.5)),
    )


def _regions(rule: _Rule) -> list[dict]:
    """+Internet: the L-shaped rest of the plane; Internet+: the top-right box the rule's first two conditions allow."""
    x, y = rule.x_threshold, rule.y_threshold
    return [
        dict(type="path", name="plus_internet_region", path=f"M0,0 L100,0 L100,{y} L{x},{y} L{x},100 L0,100 Z",
             fillcolor=_tint(PURPLE, 0.10), line=dict(width=0), layer="below"),
        dict(type="rect", name="internet_plus_region", x0=x, x1=100, y0=y, y1=100,
             fillcolor=_tint(GREEN, 0.14), line=dict(color=GREEN, width=1.5), layer="below"),
    ]


def _region_labels(rule: _Rule, rubric: RubricSet, lang: str) -> list[dict]:
    label = dict(showarrow=False, font=dict(size=14, color=TEXT_COLOR), xref="x", yref="y")
    out = [dict(label, text=f"<b>{_e(rubric.class_label('internet_plus', lang))}</b>", x=100, y=rule.y_threshold,
                xanchor="right", yanchor="bottom", xshift=-6, yshift=4)]
    if rule.x_threshold > 0 or rule.y_threshold > 0:
        at_left = rule.x_threshold > 0
        out.append(dict(label, text=f"<b>{_e(rubric.class_label('plus_internet', lang))}</b>",
                        x=0, y=100 if at_left else 0, xanchor="left", yanchor="top" if at_left else "bottom",
                        xshift=6, yshift=-4 if at_left else 4))
    return out


def _quadrant_summary(result: Assessment, others: list[Assessment], rule: _Rule, rubric: RubricSet, y_title: str, lang: str) -> str:
    x, y = rule.point(result)
    label = rubric.class_label("internet_plus", lang)
    if x < rule.x_threshold or y < rule.y_threshold:
        where = t("charts_quadrant_outside", lang, label=label)
    elif rule.others and not rule.others_met(result):
        where = t("charts_quadrant_inside_unmet", lang, label=label, conditions=rule.others_text(rubric, lang))
    else:
        where = t("charts_quadrant_inside", lang, label=label)
    part = t("charts_quadrant_summary", lang, business=result.business, x_title=rule.x_title(rubric, lang), x=f"{x:.1f}",
             dimension=y_title, y=f"{y:.1f}", where=where, count=len(others))
    return _sentence([part], lang)


def _quadrant_table(result: Assessment, others: list[Assessment], rule: _Rule, titles: tuple[str, str],
                    lang: str) -> pd.DataFrame:
    x_title, y_title = titles
    rows = []
    for item, this in [(result, True)] + [(a, False) for a in others]:
        x, y = rule.point(item)
        rows.append({"business": item.business, "this": this, "x": x, "y": y,
                     "others_met": rule.others_met(item), "class": item.class_label})
    columns = {"business": t("charts_col_business", lang), "this": t("charts_col_this_business", lang),
               "x": x_title, "y": y_title,
               "others_met": t("charts_col_other_conditions", lang), "class": t("charts_col_class", lang)}
    return _table(rows, columns)


# ---------------------------------------------------------------- growth


def growth_chart(result: Assessment, rubric: RubricSet, lang: str = "en") -> Chart:
    """Each node group's value curve under its own law, with where it is now and could reach."""
    traces: list[go.Scatter] = []
    parts: list[str] = []
    rows: list[dict] = []
    for row in _by_node(result.growth):
        counts = [n for n in (row["n_now"], row["n_reachable"]) if n is not None]
        rows.append(_growth_row(row))
        if not counts:
            parts.append(t("charts_growth_no_counts", lang, node=row["node_label"]))
        elif max(counts) < 1:
            parts.append(t("charts_growth_none", lang, node=row["node_label"]))
        else:
            traces += _growth_traces(row, max(counts), lang)
            parts.append(t("charts_growth_part", lang, node=row["node_label"], law=LAW_NAMES[row["law"]],
                           why=_law_why(row, lang), now=_count(row["n_now"]), reachable=_count(row["n_reachable"])))
    if traces:
        parts.append(t("charts_growth_caveat", lang))
    elif not result.growth:
        parts.append(t("charts_growth_empty", lang))
    title = t("charts_growth_title", lang)
    layout = _layout(
        _e(title),
        xaxis=_axis(_e(t("charts_growth_x", lang)), type="log"),
        yaxis=_axis(_e(t("charts_growth_y", lang)), rangemode="tozero", exponentformat="power"),
        annotations=[] if traces else [_note(t("charts_growth_empty", lang))],
    )
    layout["legend"] = dict(layout["legend"], title=dict(text=_e(t("charts_growth_legend", lang)), side="top"))
    columns = {"node": t("charts_col_node", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "v_now": t("charts_col_log10_now", lang), "v_reachable": t("charts_col_log10_reachable", lang)}
    return Chart("growth", title, _figure(traces, layout), _sentence(parts, lang), _table(rows, columns))


def _by_node(rows: list[dict]) -> list[dict]:
    """People, businesses, things: the same order (and colours) in every chart."""
    order = {node: i for i, node in enumerate(NODES)}
    return sorted(rows, key=lambda row: order.get(row["node"], len(order)))


def _growth_row(row: dict) -> dict:
    law = row["law"]

    def value(n: float | None) -> float | None:
        return None if n is None else _finite(float(log10_value(law, n)))

    return {"node": row["node_label"], "law": LAW_NAMES[law], "n_now": row["n_now"], "n_reachable": row["n_reachable"],
            "v_now": value(row["n_now"]), "v_reachable": value(row["n_reachable"])}


def _law_why(row: dict, lang: str) -> str:
    return t("charts_why_assumed", lang) if row["law_assumed"] else t(f"charts_why_{row['law']}", lang)


def _growth_traces(row: dict, top: float, lang: str) -> list[go.Scatter]:
    """The law's curve from 2 nodes to ten times the largest count, and the now/reachable points."""
    node, law = row["node"], row["law"]
    color = NODE_COLORS.get(node, BLACK)
    points = curve(law, max(top, 2.0) * 10)
    name = _e(t("charts_growth_curve", lang, node=row["node_label"], law=LAW_NAMES[law]))
    line = go.Scatter(
        x=points["n"], y=points["log10_value"], mode="lines", name=name, legendgroup=node,
        line=dict(color=color, width=2.5, dash=NODE_DASHES.get(node, "solid")), hovertemplate="n = %{x:,.0f}<br>log₁₀ V = %{y:,.2f}",
        meta={"node": node, "role": "curve", "law": law},
    )
    marks = [(when, n, float(log10_value(law, n))) for when, n in (("now", row["n_now"]), ("reachable", row["n_reachable"]))
             if n is not None and n >= 1]
    marks = [m for m in marks if math.isfinite(m[2])]
    return [line, _growth_points(row, marks, color, lang)] if marks else [line]


def _growth_points(row: dict, marks: list[tuple[str, float, float]], color: str, lang: str) -> go.Scatter:
    words = {"now": t("charts_growth_now", lang), "reachable": t("charts_growth_reachable", lang)}
    return go.Scatter(
        x=[m[1] for m in marks], y=[m[2] for m in marks], mode="markers", showlegend=False,
        name=_e(row["node_label"]), legendgroup=row["node"], cliponaxis=False,
        marker=dict(color=color, size=13, symbol=["circle-open" if m[0] == "now" else "circle" for m in marks],
                    line=dict(color=color, width=2.5)),
        hovertext=[_e(t("charts_growth_point", lang, node=row["node_label"], when=words[m[0]], n=_count(m[1]), value=_power(m[2])))
                   for m in marks],
        hoverinfo="text", meta={"node": row["node"], "role": "points", "when": [m[0] for m in marks]},
    )


def _note(message: str) -> dict:
    """A message in the middle of an empty plot."""
    return dict(text=_e(message), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                font=dict(size=15, color=TEXT_COLOR))


# ---------------------------------------------------------------- marginal


def marginal_chart(result: Assessment, rubric: RubricSet, lang: str = "en") -> Chart:
    """What one more node adds in each group, now and within reach (log10), so the biggest lever stands out."""
    rows = [_marginal_row(row) for row in _by_node(result.growth) if row["n_now"] is not None or row["n_reachable"] is not None]
    labels = [_e(r["node"], 30) for r in rows]
    words = {"now": t("charts_marginal_now", lang), "reachable": t("charts_marginal_reachable", lang)}
    traces = [
        _marginal_bars(labels, [r["m_now"] for r in rows], words["now"], BLUE, None),
        _marginal_bars(labels, [r["m_reachable"] for r in rows], words["reachable"], VERMILLION, "/"),
    ]
    values = [v for r in rows for v in (r["m_now"], r["m_reachable"]) if v is not None]
    yaxis = _axis(_e(t("charts_marginal_y", lang)), rangemode="tozero", exponentformat="power")
    if not values or max(values) <= 0:
        yaxis["range"] = [0, 1]
    title = t("charts_marginal_title", lang)
    layout = _layout(_e(title), barmode="group", xaxis=_axis(_e(t("charts_marginal_x", lang))), yaxis=yaxis,
                     annotations=[] if rows else [_note(t("charts_growth_empty", lang))])
    columns = {"node": t("charts_col_node", lang), "law": t("charts_col_law", lang),
               "n_now": t("charts_col_n_now", lang), "n_reachable": t("charts_col_n_reachable", lang),
               "m_now": t("charts_col_marginal_now", lang), "m_reachable": t("charts_col_marginal_reachable", lang)}
    summary = _marginal_summary(rows, words, lang)
    return Chart("marginal", title, _figure([tr for tr in traces if rows], layout), summary, _table(rows, columns))


def _marginal_row(row: dict) -> dict:
    law = row["law"]

    def value(n: float | None) -> float | None:  # rounded: log-space rounding noise is not data
        return None if n is None else _finite(round(float(log10_marginal(law, n)), 9) + 0.0)

    return {"node": row["node_label"], "law": LAW_NAMES[law], "n_now": row["n_now"], "n_reachable": row["n_reachable"],
            "m_now": value(row["n_now"]), "m_reachable": value(row["n_reachable"])}


def _marginal_bars(labels: list[str], values: list[float | None], name: str, color: str, pattern: str | None) -> go.Bar:
    marker: dict = dict(color=color, line=dict(color=color, width=1))
    if pattern:  # a hatch tells the two horizons apart in greyscale print too
        marker["pattern"] = dict(shape=pattern, fgcolor=BLACK, fillmode="overlay", solidity=0.2)
    return go.Bar(
        x=labels, y=values, name=_e(name), marker=marker, text=[_power(v) if v is not None else "" for v in values],
        textposition="outside", textfont=dict(color=TEXT_COLOR), cliponaxis=False,
        hovertext=[f"{label} · {_e(name)}: {_power(v)}" for label, v in zip(labels, values)], hoverinfo="text",
    )


def _marginal_summary(rows: list[dict], words: dict[str, str], lang: str) -> str:
    """The group whose next node adds most (at reach when known, else now), or that none stands out."""
    best = [(r["m_reachable"], "reachable", r) if r["m_reachable"] is not None else (r["m_now"], "now", r) for r in rows]
    best = [b for b in best if b[0] is not None]
    if not best:
        return _sentence([t("charts_marginal_empty", lang)], lang)
    value, when, row = max(best, key=lambda b: b[0])
    if len(best) > 1 and value - min(b[0] for b in best) < 1e-9:
        return _sentence([t("charts_marginal_tie", lang, value=_power(value))], lang)
    return _sentence([t("charts_marginal_summary", lang, node=row["node"], when=words[when], value=_power(value), law=row["law"])], lang)


# ---------------------------------------------------------------- priority


def priority_chart(result: Assessment, rubric: RubricSet, lang: str = "en") -> Chart:
    """Each answered question's score against its weight: the important and weak corner comes first."""
    weights = [line.weight for line in result.lines] or [1.0]
    middle, top = (min(weights) + max(weights)) / 2, max(weights) * 1.15
    titles = _dimension_titles(rubric, lang)
    traces = [
        trace
        for i, dimension in enumerate(rubric.dimensions)
        if (trace := _priority_trace(result.lines, dimension.id, titles[dimension.id], i, lang)) is not None
    ]
    title = t("charts_priority_title", lang)
    layout = _layout(
        _e(title),
        xaxis=_axis(_e(t("charts_priority_x", lang)), range=[-5, 105], dtick=25),
        yaxis=_axis(_e(t("charts_priority_y", lang)), range=[0, top]),
        shapes=_priority_shapes(middle, top),
        annotations=[dict(text=f"<b>{_e(t('charts_priority_corner', lang))}</b>", x=-4, y=top, xanchor="left",
                          yanchor="top", showarrow=False, font=dict(size=14, color=TEXT_COLOR))]
        + ([] if traces else [_note(t("charts_priority_empty", lang))]),
    )
    summary = _priority_summary(result.lines, middle, titles, lang)
    return Chart("priority", title, _figure(traces, layout), summary, _priority_table(result.lines, middle, titles, lang))


def _act_first(line: AnswerLine, middle: float) -> bool:
    return line.percent is not None and line.percent < 50 and line.weight >= middle


def _weighted_gap(line: AnswerLine) -> float:
    return 0.0 if line.percent is None else line.weight * (100 - line.percent) / 100


def _priority_trace(lines: list[AnswerLine], dimension: str, title: str, index: int, lang: str) -> go.Scatter | None:
    """One dimension's answered questions; questions at the same spot share a (larger) marker."""
    spots: dict[tuple[float, float], list[str]] = {}
    for line in lines:
        if line.dimension == dimension and line.percent is not None:
            spots.setdefault((line.percent, line.weight), []).append(line.question)
    if not spots:
        return None
    color = PALETTE[index % (len(PALETTE) - 1)]
    hover = [
        "<br>".join(f"• {_wrapped(q, 60)}" for q in questions)
        + "<br>" + _e(t("charts_priority_point", lang, score=f"{x:.0f}", weight=f"{y:g}"))
        for (x, y), questions in spots.items()
    ]
    return go.Scatter(
        x=[x for x, _ in spots], y=[y for _, y in spots], mode="markers", name=_e(title, 40), cliponaxis=False,
        marker=dict(color=color, symbol=SYMBOLS[index % len(SYMBOLS)], line=dict(color=color, width=1),
                    size=[10 + 4 * (len(q) - 1) for q in spots.values()], opacity=0.9),
        hovertext=hover, hoverinfo="text",
    )


def _priority_shapes(middle: float, top: float) -> list[dict]:
    line = dict(color=AXIS_COLOR, width=1.5, dash="dot")
    return [
        dict(type="rect", name="act_first", x0=-5, x1=50, y0=middle, y1=top, fillcolor=_tint(VERMILLION, 0.08),
             line=dict(width=0), layer="below"),
        dict(type="line", x0=50, x1=50, y0=0, y1=top, line=line, layer="below"),
        dict(type="line", x0=-5, x1=105, y0=middle, y1=middle, line=line, layer="below"),
    ]


def _priority_summary(lines: list[AnswerLine], middle: float, titles: dict[str, str], lang: str) -> str:
    answered = [line for line in lines if line.percent is not None]
    if not answered:
        return _sentence([t("charts_priority_empty", lang)], lang)
    corner = [line for line in answered if _act_first(line, middle)]
    pick = max(corner or answered, key=_weighted_gap)
    if _weighted_gap(pick) <= 0:
        return _sentence([t("charts_priority_all_top", lang)], lang)
    key = "charts_priority_summary" if corner else "charts_priority_no_corner"
    return _sentence([t(key, lang, question=pick.question, dimension=titles.get(pick.dimension, pick.dimension),
                        weight=f"{pick.weight:g}", score=f"{pick.percent:.0f}")], lang)


def _priority_table(lines: list[AnswerLine], middle: float, titles: dict[str, str], lang: str) -> pd.DataFrame:
    rows = [{"question": line.question, "dimension": titles.get(line.dimension, line.dimension), "percent": line.percent,
             "weight": line.weight, "gap": None if line.percent is None else _weighted_gap(line),
             "act_first": _act_first(line, middle)} for line in lines]
    columns = {"question": t("charts_col_question", lang), "dimension": t("charts_col_dimension", lang),
               "percent": t("charts_col_percent", lang), "weight": t("charts_col_weight", lang),
               "gap": t("charts_col_weighted_gap", lang), "act_first": t("charts_col_act_first", lang)}
    return _table(rows, columns)


# ---------------------------------------------------------------- radar overlay


def radar_overlay_chart(results: list[Assessment], rubric: RubricSet, lang: str = "en") -> Chart:
    """Several businesses on one radar (Compare page), each in its own colour and, past the palette, dash."""
    titles = _dimension_titles(rubric, lang)
    thresholds = _dimension_thresholds(rubric)
    theta = _closed([_wrapped(titles[d.id]) for d in rubric.dimensions])
    colors = PALETTE[:-1]  # black is the threshold's
    traces = [
        go.Scatterpolar(
            r=_closed([_score(a, d.id) for d in rubric.dimensions]), theta=theta, name=_e(a.business, 40),
            mode="lines+markers", line=dict(color=colors[i % len(colors)], width=2.5, dash=DASHES[(i // len(colors)) % len(DASHES)]),
            marker=dict(color=colors[i % len(colors)], size=7, symbol=SYMBOLS[i % len(SYMBOLS)]),
            hovertext=_closed([f"{_e(a.business)}<br>{_e(titles[d.id])}: {_num(_score(a, d.id))}" for d in rubric.dimensions]),
            hoverinfo="text",
        )
        for i, a in enumerate(results)
    ]
    traces.append(go.Scatterpolar(
        r=_closed([thresholds.get(d.id, 0.0) for d in rubric.dimensions]), theta=theta, mode="lines",
        name=_e(t("charts_radar_threshold", lang)), line=dict(color=BLACK, width=1.5, dash="dot"), hoverinfo="skip",
    ))
    title = t("charts_overlay_title", lang)
    layout = _layout(_e(title), polar=_polar(t("charts_radar_axis", lang)), margin=dict(l=90, r=90, t=70, b=40),
                     height=480 + 22 * max(0, len(traces) - 4))  # one legend row per business
    return Chart("radar_overlay", title, _figure(traces, layout), _overlay_summary(results, lang), _overlay_table(results, rubric, lang))


def _overlay_summary(results: list[Assessment], lang: str) -> str:
    if not results:
        return _sentence([t("charts_overlay_empty", lang)], lang)
    leader = max(results, key=lambda a: a.overall_low)
    return _sentence([t("charts_overlay_summary", lang, business=leader.business, overall=_num(leader.overall),
                        count=len(results))], lang)


def _overlay_table(results: list[Assessment], rubric: RubricSet, lang: str) -> pd.DataFrame:
    titles = _dimension_titles(rubric, lang)
    columns = {"business": t("charts_col_business", lang), **titles, "overall": t("charts_col_overall", lang)}
    rows = [{"business": a.business, **{d.id: d.low for d in a.dimensions}, "overall": a.overall_low} for a in results]
    return _table(rows, columns)


# ---------------------------------------------------------------- all


def results_charts(result: Assessment, rubric: RubricSet, others: list[Assessment], lang: str = "en") -> list[Chart]:
    """The Results page's charts, in reading order."""
    return [
        radar_chart(result, rubric, lang),
        quadrant_chart(result, others, rubric, lang),
        growth_chart(result, rubric, lang),
        marginal_chart(result, rubric, lang),
        priority_chart(result, rubric, lang),
    ]
