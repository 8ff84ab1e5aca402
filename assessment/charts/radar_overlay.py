"""The radar overlay (Compare page): several businesses' dimension scores on one radar."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.chart import Chart, closed, data_table, themed_figure
from assessment.charts.radar import RADAR_MARGIN, polar_layout
from assessment.charts.scores import certain_score, dimension_thresholds, dimension_titles
from assessment.charts.text import plotly_escape, plotly_wrap, sentence
from assessment.charts.theme import BLACK, DASHES, PALETTE, SYMBOLS
from assessment.formatting import number_text
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import RubricSet


def radar_overlay_chart(results: list[AssessmentView], rubric: RubricSet, lang: str = "en") -> Chart:
    """Several businesses on one radar, each in its own colour and, past the palette, dash."""
    titles = dimension_titles(rubric, lang)
    thresholds = dimension_thresholds(rubric)
    theta = closed([plotly_wrap(titles[d.id]) for d in rubric.dimensions])
    traces = [_business_trace(a, i, rubric, titles, theta) for i, a in enumerate(results)]
    traces.append(go.Scatterpolar(
        r=closed([thresholds.get(d.id, 0.0) for d in rubric.dimensions]), theta=theta, mode="lines",
        name=plotly_escape(t("charts_radar_threshold", lang)), line=dict(color=BLACK, width=1.5, dash="dot"),
        hoverinfo="skip",
    ))
    title = t("charts_overlay_title", lang)
    figure = themed_figure(traces, title, polar=polar_layout(t("charts_radar_axis", lang)), margin=RADAR_MARGIN,
                           height=480 + 22 * max(0, len(traces) - 4))  # one legend row per business
    return Chart("radar_overlay", title, figure, _overlay_summary(results, lang), _overlay_table(results, rubric, lang))


def _business_trace(result: AssessmentView, index: int, rubric: RubricSet, titles: dict[str, str],
                    theta: list[str]) -> go.Scatterpolar:
    colors = PALETTE[:-1]  # black is the threshold's
    color = colors[index % len(colors)]
    hover = [f"{plotly_escape(result.business)}<br>{plotly_escape(titles[d.id])}: "
             f"{number_text(certain_score(result, d.id))}" for d in rubric.dimensions]
    return go.Scatterpolar(
        r=closed([certain_score(result, d.id) for d in rubric.dimensions]), theta=theta,
        name=plotly_escape(result.business, 40), mode="lines+markers",
        line=dict(color=color, width=2.5, dash=DASHES[(index // len(colors)) % len(DASHES)]),
        marker=dict(color=color, size=7, symbol=SYMBOLS[index % len(SYMBOLS)]),
        hovertext=closed(hover), hoverinfo="text",
    )


def _overlay_summary(results: list[AssessmentView], lang: str) -> str:
    if not results:
        return sentence([t("charts_overlay_empty", lang)], lang)
    leader = max(results, key=lambda a: a.overall_low)
    return sentence([t("charts_overlay_summary", lang, business=leader.business, overall=number_text(leader.overall),
                       count=len(results))], lang)


def _overlay_table(results: list[AssessmentView], rubric: RubricSet, lang: str) -> pd.DataFrame:
    titles = dimension_titles(rubric, lang)
    columns = {"business": t("charts_col_business", lang), **titles, "overall": t("charts_col_overall", lang)}
    rows = [{"business": a.business, **{d.id: d.low for d in a.dimensions}, "overall": a.overall_low} for a in results]
    return data_table(rows, columns)
