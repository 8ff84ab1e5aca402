"""The Results page's charts (and the report's), in reading order."""

from __future__ import annotations

from dataclasses import replace

from assessment.charts.chart import Chart
from assessment.charts.growth import growth_chart, marginal_chart
from assessment.charts.priority import priority_chart
from assessment.charts.quadrant import quadrant_chart
from assessment.charts.radar import radar_chart
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import RubricSet


def results_charts(result: AssessmentView, rubric: RubricSet, others: list[AssessmentView],
                   lang: str = "en") -> list[Chart]:
    """Radar, quadrant, growth, the next node's value, priority; each with a short title for its tab."""
    charts = [
        radar_chart(result, rubric, lang),
        quadrant_chart(result, others, rubric, lang),
        growth_chart(result, rubric, lang),
        marginal_chart(result, rubric, lang),
        priority_chart(result, rubric, lang),
    ]
    return [replace(chart, tab=t(f"charts_tab_{chart.key}", lang)) for chart in charts]
