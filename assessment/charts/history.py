"""The trend: the three dimensions, overall and the margin across an assessment's snapshots."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, themed_figure
from assessment.charts.text import plotly_escape, sentence
from assessment.charts.theme import BLACK, DASHES, PALETTE, SYMBOLS
from assessment.formatting import number_text
from assessment.i18n import t
from assessment.models import RubricSet, text


def history_chart(history: pd.DataFrame, rubric: RubricSet, lang: str = "en") -> Chart:
    """One line per dimension and overall (scores 0–100, unknown answers at their lowest), and the margin
    past the Internet+ boundary (below 0: short of it), snapshot by snapshot. ``history`` is
    :func:`assessment.history.history_frame`."""
    x = [f"#{n}" for n in history["snapshot"]]
    series = [(text(d.title, lang), history[f"score_{d.id}_low"]) for d in rubric.dimensions]
    series += [(t("overall", lang), history["overall_low"]),
               (t("charts_history_margin", lang), history["margin_signed"])]
    traces = [
        go.Scatter(x=x, y=list(values), name=plotly_escape(name, 40), mode="lines+markers",
                   line=dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[i % len(DASHES)], width=2.5),
                   marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=9, color=PALETTE[i % len(PALETTE)]),
                   hovertemplate=f"{plotly_escape(name, 40)} %{{x}}: %{{y:.1f}}<extra></extra>")
        for i, (name, values) in enumerate(series)
    ]
    title = t("charts_history_title", lang)
    figure = themed_figure(
        traces, title,
        xaxis=axis(t("charts_history_x", lang), type="category"),
        yaxis=axis(t("charts_history_y", lang)),
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=0, y1=0, line=dict(color=BLACK, width=1, dash="dot"))],
    )
    columns = {"snapshot": t("charts_col_snapshot", lang), "taken_at": t("charts_col_taken_at", lang),
               "classification": t("charts_col_class", lang)}
    columns |= {f"score_{d.id}_low": text(d.title, lang) for d in rubric.dimensions}
    columns |= {"overall_low": t("charts_col_overall", lang), "margin_signed": t("charts_history_margin", lang),
                "plan": t("charts_col_plan", lang)}
    rows = history.assign(
        snapshot=x, classification=history["classification"].astype(str),
        plan=[f"{done}/{total}" if total else "—" for done, total in zip(history["plan_done"], history["plan_total"],
                                                                          strict=True)],
    ).to_dict("records")
    return Chart("history", title, figure, _summary(history, lang), data_table(rows, columns))


def _summary(history: pd.DataFrame, lang: str) -> str:
    """From the first snapshot to the last: overall, and the verdict now."""
    if history.empty:
        return sentence([t("charts_history_empty", lang)], lang)
    first, last = history.iloc[0], history.iloc[-1]
    parts = [t("charts_history_overall", lang, count=len(history), first=number_text(first["overall_low"]),
               last=number_text(last["overall_low"]), label=str(last["classification"]))]
    margin = last["margin_signed"]
    if margin is not None and not (isinstance(margin, float) and math.isnan(margin)):
        parts.append(t("charts_history_margin_now", lang, margin=number_text(abs(float(margin))),
                       side=t("charts_history_above" if margin >= 0 else "charts_history_below", lang)))
    return sentence(parts, lang)
