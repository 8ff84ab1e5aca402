"""The rule at a glance: one bar per condition, the score against its threshold.

A bar runs to the score the business has for certain (unknown answers at their
lowest option); while answers are unknown, a hatched stretch shows how far the
score could still reach. The threshold is a black tick on each bar, and the
distance is written beside it in words ("15.8 short"), so neither colour nor
a sign carries the meaning alone.
"""

from __future__ import annotations

import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, themed_figure
from assessment.charts.text import plotly_escape, plotly_wrap
from assessment.charts.theme import BLACK, BLUE, GREEN, VERMILLION, tint
from assessment.formatting import score_text
from assessment.headline import gap_words
from assessment.i18n import t
from assessment.localise import AssessmentView, ConditionView

CONDITION_ROW_PX = 52
STATUS = (("met", True, GREEN), ("unmet", False, VERMILLION), ("open", None, BLUE))


def conditions_chart(result: AssessmentView, lang: str = "en") -> Chart:
    """Each condition of the rule as a bar against its threshold; the summary is the verdict's own sentence."""
    checks = result.conditions
    names = [plotly_wrap(c.name, 26) for c in checks]
    traces = [trace for status in STATUS if (trace := _bars(checks, names, status, lang)) is not None]
    if any(c.high > c.low for c in checks):
        traces.append(_reach(checks, names, lang))
    traces.append(go.Scatter(
        x=[c.threshold for c in checks], y=names, mode="markers",
        name=plotly_escape(t("charts_conditions_threshold", lang)),
        marker=dict(symbol="line-ns", size=CONDITION_ROW_PX * 0.62, line=dict(color=BLACK, width=3), color=BLACK),
        hovertext=[plotly_escape(f"{c.name}: ≥ {c.threshold:g}") for c in checks], hoverinfo="text",
    ))
    notes = [dict(text=plotly_escape(_beside(c, lang)), x=1.01, xref="paper", y=name, yref="y", xanchor="left",
                  font=dict(size=13)) for c, name in zip(checks, names, strict=True)]
    title = t("charts_conditions_title", lang)
    plot_px = CONDITION_ROW_PX * max(len(checks), 1) + 20
    margin = dict(l=70, r=150, t=50, b=90)
    figure = themed_figure(
        traces, title, height=plot_px + margin["t"] + margin["b"], barmode="overlay", bargap=0.45,
        annotations=notes, margin=margin,
        xaxis=axis(t("charts_conditions_x", lang), range=[0, 100], dtick=20),
        yaxis=axis(t("charts_conditions_y", lang), autorange="reversed", categoryorder="array", categoryarray=names),
        legend=dict(y=-52 / plot_px),  # below the axis title, not on it
    )
    rows = [{"name": c.name, "score": score_text(c.low, c.high), "threshold": c.threshold, "gap": gap_words(c, lang),
             "met": c.met} for c in checks]
    columns = {"name": t("charts_col_condition", lang), "score": t("charts_col_score", lang),
               "threshold": t("charts_col_threshold", lang), "gap": t("charts_col_distance", lang),
               "met": t("charts_col_met", lang)}
    return Chart("conditions", title, figure, result.headline, data_table(rows, columns))


def _bars(checks: list[ConditionView], names: list[str], status: tuple[str, bool | None, str],
          lang: str) -> go.Bar | None:
    """The conditions in one state (met, not met, open), coloured alike and named once in the legend."""
    key, met, color = status
    chosen = [(c, n) for c, n in zip(checks, names, strict=True) if c.met is met]
    if not chosen:
        return None
    return go.Bar(
        x=[c.low for c, _ in chosen], y=[n for _, n in chosen], orientation="h",
        name=plotly_escape(t(f"charts_conditions_{key}", lang)),
        marker=dict(color=color, line=dict(color=color, width=1)),
        hovertext=[plotly_escape(f"{c.name}: {score_text(c.low, c.high)} · {gap_words(c, lang)}") for c, _ in chosen],
        hoverinfo="text",
    )


def _reach(checks: list[ConditionView], names: list[str], lang: str) -> go.Bar:
    """How far each score could still go while answers are unknown: hatched, from the certain score up."""
    return go.Bar(
        x=[c.high - c.low for c in checks], base=[c.low for c in checks], y=names, orientation="h",
        name=plotly_escape(t("charts_conditions_reach", lang)),
        marker=dict(color=tint(BLUE, 0.12), line=dict(color=BLUE, width=1),
                    pattern=dict(shape="/", fgcolor=BLUE, fillmode="overlay", solidity=0.3)),
        hovertext=[plotly_escape(f"{c.name}: {score_text(c.low, c.high)}") for c in checks], hoverinfo="text",
    )


def _beside(check: ConditionView, lang: str) -> str:
    """The words beside a bar: the distance, or (short, to fit) that it depends."""
    return t("depends", lang) if check.met is None else gap_words(check, lang)
