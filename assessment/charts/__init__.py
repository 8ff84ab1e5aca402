"""Plotly figures for the Results, Compare, Facilitate and Present pages and the HTML report.

One module per chart; :mod:`~assessment.charts.theme` holds the palette and the
registered plotly template every figure uses; :mod:`~assessment.charts.text`
escapes every outside text before it enters a figure.
"""

from assessment.charts.chart import Chart
from assessment.charts.conditions import conditions_chart
from assessment.charts.distribution import distribution_chart
from assessment.charts.growth import growth_chart, marginal_chart
from assessment.charts.heatmap import heatmap_chart
from assessment.charts.history import history_chart
from assessment.charts.priority import priority_chart
from assessment.charts.quadrant import quadrant_chart
from assessment.charts.radar import radar_chart
from assessment.charts.radar_overlay import radar_overlay_chart
from assessment.charts.results_set import results_charts
from assessment.charts.theme import (
    AXIS_COLOR,
    BACKGROUND,
    BLACK,
    BLUE,
    GREEN,
    GRID_COLOR,
    INDIGO,
    PALETTE,
    PURPLE,
    TEMPLATE,
    TEXT_COLOR,
    VERMILLION,
    WINE,
)

__all__ = [
    "AXIS_COLOR",
    "BACKGROUND",
    "BLACK",
    "BLUE",
    "GREEN",
    "GRID_COLOR",
    "INDIGO",
    "PALETTE",
    "PURPLE",
    "TEMPLATE",
    "TEXT_COLOR",
    "VERMILLION",
    "WINE",
    "Chart",
    "conditions_chart",
    "distribution_chart",
    "growth_chart",
    "heatmap_chart",
    "history_chart",
    "marginal_chart",
    "priority_chart",
    "quadrant_chart",
    "radar_chart",
    "radar_overlay_chart",
    "results_charts",
]
