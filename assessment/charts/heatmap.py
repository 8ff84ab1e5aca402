"""The workshop heatmap: participants × questions, coloured by each answer's score."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, themed_figure
from assessment.charts.text import plotly_escape
from assessment.charts.theme import HEATMAP_SCALE
from assessment.i18n import t
from assessment.models import RubricSet, text

SHORT_TITLE = 30  # characters of a question's text on the axis (the hover shows all of it)

if TYPE_CHECKING:  # the workshop imports the charts, not the other way round
    from assessment.workshop.aggregate import FacilitatorView


def heatmap_chart(view: FacilitatorView, rubric: RubricSet, lang: str = "en") -> Chart:
    """Participants × questions, coloured by each answer's score (0–100); gaps are unanswered."""
    frame = view.heatmap
    titles = {q.id: text(q.text, lang) for _, q in rubric.choice_questions()}
    trace = go.Heatmap(
        z=frame.to_numpy(),
        x=[plotly_escape(f"{number}. {titles.get(q, q)}", limit=SHORT_TITLE)
           for number, q in enumerate(frame.columns, 1)],
        y=[plotly_escape(label) for label in frame.index],
        customdata=[[plotly_escape(titles.get(q, q)) for q in frame.columns] for _ in frame.index],
        colorscale=HEATMAP_SCALE, zmin=0, zmax=100, hoverongaps=False,
        colorbar=dict(title=dict(text=plotly_escape(t("ws_heatmap_scale", lang)))),
        hovertemplate="%{y} · %{customdata}<br>%{z:.0f}%<extra></extra>",
    )
    title = t("ws_heatmap_title", lang)
    figure = themed_figure(
        [trace], title, height=max(320, 120 + 28 * len(frame.index)), margin=dict(l=90, r=30, t=60, b=60),
        xaxis=axis(t("ws_heatmap_x", lang), tickangle=-60),
        yaxis=axis(t("ws_heatmap_y", lang), autorange="reversed"),
    )
    data = frame.reset_index().rename(columns={"participant": t("ws_col_participant", lang)})
    answered = int(frame.notna().to_numpy().sum())
    summary = t("ws_heatmap_summary", lang, people=len(frame.index), questions=len(frame.columns), answered=answered)
    return Chart("heatmap", title, figure, summary, data)
