"""The report's charts for the PDF, drawn by reportlab.graphics from the same plotly figures the HTML report draws.

A figure's traces carry the data (points, bars, the radar's outline), its names, colours, dashes and markers, so
one reader per trace kind covers every chart: a spider chart for ``scatterpolar``, a bar chart for ``bar``, a
line plot (linear or log axes, with the figure's shaded regions, guide lines and notes) for ``scatter``. A
figure mixing kinds is left to its data table, which the report prints under every chart anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib import colors

from assessment.charts import Chart
from assessment.pdf.fonts import BASE, font_for
from assessment.pdf.hbars import hbar_chart
from assessment.pdf.strokes import FONT_SIZE, color, dash, marker, plain
from assessment.pdf.xy import axis_titles, tick, xy_plot

LEGEND_ROW = 11.0



def chart_drawing(chart: Chart, width: float, height: float = 250) -> Drawing | None:
    """The chart as a drawing ``width`` points wide, its legend below; None when there is nothing to draw."""
    kinds = {trace.type for trace in chart.figure.data}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind == "scatterpolar":
        height += 60  # a radar is as tall as it is wide: room for its labels
    entries = legend_entries(chart.figure)
    drawing = Drawing(width, height + LEGEND_ROW * len(entries) + 6)
    area = (0.0, LEGEND_ROW * len(entries) + 6, width, height)
    if kind == "scatterpolar":
        drawing.add(_spider(chart.figure, area))
    elif kind == "bar" and all(trace.orientation == "h" for trace in chart.figure.data):
        drawing.add(hbar_chart(chart.figure, area))
    elif kind == "bar":
        drawing.add(_bars(chart.figure, area))
    elif kind == "scatter":
        drawing.add(xy_plot(chart.figure, area))
    else:
        return None
    if entries:
        drawing.add(_legend(entries, LEGEND_ROW * len(entries)))
    return drawing


def legend_entries(figure: go.Figure) -> list[tuple[colors.Color, str]]:
    """(colour, name) of every trace the figure's legend would list."""
    out = []
    for trace in figure.data:
        if trace.showlegend is False or not trace.name:
            continue
        shade = _bar_shade(trace) if trace.type == "bar" else trace.line.color or trace.marker.color
        out.append((color(shade if isinstance(shade, str) else None), plain(trace.name)))
    return out


def _bar_shade(trace: Any) -> Any:
    """A bar trace's colour: its one fill, or its outline when each bar has its own fill."""
    fill = getattr(trace.marker, "color", None)
    return fill if isinstance(fill, str) else getattr(trace.marker.line, "color", None)


def _legend(entries: Sequence[tuple[colors.Color, str]], top: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = 6, top
    legend.alignment = "right"
    legend.columnMaximum = len(entries)
    legend.colorNamePairs = list(entries)
    legend.fontName = font_for(" ".join(name for _, name in entries))
    legend.fontSize = FONT_SIZE
    legend.deltay, legend.dy, legend.dx = LEGEND_ROW, 6, 9
    legend.strokeWidth = 0
    return legend


def _open(values: Sequence[Any]) -> list[Any]:
    """A radar outline without the repeated first point plotly needs to close it."""
    values = list(values or [])
    return values[:-1] if len(values) > 1 and values[0] == values[-1] else values


def _spider(figure: go.Figure, area: tuple[float, float, float, float]) -> SpiderChart:
    """Every scatterpolar trace as a strand, on the radial axis's range, with grey rings as its grid."""
    x, y, width, height = area
    traces = list(figure.data)
    labels = [plain(theta) for theta in _open(traces[0].theta)]
    top = float((figure.layout.polar.radialaxis.range or [0, 100])[1])
    rings = [top * step / 5 for step in range(1, 6)]
    chart = SpiderChart()
    size = min(width * 0.6, height - 70)
    chart.x, chart.y, chart.width, chart.height = x + (width - size) / 2, y + (height - size) / 2, size, size
    chart.data = [[ring] * len(labels) for ring in rings] + [[float(r or 0) for r in _open(t.r)] for t in traces]
    chart.labels = labels
    chart.spokeLabels.fontName = font_for(" ".join(labels))
    chart.spokeLabels.fontSize = FONT_SIZE + 0.5
    chart.spokes.strokeColor = colors.HexColor("#BBBBBB")
    for i in range(len(rings)):
        chart.strands[i].strokeColor, chart.strands[i].fillColor = colors.HexColor("#E6E6E6"), None
        chart.strands[i].strokeWidth = 0.5
    for i, trace in enumerate(traces, start=len(rings)):
        shade = color(trace.line.color)
        strand = chart.strands[i]
        strand.strokeColor, strand.strokeWidth = shade, (trace.line.width or 2) * 0.6
        strand.fillColor = color(trace.fillcolor) if trace.fill == "toself" else None
        strand.strokeDashArray = dash(trace.line)
        strand.symbol = marker(trace.marker.symbol, shade, (trace.marker.size or 6) * 0.6)
    return chart


def _bars(figure: go.Figure, area: tuple[float, float, float, float]) -> Group:
    """Grouped bars, one series per trace, labelled with the traces' texts."""
    x, y, width, height = area
    traces = list(figure.data)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = x + 52, y + 34, width - 70, height - 44
    chart.data = [[float(v or 0) for v in trace.y] for trace in traces]
    names = [plain(v) for v in traces[0].x]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = font_for(" ".join(names))
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = FONT_SIZE
    chart.valueAxis.labels.fontName = BASE
    chart.valueAxis.labelTextFormat = tick
    chart.valueAxis.valueMin = 0
    value_range = figure.layout.yaxis.range
    if value_range:
        chart.valueAxis.valueMin, chart.valueAxis.valueMax = (float(v) for v in value_range)
    for i, trace in enumerate(traces):
        chart.bars[i].fillColor = color(trace.marker.color)
        chart.bars[i].strokeColor = color(trace.marker.color)
    if all(trace.text is not None for trace in traces):
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[plain(v) for v in trace.text] for trace in traces]
        chart.barLabels.fontName, chart.barLabels.fontSize = BASE, FONT_SIZE
        chart.barLabels.nudge, chart.barLabels.boxAnchor = 6, "s"
    return Group(chart, *axis_titles(figure.layout, (chart.x, chart.y, chart.width, chart.height)))
