"""The radar: a business's dimension scores against the thresholds the rule sets."""

from __future__ import annotations

import plotly.graph_objects as go

from assessment.charts.chart import Chart, closed, data_table, themed_figure
from assessment.charts.scores import certain_score, dimension_thresholds
from assessment.charts.text import listed, plotly_escape, plotly_wrap, sentence
from assessment.charts.theme import BLACK, BLUE, tint
from assessment.formatting import number_text, score_text
from assessment.headline import distance_words
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import RubricSet

RADAR_MARGIN = dict(l=90, r=90, t=70, b=40)


def radar_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """The dimension scores, with each dimension's threshold from the rule as a second outline."""
    thresholds = dimension_thresholds(rubric)
    dims = result.dimensions
    theta = closed([plotly_wrap(d.title) for d in dims])
    score_hover = [f"{plotly_escape(d.title)}: {score_text(d.low, d.high)}" for d in dims]
    limit_hover = [
        f"{plotly_escape(d.title)}: ≥ {thresholds[d.id]:g}" if d.id in thresholds
        else plotly_escape(t("charts_radar_no_threshold", lang, name=d.title))
        for d in dims
    ]
    traces = [
        go.Scatterpolar(
            r=closed([d.low for d in dims]), theta=theta, name=plotly_escape(result.business, 40), mode="lines+markers",
            fill="toself", fillcolor=tint(BLUE, 0.15), line=dict(color=BLUE, width=2.5),
            marker=dict(color=BLUE, size=8),
            hovertext=closed(score_hover), hoverinfo="text",
        ),
        go.Scatterpolar(
            r=closed([thresholds.get(d.id, 0.0) for d in dims]), theta=theta,
            name=plotly_escape(t("charts_radar_threshold", lang)), mode="lines+markers",
            line=dict(color=BLACK, width=2, dash="dash"), marker=dict(color=BLACK, size=7, symbol="diamond"),
            hovertext=closed(limit_hover), hoverinfo="text",
        ),
    ]
    title = t("charts_radar_title", lang)
    figure = themed_figure(traces, title, polar=polar_layout(t("charts_radar_axis", lang)), margin=RADAR_MARGIN)
    rows = [
        {"title": d.title, "score": d.low, "threshold": thresholds.get(d.id),
         "gap": distance_words(None if d.id not in thresholds else certain_score(result, d.id) - thresholds[d.id],
                               lang)}
        for d in dims
    ]
    columns = {"title": t("charts_col_dimension", lang), "score": t("charts_col_score", lang),
               "threshold": t("charts_col_threshold", lang), "gap": t("charts_col_gap", lang)}
    return Chart("radar", title, figure, _radar_summary(result, thresholds, lang), data_table(rows, columns))


def polar_layout(axis_title: str) -> dict:
    """Scores 0–100 outwards, dimensions clockwise from the top: the same frame for one business or several."""
    return dict(
        domain=dict(x=[0.08, 0.92]),
        radialaxis=dict(range=[0, 100], tickvals=[0, 20, 40, 60, 80, 100], title=dict(text=plotly_escape(axis_title)),
                        angle=30, tickangle=30),
        angularaxis=dict(direction="clockwise", rotation=90),
    )


def _radar_summary(result: AssessmentView, thresholds: dict[str, float], lang: str) -> str:
    """The dimension furthest below (or, all met, closest to) its threshold; which have none."""
    ruled = [d for d in result.dimensions if d.id in thresholds]
    if not ruled:
        best = max(result.dimensions, key=lambda d: certain_score(result, d.id))
        return sentence([t("charts_radar_no_rule", lang, name=best.title, score=number_text(best.low))], lang)
    worst = min(ruled, key=lambda d: certain_score(result, d.id) - thresholds[d.id])
    score = certain_score(result, worst.id)
    key = "charts_radar_below" if score < thresholds[worst.id] else "charts_radar_all_met"
    parts = [t(key, lang, name=worst.title, score=number_text(score), threshold=f"{thresholds[worst.id]:g}")]
    unruled = [d.title for d in result.dimensions if d.id not in thresholds]
    if unruled:
        parts.append(t("charts_radar_unthresholded", lang, names=listed(unruled, lang)))
    return sentence(parts, lang)
