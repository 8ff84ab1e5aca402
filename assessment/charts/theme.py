"""The charts' look in one place: the palette and a registered plotly template.

Every figure names the template ``internet_plus`` instead of building its own
layout, so fonts, background, colourway, axis, legend and hover styles are set
once. Traces still take their colours explicitly from :data:`PALETTE`, so
nothing falls back to plotly's defaults, several of which are too pale against
white.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from assessment.models import NODES

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
NODE_COLORS: dict[str, str] = dict(zip(NODES, (BLUE, VERMILLION, GREEN), strict=True))
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "hexagon", "star")
DASHES = ("solid", "dash", "dot", "dashdot")
# Cividis: a sequential scale readable with every common colour-vision deficiency.
HEATMAP_SCALE = "Cividis"

TEMPLATE = "internet_plus"


def tint(color: str, alpha: float) -> str:
    """A light tint of a palette colour, for shading behind the data."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _template() -> go.layout.Template:
    """White background, palette colourway, readable at ~700 px; axes, legend and notes styled alike."""
    axis = dict(
        title=dict(standoff=8), showline=True, linecolor=AXIS_COLOR, mirror=False, gridcolor=GRID_COLOR,
        zeroline=False, ticks="outside", tickcolor=AXIS_COLOR, automargin=True,
    )
    polar = dict(
        bgcolor=BACKGROUND,
        radialaxis=dict(gridcolor=GRID_COLOR, linecolor=AXIS_COLOR, tickcolor=AXIS_COLOR),
        angularaxis=dict(gridcolor=GRID_COLOR, linecolor=AXIS_COLOR),
    )
    return go.layout.Template(layout=dict(
        title=dict(x=0.01, xanchor="left", font=dict(size=16, color=TEXT_COLOR)),
        font=dict(family=FONT, size=13, color=TEXT_COLOR),
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        colorway=list(PALETTE),
        margin=dict(l=70, r=30, t=60, b=40),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.16, yanchor="top", font=dict(size=12)),
        hoverlabel=dict(bgcolor=BACKGROUND, bordercolor=AXIS_COLOR, font=dict(color=TEXT_COLOR)),
        xaxis=axis,
        yaxis=axis,
        polar=polar,
        annotationdefaults=dict(showarrow=False, font=dict(color=TEXT_COLOR)),
        shapedefaults=dict(layer="below"),  # shading and guide lines sit behind the data
    ))


pio.templates[TEMPLATE] = _template()
