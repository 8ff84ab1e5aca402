"""One question's answers in the room: a bar per option, labelled, with how many chose it.

Drawn for the presenter's screen and for participants once the question is
revealed. The options run lowest first from the top, as on the questionnaire;
the median's bar is coloured apart and named in the summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, themed_figure
from assessment.charts.text import plotly_wrap
from assessment.charts.theme import BLUE, VERMILLION
from assessment.i18n import t
from assessment.models import ChoiceQuestion, text

if TYPE_CHECKING:  # the workshop imports the charts, not the other way round
    from assessment.workshop.aggregate import QuestionTally

LABEL_WIDTH = 44  # characters per line of an option's label
LINE_PX = 19  # height of one line of a label at the chart's font size


def distribution_chart(question: ChoiceQuestion, tally: QuestionTally, lang: str = "en") -> Chart:
    """How many participants chose each option of a choice question (``tally``: its counts and median)."""
    labels = [text(o.label, lang) for o in question.options]
    values = [int(tally.counts.get(o.id, 0)) for o in question.options]
    wrapped = [plotly_wrap(label, LABEL_WIDTH) for label in labels]
    lines = sum(label.count("<br>") + 1 for label in wrapped)
    trace = go.Bar(
        y=wrapped, x=values, orientation="h",
        marker=dict(color=[VERMILLION if o.id == tally.median else BLUE for o in question.options]),
        text=[str(v) for v in values], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{x}<extra></extra>",
    )
    title = t("ws_distribution_title", lang)
    figure = themed_figure(
        [trace], title, height=110 + LINE_PX * lines + 18 * len(labels), margin=dict(l=20, r=40, t=30, b=60),
        xaxis=axis(t("ws_distribution_x", lang), dtick=1, rangemode="tozero", range=[0, max([*values, 1]) * 1.15]),
        yaxis=axis("", autorange="reversed"), bargap=0.3, font=dict(size=15),
    )
    median_label = next((label for o, label in zip(question.options, labels, strict=True) if o.id == tally.median), "—")
    summary = t("ws_distribution_summary", lang, answered=tally.answered, median=median_label)
    total = max(tally.answered, 1)
    rows = [{"option": label, "count": value, "share": round(100 * value / total)}
            for label, value in zip(labels, values, strict=True)]
    data = data_table(rows, {"option": t("col_answer", lang), "count": t("ws_distribution_x", lang),
                             "share": t("ws_distribution_share", lang)})
    return Chart("distribution", title, figure, summary, data)
