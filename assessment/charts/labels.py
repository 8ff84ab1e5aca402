"""Labels beside a chart's points that never overlap: a small, deterministic placement.

Plotly writes annotation text exactly where it is told and never moves it, so
crowded points (the +Internet examples cluster low and left) would print their
names on top of each other. Each label here tries positions around its point,
nearest first (right, left, above, below, the diagonals), then further out with
a leader line, and takes the first whose box stays inside the plot and clear of
every marker, every fixed text and every label placed before it. Text sizes are
estimated generously from the characters (a Chinese character is a full em),
for a figure of fixed pixel size, so a chart is labelled the same on every run.
"""

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assessment.charts.text import plotly_escape

GAP_PX = 3.0
ROUNDS = 4  # placements tried, the labels that found no room moved to the front each time
LEADER_PX = (22.0, 40.0, 62.0, 88.0, 120.0, 160.0, 210.0)
# Level first, then up and down, then every 15 degrees between: the same order every time.
ANGLES = (0, 180, 90, 270, 45, 135, 225, 315, *(a for a in range(15, 360, 15) if a % 45))


@dataclass(frozen=True)
class Box:
    """A rectangle in figure pixels, y downwards."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: "Box") -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    @classmethod
    def around(cls, x: float, y: float, width: float, height: float) -> "Box":
        return cls(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


@dataclass(frozen=True)
class Frame:
    """A figure of fixed size: where its plot area sits, and the data ranges the axes show."""

    width: float
    height: float
    margin: dict  # l, r, t, b in pixels, as the figure's layout.margin
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    @property
    def plot(self) -> Box:
        m = self.margin
        return Box(m["l"], m["t"], self.width - m["r"], self.height - m["b"])

    def px(self, x: float, y: float) -> tuple[float, float]:
        plot = self.plot
        fx = (x - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
        fy = (y - self.y_range[0]) / (self.y_range[1] - self.y_range[0])
        return plot.x0 + fx * (plot.x1 - plot.x0), plot.y1 - fy * (plot.y1 - plot.y0)

    def layout(self) -> dict:
        """The figure's size and margins, fixed so the labels land where they were placed."""
        return dict(width=self.width, height=self.height, autosize=False, margin=dict(self.margin, autoexpand=False))


@dataclass(frozen=True)
class Point:
    x: float  # data coordinates
    y: float
    radius: float  # the marker's half-size in pixels


@dataclass(frozen=True)
class PlacedLabel:
    text: str
    point: Point
    box: Box  # where the text is drawn, in figure pixels
    dx: float  # the box's centre from the point, in pixels (y downwards)
    dy: float
    leader: bool  # drawn with a line back to its point


def text_size(text: str, font_px: float) -> tuple[float, float]:
    """A generous estimate of a one-line text's box: wide characters a full em, capitals and digits wider."""
    em = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF" or char in "…—":
            em += 1.0
        elif char.isupper() or char.isdigit() or char in "mwMW@%&":
            em += 0.72
        elif char in " .,:;'|!iljt()[]":
            em += 0.36
        else:
            em += 0.62
    return em * font_px + 6, font_px * 1.3 + 4


def place(frame: Frame, points: Sequence[Point], texts: Sequence[tuple[int, str]], font_px: float,
          fixed: Sequence[Box] = ()) -> list[PlacedLabel | None]:
    """Each ``(point index, text)`` placed clear of every marker, every ``fixed`` box and every earlier label.

    Labels go in the order given; should some find no room, the placement is tried again with those first
    (a few times, keeping the best). ``None`` where no position is free: the caller shortens the text or
    leaves it to the chart's data table.
    """
    markers = [_marker_box(frame, p) for p in points]
    order = list(range(len(texts)))
    best: list[PlacedLabel | None] = []
    for _ in range(ROUNDS):
        taken: list[Box] = [*fixed]
        placed: dict[int, PlacedLabel | None] = {}
        for k in order:
            index, text = texts[k]
            placed[k] = _first_free(frame, points[index], text, font_px, [*markers, *taken], markers, index)
            if placed[k] is not None:
                taken.append(placed[k].box)  # type: ignore[union-attr]
        result = [placed[k] for k in range(len(texts))]
        if not best or sum(x is None for x in result) < sum(x is None for x in best):
            best = result
        failed = [k for k in order if placed[k] is None]
        if not failed:
            break
        order = failed + [k for k in order if placed[k] is not None]
    return best


def annotations(labels: Sequence[PlacedLabel | None], font_px: float, color: str) -> list[dict]:
    """Plotly annotations for the placed labels: centred on their boxes, a thin leader line where one is needed."""
    out = []
    for label in labels:
        if label is None:
            continue
        base = dict(text=plotly_escape(label.text), x=label.point.x, y=label.point.y, xref="x", yref="y",
                    font=dict(size=font_px, color=color), xanchor="center", yanchor="middle")
        if label.leader:
            out.append(dict(base, showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=color, ax=label.dx,
                            ay=label.dy, axref="pixel", ayref="pixel", standoff=label.point.radius + 1))
        else:
            out.append(dict(base, showarrow=False, xshift=label.dx, yshift=-label.dy))
    return out


def _marker_box(frame: Frame, point: Point) -> Box:
    x, y = frame.px(point.x, point.y)
    size = 2 * point.radius + 2
    return Box.around(x, y, size, size)


def _first_free(frame: Frame, point: Point, text: str, font_px: float, obstacles: list[Box], markers: list[Box],
                own: int) -> PlacedLabel | None:
    x, y = frame.px(point.x, point.y)
    width, height = text_size(text, font_px)
    plot = frame.plot
    for dx, dy, leader in _candidates(point.radius, width, height):
        box = Box.around(x + dx, y + dy, width, height)
        if not box.inside(plot) or any(box.overlaps(o) for o in obstacles):
            continue
        if leader and _leader_blocked((x, y), box, obstacles, markers[own]):
            continue
        return PlacedLabel(text, point, box, dx, dy, leader)
    return None


def _candidates(radius: float, width: float, height: float) -> list[tuple[float, float, bool]]:
    """Box centres around a point, nearest first: touching it on each side, then out along leader lines."""
    side, up = radius + GAP_PX + width / 2, radius + GAP_PX + height / 2
    near = [(side, 0.0), (-side, 0.0), (0.0, -up), (0.0, up), (side, -up), (-side, -up), (-side, up), (side, up)]
    out = [(dx, dy, False) for dx, dy in near]
    for distance in LEADER_PX:
        for angle in ANGLES:
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            out.append(((radius + distance + width / 2) * cos, -(radius + distance + height / 2) * sin, True))
    return out


def _leader_blocked(start: tuple[float, float], box: Box, obstacles: list[Box], own: Box) -> bool:
    """Whether the line from the point to the label's centre crosses another marker or label."""
    end = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    steps = max(int(math.dist(start, end) / 2), 1)
    for i in range(steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        if box.holds(x, y):
            return False  # reached the label itself
        if any(o is not own and o.holds(x, y) and not o.holds(*start) for o in obstacles):
            return True  # (a marker on the very same spot is not in the way: every line starts inside it)
    return False
