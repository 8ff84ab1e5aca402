"""What every chart returns, and the pieces every figure is built from.

Each :class:`Chart` carries a one-sentence summary and its data as a table,
because a plotly figure has no text alternative of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.text import plotly_escape
from assessment.charts.theme import TEMPLATE


@dataclass(frozen=True)
class Chart:
    key: str  # "radar", "quadrant", "growth", "marginal", "priority", "radar_overlay", "heatmap", "conditions",
    # "history", "distribution"
    title: str  # localised
    figure: go.Figure
    summary: str  # one plain, localised sentence: what the chart shows for this business
    data: pd.DataFrame  # the chart's data, localised column headers: its text alternative
    tab: str = ""  # a short title, for a tab among others (the title when empty)


def themed_figure(traces: Sequence, title: str, height: int = 480, **layout: object) -> go.Figure:
    """A figure on the theme's template; ``title`` is escaped here, ``layout`` holds what this chart alone sets.

    The height stays on the figure, not the template: Streamlit sizes the chart's frame from the figure's own
    ``layout.height`` (450 px when it has none), so a height only the template knew would be cut off.
    """
    return go.Figure(data=list(traces), layout=dict(template=TEMPLATE, title=dict(text=plotly_escape(title)),
                                                    height=height, **layout))


def axis(title: str, **extra: object) -> dict:
    """A cartesian axis: its (escaped) title and what this chart alone sets; the template styles the rest."""
    return dict(title=dict(text=plotly_escape(title)), **extra)


def note(message: str) -> dict:
    """A message in the middle of an empty plot."""
    return dict(text=plotly_escape(message), xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=15))


def closed(values: Sequence) -> list:
    """A radar polygon's points with the first repeated, so the outline closes."""
    return [*values, values[0]] if values else []


def data_table(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows keyed by internal names, as a frame with the localised headers in ``columns``."""
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.rename(columns=columns)
