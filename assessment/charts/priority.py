"""The priority chart: each answered question's score against its weight, the important and weak corner first."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, note, themed_figure
from assessment.charts.scores import dimension_titles
from assessment.charts.text import plotly_escape, plotly_wrap, sentence
from assessment.charts.theme import AXIS_COLOR, PALETTE, SYMBOLS, VERMILLION, tint
from assessment.i18n import t
from assessment.models import RubricSet
from assessment.localise import AssessmentView, LineView


def priority_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """Each answered question's score against its weight: the important and weak corner comes first."""
    weights = [line.weight for line in result.lines] or [1.0]
    middle, top = (min(weights) + max(weights)) / 2, max(weights) * 1.15
    titles = dimension_titles(rubric, lang)
    traces = [
        trace
        for i, dimension in enumerate(rubric.dimensions)
        if (trace := _priority_trace(result.lines, dimension.id, titles[dimension.id], i, lang)) is not None
    ]
    corner = dict(text=f"<b>{plotly_escape(t('charts_priority_corner', lang))}</b>", x=-4, y=top, xanchor="left",
                  yanchor="top", font=dict(size=14))
    title = t("charts_priority_title", lang)
    figure = themed_figure(
        traces, title,
        xaxis=axis(t("charts_priority_x", lang), range=[-5, 105], dtick=25),
        yaxis=axis(t("charts_priority_y", lang), range=[0, top]),
        shapes=_priority_shapes(middle, top),
        annotations=[corner] + ([] if traces else [note(t("charts_priority_empty", lang))]),
    )
    summary = _priority_summary(result.lines, middle, titles, lang)
    return Chart("priority", title, figure, summary, _priority_table(result.lines, middle, titles, lang))


def _act_first(line: LineView, middle: float) -> bool:
    return line.percent is not None and line.percent < 50 and line.weight >= middle


def _weighted_gap(line: LineView) -> float:
    return 0.0 if line.percent is None else line.weight * (100 - line.percent) / 100


def _priority_trace(lines: list[LineView], dimension: str, title: str, index: int, lang: str) -> go.Scatter | None:
    """One dimension's answered questions; questions at the same spot share a (larger) marker."""
    spots: dict[tuple[float, float], list[str]] = {}
    for line in lines:
        if line.dimension == dimension and line.percent is not None:
            spots.setdefault((line.percent, line.weight), []).append(line.question)
    if not spots:
        return None
    color = PALETTE[index % (len(PALETTE) - 1)]
    hover = [
        "<br>".join(f"• {plotly_wrap(q, 60)}" for q in questions)
        + "<br>" + plotly_escape(t("charts_priority_point", lang, score=f"{x:.0f}", weight=f"{y:g}"))
        for (x, y), questions in spots.items()
    ]
    return go.Scatter(
        x=[x for x, _ in spots], y=[y for _, y in spots], mode="markers", name=plotly_escape(title, 40),
        cliponaxis=False,
        marker=dict(color=color, symbol=SYMBOLS[index % len(SYMBOLS)], line=dict(color=color, width=1),
                    size=[10 + 4 * (len(q) - 1) for q in spots.values()], opacity=0.9),
        hovertext=hover, hoverinfo="text",
    )


def _priority_shapes(middle: float, top: float) -> list[dict]:
    line = dict(color=AXIS_COLOR, width=1.5, dash="dot")
    return [
        dict(type="rect", name="act_first", x0=-5, x1=50, y0=middle, y1=top, fillcolor=tint(VERMILLION, 0.08),
             line=dict(width=0)),
        dict(type="line", x0=50, x1=50, y0=0, y1=top, line=line),
        dict(type="line", x0=-5, x1=105, y0=middle, y1=middle, line=line),
    ]


def _priority_summary(lines: list[LineView], middle: float, titles: dict[str, str], lang: str) -> str:
    answered = [line for line in lines if line.percent is not None]
    if not answered:
        return sentence([t("charts_priority_empty", lang)], lang)
    corner = [line for line in answered if _act_first(line, middle)]
    pick = max(corner or answered, key=_weighted_gap)
    if _weighted_gap(pick) <= 0:
        return sentence([t("charts_priority_all_top", lang)], lang)
    key = "charts_priority_summary" if corner else "charts_priority_no_corner"
    return sentence([t(key, lang, question=pick.question, dimension=titles.get(pick.dimension, pick.dimension),
                       weight=f"{pick.weight:g}", score=f"{pick.percent:.0f}")], lang)


def _priority_table(lines: list[LineView], middle: float, titles: dict[str, str], lang: str) -> pd.DataFrame:
    rows = [{"question": line.question, "dimension": titles.get(line.dimension, line.dimension),
             "percent": line.percent,
             "weight": line.weight, "gap": None if line.percent is None else _weighted_gap(line),
             "act_first": _act_first(line, middle)} for line in lines]
    columns = {"question": t("charts_col_question", lang), "dimension": t("charts_col_dimension", lang),
               "percent": t("charts_col_percent", lang), "weight": t("charts_col_weight", lang),
               "gap": t("charts_col_weighted_gap", lang), "act_first": t("charts_col_act_first", lang)}
    return data_table(rows, columns)
