"""Horizontal bars (plotly ``orientation="h"``) as a reportlab bar chart: the growth charts.

Their traces overlay (one per node group, each on its own rows), so every row is one slot shared by the
series, drawn stacked with the other series missing there. A log x axis is drawn in its decades above the
axis's lower end, with the figure's own tick texts ("×10", "1,000") at the figure's own tick values.
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Group

from assessment.pdf.fonts import BASE, font_for
from assessment.pdf.strokes import FONT_SIZE, color, plain
from assessment.pdf.xy import axis_titles, tick

LABEL_SHARE = 0.42
"""Of the drawing's width, what the row labels on the left may take."""


def hbar_chart(figure: go.Figure, area: tuple[float, float, float, float]) -> Group:
    """One row per bar, top to bottom as on screen, each bar in its own colour with its text at its end."""
    x, y, width, height = area
    traces = list(figure.data)
    rows = [label for trace in traces for label in trace.y]
    scale = _Scale(figure.layout.xaxis)
    chart = HorizontalBarChart()
    chart.x, chart.y = x + width * LABEL_SHARE, y + 34
    chart.width, chart.height = width * (1 - LABEL_SHARE) - 24, height - 44
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = True  # the first row on top, as plotly's reversed y axis draws it
    chart.data = [_series(trace, rows, scale) for trace in traces]
    names = [plain(label) for label in rows]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = font_for(" ".join(names))
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = FONT_SIZE
    chart.valueAxis.labels.fontName = BASE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, scale.top
    chart.valueAxis.valueSteps, chart.valueAxis.labelTextFormat = scale.steps()
    for i, trace in enumerate(traces):
        shades = _per_bar(trace.marker.color, len(trace.y))
        edge = color(trace.marker.line.color if trace.marker.line else None)
        for j, row in enumerate(rows):
            if row in trace.y:
                bar = chart.bars[(i, j)]
                bar.fillColor, bar.strokeColor = color(shades[list(trace.y).index(row)]), edge
    texts = [_texts(trace, rows) for trace in traces]
    if any(any(row) for row in texts):
        chart.barLabelFormat = "values"
        chart.barLabelArray = texts
        chart.barLabels.fontName, chart.barLabels.fontSize = BASE, FONT_SIZE
        chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
        _inside_labels(chart, traces, rows)
    box = (chart.x, chart.y, chart.width, chart.height)
    return Group(chart, *axis_titles(figure.layout, box)[:1])  # the row labels say what the y axis would


class _Scale:
    """The x axis as drawn: linear from zero, or decades above a log axis's lower end."""

    def __init__(self, axis: Any) -> None:
        self.log = axis.type == "log"
        low, high = (float(v) for v in (axis.range or [0.0, 1.0]))
        self.low = low if self.log else 0.0
        self.top = high - self.low
        self.tickvals = [float(v) for v in axis.tickvals or []]
        self.ticktext = [plain(v) for v in axis.ticktext or []]

    def at(self, value: Any) -> float | None:
        if value is None or not math.isfinite(float(value)):
            return None
        if self.log:
            return max(math.log10(float(value)) - self.low, 0.0) if float(value) > 0 else 0.0
        return float(value)

    def steps(self) -> tuple[list[float] | None, Any]:
        """Where the ticks go and what each says, as the figure has them (reportlab's own otherwise)."""
        if not self.tickvals:
            return None, tick
        steps = [self.at(v) or 0.0 for v in self.tickvals]
        words = dict(zip(steps, self.ticktext or [tick(v) for v in self.tickvals], strict=True))
        return steps, lambda v: words.get(v, "")


def _inside_labels(chart: HorizontalBarChart, traces: list[Any], rows: list[Any]) -> None:
    """A bar that runs off the scale carries its text inside its end, as on screen."""
    for i, trace in enumerate(traces):
        where = dict(zip(trace.y, _per_bar(trace.textposition, len(trace.y)), strict=True))
        for j, row in enumerate(rows):
            if where.get(row) == "inside":
                chart.barLabels[(i, j)].boxAnchor, chart.barLabels[(i, j)].dx = "e", -3


def _series(trace: Any, rows: list[Any], scale: _Scale) -> list[float | None]:
    mine = dict(zip(trace.y, trace.x, strict=True))
    return [scale.at(mine[row]) if row in mine else None for row in rows]


def _texts(trace: Any, rows: list[Any]) -> list[str]:
    mine = dict(zip(trace.y, _per_bar(trace.text, len(trace.y)), strict=True))
    return [plain(mine[row]) if row in mine and mine[row] is not None else "" for row in rows]


def _per_bar(value: Any, count: int) -> list[Any]:
    """A per-bar property (a list) or one for all bars, as a list."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] * count
