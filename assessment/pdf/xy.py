"""A plotly figure of ``scatter`` traces as a reportlab line plot: lines, markers, point labels, the figure's
shaded regions and guide lines behind the data, its notes on top, and both axis titles.

Shapes and notes need the axes' scales, which reportlab knows only while drawing, so :class:`FigurePlot`
adds them in :meth:`FigurePlot.draw`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from reportlab.graphics.charts.axes import LogXValueAxis, LogYValueAxis
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Group, Line, Polygon, Rect

from assessment.pdf.fonts import BASE, BOLD, font_for
from assessment.pdf.strokes import FONT_SIZE, color, dash, marker, plain

Scale = Callable[[float], float]
_PATH_POINT = re.compile(r"[ML]\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)")


class FigurePlot(LinePlot):
    """A LinePlot that also draws its figure's shapes (behind the data) and annotations (on top)."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__()
        self._figure = figure

    def draw(self) -> Group:
        drawn = super().draw()
        x_scale, y_scale = self.xValueAxis.scale, self.yValueAxis.scale
        box = (self.x, self.y, self.width, self.height)
        behind = Group(*[s for shape in self._figure.layout.shapes for s in _shape(shape, x_scale, y_scale, box)])
        drawn.insert(0, behind)
        for note in self._figure.layout.annotations:
            label = _annotation(note, x_scale, y_scale, box)
            if label is not None:
                drawn.add(label)
        return drawn


def xy_plot(figure: go.Figure, area: tuple[float, float, float, float]) -> Group:
    """The figure's scatter traces in ``area`` (x, y, width, height), with its axis titles."""
    x, y, width, height = area
    plot = FigurePlot(figure)
    plot.x, plot.y, plot.width, plot.height = x + 52, y + 34, width - 70, height - 44
    layout = figure.layout
    if layout.xaxis.type == "log":
        plot.xValueAxis = LogXValueAxis()
    if layout.yaxis.type == "log":
        plot.yValueAxis = LogYValueAxis()
    _set_range(plot.xValueAxis, layout.xaxis)
    _set_range(plot.yValueAxis, layout.yaxis)
    traces = [trace for trace in figure.data if _points(trace)]
    plot.data = [_points(trace) for trace in traces]
    labels: list[list[str]] = []
    for row, trace in enumerate(traces):
        style = plot.lines[row]
        mode = trace.mode or "lines+markers"
        shade = color(trace.line.color or trace.marker.color)
        style.lineStyle = "joinedLine" if "lines" in mode else "line"
        style.strokeColor, style.strokeWidth = shade, (trace.line.width or 2) * 0.6
        style.strokeDashArray = dash(trace.line)
        if "markers" in mode:
            fill = color(trace.marker.color if isinstance(trace.marker.color, str) else None, shade)
            _markers(plot, row, trace, fill)
        texts = list(trace.text) if "text" in mode and trace.text is not None else []
        labels.append([plain(texts[i]) if i < len(texts) else "" for i in range(len(plot.data[row]))])
    if any(any(row) for row in labels):
        plot.lineLabelFormat, plot.lineLabelArray = "values", labels
        plot.lineLabels.fontName = font_for(" ".join(text for row in labels for text in row))
        plot.lineLabels.fontSize, plot.lineLabels.dy, plot.lineLabels.boxAnchor = FONT_SIZE, 9, "s"
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = BASE, FONT_SIZE
        axis.labelTextFormat = tick
    plot.yValueAxis.gridStrokeColor = plot.xValueAxis.gridStrokeColor = color("#E6E6E6")
    plot.yValueAxis.visibleGrid = 1
    group = Group(plot)
    for label in axis_titles(layout, (plot.x, plot.y, plot.width, plot.height)):
        group.add(label)
    return group


def tick(value: float) -> str:
    """A tick label short enough to sit beside an axis: '250', '12,500', '2.5', '3.6e+08'."""
    if value == 0:
        return "0"
    if abs(value) >= 1e6 or abs(value) < 1e-3:
        return f"{value:.2g}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def axis_titles(layout: go.Layout, box: tuple[float, float, float, float]) -> list[Label]:
    """The x axis's title under the plot, the y axis's turned along its left edge."""
    x, y, width, height = box
    out = []
    for axis, at, angle in ((layout.xaxis, (x + width / 2, y - 24), 0), (layout.yaxis, (x - 40, y + height / 2), 90)):
        text = plain(axis.title.text) if axis.title and axis.title.text else ""
        if text:
            label = Label()
            label.setOrigin(*at)
            label.setText(text)
            label.angle, label.fontName, label.fontSize = angle, font_for(text), FONT_SIZE + 0.5
            label.boxAnchor = "c"
            out.append(label)
    return out


def _points(trace: Any) -> list[tuple[float, float]]:
    xs, ys = list(trace.x if trace.x is not None else []), list(trace.y if trace.y is not None else [])
    return [(float(a), float(b)) for a, b in zip(xs, ys, strict=False) if _finite(a) and _finite(b)]


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _markers(plot: LinePlot, row: int, trace: Any, fill: Any) -> None:
    """The trace's marker, or one per point when plotly gives symbols or sizes per point."""
    symbols, sizes = trace.marker.symbol, trace.marker.size
    plot.lines[row].symbol = marker(symbols if isinstance(symbols, str) else None, fill,
                                    float(sizes if isinstance(sizes, (int, float)) else 8) * 0.6)
    if isinstance(symbols, str) and isinstance(sizes, (int, float)):
        return
    for i in range(len(_points(trace))):
        symbol = symbols[i] if isinstance(symbols, (list, tuple)) and i < len(symbols) else symbols
        size = sizes[i] if isinstance(sizes, (list, tuple)) and i < len(sizes) else sizes
        plot.lines[row, i].symbol = marker(symbol if isinstance(symbol, str) else None, fill,
                                           float(size if isinstance(size, (int, float)) else 8) * 0.6)


def _set_range(axis: Any, source: Any) -> None:
    """plotly's axis range (log10 units on a log axis) and 'tozero', as the reportlab axis's limits."""
    if source.range:
        low, high = (float(v) for v in source.range)
        if source.type == "log":
            low, high = 10**low, 10**high
        axis.valueMin, axis.valueMax = low, high
    elif source.rangemode == "tozero" and source.type != "log":
        axis.valueMin = 0
    if source.dtick and source.type != "log":
        axis.valueStep = float(source.dtick)


def _position(value: Any, ref: str | None, scale: Scale, start: float, length: float) -> float:
    """A shape's or note's coordinate in points: on the axis ('x', 'y') or a fraction of the plot ('paper')."""
    if ref == "paper":
        return start + float(value) * length
    return scale(float(value))


def _shape(shape: Any, x_scale: Scale, y_scale: Scale, box: tuple[float, float, float, float]) -> list[Any]:
    """A rect, line or closed straight path of the figure, in the plot's coordinates."""
    x, y, width, height = box

    def px(v: Any) -> float:
        return _position(v, shape.xref, x_scale, x, width)

    def py(v: Any) -> float:
        return _position(v, shape.yref, y_scale, y, height)

    fill = color(shape.fillcolor, None) if shape.fillcolor else None
    line = shape.line
    stroke = color(line.color) if line and line.color and (line.width is None or line.width > 0) else None
    style = dict(fillColor=fill, strokeColor=stroke, strokeWidth=(line.width or 1) * 0.6 if stroke else 0,
                 strokeDashArray=dash(line) if stroke else None)
    if shape.type == "rect":
        left, bottom, right, top = px(shape.x0), py(shape.y0), px(shape.x1), py(shape.y1)
        return [Rect(min(left, right), min(bottom, top), abs(right - left), abs(top - bottom), **style)]
    if shape.type == "line":
        return [Line(px(shape.x0), py(shape.y0), px(shape.x1), py(shape.y1), **style)]
    if shape.type == "path" and shape.path:
        points = [c for a, b in _PATH_POINT.findall(shape.path) for c in (px(a), py(b))]
        return [Polygon(points, **style)] if len(points) >= 6 else []
    return []


def _annotation(note: Any, x_scale: Scale, y_scale: Scale, box: tuple[float, float, float, float]) -> Label | None:
    """A figure's note, anchored as plotly anchors it; bold when plotly's text was."""
    text = plain(note.text)
    if not text or note.x is None or note.y is None:
        return None
    x, y, width, height = box
    label = Label()
    label.setOrigin(_position(note.x, note.xref, x_scale, x, width) + (note.xshift or 0) * 0.6,
                    _position(note.y, note.yref, y_scale, y, height) + (note.yshift or 0) * 0.6)
    label.setText(text)
    bold = "<b>" in str(note.text)
    label.fontName = font_for(text, BOLD if bold else BASE)
    label.fontSize = FONT_SIZE + 1
    vertical = {"top": "n", "bottom": "s"}.get(note.yanchor or "", "")
    horizontal = {"left": "w", "right": "e"}.get(note.xanchor or "", "")
    label.boxAnchor = (vertical + horizontal) or "c"
    return label
