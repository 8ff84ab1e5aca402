"""The priority chart: each answered question's score against its weight, the important and weak corner first.

Scores and weights take few values, so many questions share a spot: each
dimension's questions there share one marker, set a little apart from the other
dimensions' (never on top of them), and every marker carries a label with its
questions' short codes ("U3", "P6–P10", the numbers the Assess page shows),
placed so no two labels overlap. The full questions are in the hover text and
the data table.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, note, themed_figure
from assessment.charts.labels import Box, Frame, Point, place, text_size
from assessment.charts.labels import annotations as label_annotations  # beside `from __future__ import annotations`
from assessment.charts.scores import dimension_titles, question_codes
from assessment.charts.text import plotly_escape, plotly_wrap, sentence
from assessment.charts.theme import AXIS_COLOR, PALETTE, SYMBOLS, TEXT_COLOR, VERMILLION, tint
from assessment.i18n import t
from assessment.localise import AssessmentView, LineView
from assessment.models import RubricSet

MARKER_SIZE, LABEL_FONT, CORNER_FONT = 12, 11, 14
DODGE = 4.5  # score points between the markers of two dimensions at one spot
X_RANGE = (-10.0, 110.0)
MARGIN = dict(l=70, r=30, t=60, b=130)
Spot = tuple[float, float]


def priority_chart(result: AssessmentView, rubric: RubricSet, lang: str = "en") -> Chart:
    """Each answered question's score against its weight: the important and weak corner comes first."""
    weights = [line.weight for line in result.lines] or [1.0]
    middle, top = (min(weights) + max(weights)) / 2, max(weights) * 1.15
    frame = Frame(680, 560, MARGIN, X_RANGE, (0.0, top))
    titles, codes = dimension_titles(rubric, lang), question_codes(rubric, lang)
    spots = _spots(result.lines, [d.id for d in rubric.dimensions])
    positions = _dodged(spots)
    traces = [_priority_trace(spots[d.id], positions, d.id, titles[d.id], i, lang)
              for i, d in enumerate(rubric.dimensions) if spots[d.id]]
    corner = dict(text=f"<b>{plotly_escape(t('charts_priority_corner', lang))}</b>", x=X_RANGE[0] + 1, y=top,
                  xanchor="left", yanchor="top", xref="x", yref="y", font=dict(size=CORNER_FONT))
    labels = _code_labels(frame, spots, positions, codes, t("charts_priority_corner", lang))
    title = t("charts_priority_title", lang)
    figure = themed_figure(
        traces, title,
        xaxis=axis(t("charts_priority_x", lang), range=list(X_RANGE), tickvals=[0, 25, 50, 75, 100]),
        yaxis=axis(t("charts_priority_y", lang), range=[0, top]),
        shapes=_priority_shapes(middle, top),
        annotations=[corner, *labels] + ([] if traces else [note(t("charts_priority_empty", lang))]),
        legend=dict(y=-58 / frame.plot.height, title=dict(text=plotly_escape(t("charts_priority_codes", lang)),
                                                          side="top")),
        **frame.layout(),
    )
    summary = _priority_summary(result.lines, middle, titles, lang)
    return Chart("priority", title, figure, summary, _priority_table(result.lines, middle, titles, codes, lang))


def _act_first(line: LineView, middle: float) -> bool:
    return line.percent is not None and line.percent < 50 and line.weight >= middle


def _weighted_gap(line: LineView) -> float:
    return 0.0 if line.percent is None else line.weight * (100 - line.percent) / 100


def _spots(lines: list[LineView], dimensions: list[str]) -> dict[str, dict[Spot, list[LineView]]]:
    """Per dimension, its answered questions by (score, weight)."""
    out: dict[str, dict[Spot, list[LineView]]] = {d: {} for d in dimensions}
    for line in lines:
        if line.percent is not None and line.dimension in out:
            out[line.dimension].setdefault((line.percent, line.weight), []).append(line)
    return out


def _dodged(spots: dict[str, dict[Spot, list[LineView]]]) -> dict[tuple[str, Spot], float]:
    """Each marker's x: its score, moved aside from the other dimensions' markers at the same spot."""
    sharing: dict[Spot, list[str]] = {}
    for dimension, by_spot in spots.items():
        for spot in by_spot:
            sharing.setdefault(spot, []).append(dimension)
    return {(d, spot): spot[0] + (i - (len(ds) - 1) / 2) * DODGE
            for spot, ds in sharing.items() for i, d in enumerate(ds)}


def _priority_trace(by_spot: dict[Spot, list[LineView]], positions: dict[tuple[str, Spot], float], dimension: str,
                    title: str, index: int, lang: str) -> go.Scatter:
    """One dimension's markers; ``customdata`` keeps each marker's true score (x may be moved aside)."""
    color = PALETTE[index % (len(PALETTE) - 1)]
    hover = [
        "<br>".join(f"• {plotly_wrap(line.question, 60)}" for line in lines)
        + "<br>" + plotly_escape(t("charts_priority_point", lang, score=f"{x:.0f}", weight=f"{y:g}"))
        for (x, y), lines in by_spot.items()
    ]
    return go.Scatter(
        x=[positions[(dimension, spot)] for spot in by_spot], y=[y for _, y in by_spot],
        customdata=[x for x, _ in by_spot], mode="markers", name=plotly_escape(title, 40), cliponaxis=False,
        marker=dict(color=color, symbol=SYMBOLS[index % len(SYMBOLS)], line=dict(color=color, width=1),
                    size=MARKER_SIZE, opacity=0.95),
        hovertext=hover, hoverinfo="text",
    )


def _code_labels(frame: Frame, spots: dict[str, dict[Spot, list[LineView]]],
                 positions: dict[tuple[str, Spot], float], codes: dict[str, str], corner: str) -> list[dict]:
    """Each marker's question codes beside it, the largest weighted gap placed first; none overlapping."""
    markers = [(d, spot, lines) for d, by_spot in spots.items() for spot, lines in by_spot.items()]
    markers.sort(key=lambda m: (-max(_weighted_gap(line) for line in m[2]), positions[(m[0], m[1])], m[1][1]))
    points = [Point(positions[(d, spot)], spot[1], MARKER_SIZE / 2 + 1) for d, spot, _ in markers]
    width, height = text_size(corner, CORNER_FONT)
    x0, y0 = frame.px(X_RANGE[0] + 1, frame.y_range[1])
    fixed = [Box(x0, y0, x0 + width * 1.1, y0 + height)]  # the bold corner note
    texts = [(i, code_list([codes[line.question_id] for line in lines])) for i, (_, _, lines) in enumerate(markers)]
    return label_annotations(place(frame, points, texts, LABEL_FONT, fixed), LABEL_FONT, TEXT_COLOR)


def code_list(codes: list[str]) -> str:
    """Codes joined, a run of one dimension's consecutive numbers shortened: 'U2, U5', 'P6–P10'."""
    parsed = [(m.group(1), int(m.group(2))) if (m := re.fullmatch(r"(\D+)(\d+)", c)) else (c, -1) for c in codes]
    runs: list[list[tuple[str, int]]] = []
    for prefix, number in parsed:
        if runs and runs[-1][-1][0] == prefix and number >= 0 and runs[-1][-1][1] == number - 1:
            runs[-1].append((prefix, number))
        else:
            runs.append([(prefix, number)])
    return ", ".join(_run(run) for run in runs)


def _run(run: list[tuple[str, int]]) -> str:
    def one(item: tuple[str, int]) -> str:
        return item[0] if item[1] < 0 else f"{item[0]}{item[1]}"

    return one(run[0]) if len(run) == 1 else (f"{one(run[0])}, {one(run[1])}" if len(run) == 2
                                             else f"{one(run[0])}–{one(run[-1])}")


def _priority_shapes(middle: float, top: float) -> list[dict]:
    line = dict(color=AXIS_COLOR, width=1.5, dash="dot")
    return [
        dict(type="rect", name="act_first", x0=X_RANGE[0], x1=50, y0=middle, y1=top, fillcolor=tint(VERMILLION, 0.08),
             line=dict(width=0)),
        dict(type="line", x0=50, x1=50, y0=0, y1=top, line=line),
        dict(type="line", x0=X_RANGE[0], x1=X_RANGE[1], y0=middle, y1=middle, line=line),
    ]


def _priority_summary(lines: list[LineView], middle: float, titles: dict[str, str], lang: str) -> str:
    answered = [line for line in lines if line.percent is not None]
    if not answered:
        return sentence([t("charts_priority_empty", lang)], lang)
    corner = [line for line in answered if _act_first(line, middle)]
    pick = max(corner or answered, key=_weighted_gap)
    if _weighted_gap(pick) <= 0:
        return sentence([t("charts_priority_all_top", lang)], lang)
    key = "charts_priority_summary" if corner else "charts_priority_no_corner"
    return sentence([t(key, lang, question=pick.question, dimension=titles.get(pick.dimension, pick.dimension),
                       weight=f"{pick.weight:g}", score=f"{pick.percent:.0f}")], lang)


def _priority_table(lines: list[LineView], middle: float, titles: dict[str, str], codes: dict[str, str],
                    lang: str) -> pd.DataFrame:
    rows = [{"code": codes.get(line.question_id, ""), "question": line.question,
             "dimension": titles.get(line.dimension, line.dimension), "percent": line.percent,
             "weight": line.weight, "gap": None if line.percent is None else _weighted_gap(line),
             "act_first": _act_first(line, middle)} for line in lines]
    columns = {"code": t("charts_col_code", lang), "question": t("charts_col_question", lang),
               "dimension": t("charts_col_dimension", lang), "percent": t("charts_col_percent", lang),
               "weight": t("charts_col_weight", lang), "gap": t("charts_col_weighted_gap", lang),
               "act_first": t("charts_col_act_first", lang)}
    return data_table(rows, columns)
