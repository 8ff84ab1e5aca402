"""The quadrant: a business among the examples on the two scores the rule weighs first."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from assessment.charts.chart import Chart, axis, data_table, themed_figure
from assessment.charts.labels import Box, Frame, Point, place, text_size
from assessment.charts.labels import annotations as label_annotations  # beside `from __future__ import annotations`
from assessment.charts.scores import certain_score, dimension_titles
from assessment.charts.text import listed, plotly_escape, sentence
from assessment.charts.theme import BLUE, GREEN, PURPLE, TEXT_COLOR, VERMILLION, tint
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import Condition, RubricSet
from assessment.vocabulary import SCORE_OVERALL

# A fixed size, so every name is placed where it will be drawn (the app draws it at this width, and so does the report).
FRAME = Frame(width=680, height=600, margin=dict(l=70, r=30, t=60, b=160), x_range=(0, 100), y_range=(0, 100))
THIS_SIZE, EXAMPLE_SIZE, LABEL_FONT = 20, 11, 11


@dataclass(frozen=True)
class _Rule:
    """The rule seen as a plane: the first named dimension up; across, overall when the rule names
    it, else its second dimension; any further conditions as flags."""

    x_score: str  # "overall" or a dimension id
    x_threshold: float
    y_dimension: str
    y_threshold: float
    others: tuple[Condition, ...]

    @classmethod
    def of(cls, rubric: RubricSet) -> _Rule:
        conditions = rubric.meta.classification.internet_plus_when
        on_dimensions = rubric.dimension_conditions()
        y_dimension = on_dimensions[0].score if on_dimensions else rubric.dimensions[0].id
        rest = [c for c in on_dimensions if c.score != y_dimension]
        named_overall = any(c.score == SCORE_OVERALL for c in conditions)
        x_score = SCORE_OVERALL if named_overall or not rest else rest[0].score
        return cls(
            x_score=x_score,
            x_threshold=max((c.at_least for c in conditions if c.score == x_score), default=0.0),
            y_dimension=y_dimension,
            y_threshold=max((c.at_least for c in on_dimensions if c.score == y_dimension), default=0.0),
            others=tuple(c for c in conditions if c.score not in (x_score, y_dimension)),
        )

    def point(self, result: AssessmentView) -> tuple[float, float]:
        x = result.overall_low if self.x_score == SCORE_OVERALL else certain_score(result, self.x_score)
        return x, certain_score(result, self.y_dimension)

    def x_title(self, rubric: RubricSet, lang: str) -> str:
        return t("overall", lang) if self.x_score == SCORE_OVERALL else dimension_titles(rubric, lang)[self.x_score]

    def others_met(self, result: AssessmentView) -> bool:
        return all(c.met for c in result.conditions if c.score not in (self.x_score, self.y_dimension))

    def others_text(self, rubric: RubricSet, lang: str) -> str:
        named = (f"{rubric.condition_name(c.score, lang) or c.score} ≥ {c.at_least:g}" for c in self.others)
        return listed(named, lang)


def quadrant_chart(result: AssessmentView, others: list[AssessmentView], rubric: RubricSet, lang: str = "en") -> Chart:
    """Overall against the rule's first dimension, with both classes' regions shaded."""
    rule = _Rule.of(rubric)
    y_title = dimension_titles(rubric, lang).get(rule.y_dimension, rule.y_dimension)
    conditions = rule.others_text(rubric, lang)
    titles = (rule.x_title(rubric, lang), y_title)
    traces = [*_example_traces(others, rule, conditions, titles, lang), _this_trace(result, rule, titles, lang)]
    legend = dict(y=-62 / FRAME.plot.height, **({"title": dict(text=plotly_escape(
        t("charts_quadrant_legend", lang, conditions=conditions)), side="top")} if rule.others else {}))
    title = t("charts_quadrant_title", lang)
    regions = _region_labels(rule, rubric, lang)
    figure = themed_figure(
        traces, title,
        xaxis=axis(t("charts_quadrant_y", lang, dimension=titles[0]), range=[0, 100], dtick=20),
        yaxis=axis(t("charts_quadrant_y", lang, dimension=y_title), range=[0, 100], dtick=20),
        shapes=_regions(rule), annotations=regions + _name_labels(result, others, rule, regions), legend=legend,
        **FRAME.layout(),
    )
    return Chart("quadrant", title, figure, _quadrant_summary(result, others, rule, rubric, y_title, lang),
                 _quadrant_table(result, others, rule, titles, lang))


def _hover(result: AssessmentView, rule: _Rule, titles: tuple[str, str]) -> str:
    x, y = rule.point(result)
    return (f"<b>{plotly_escape(result.business)}</b><br>{plotly_escape(titles[0])}: {x:.1f}"
            f"<br>{plotly_escape(titles[1])}: {y:.1f}<br>{plotly_escape(result.class_label)}")


def _points(items: list[AssessmentView], rule: _Rule, titles: tuple[str, str], **trace: object) -> go.Scatter:
    points = [rule.point(a) for a in items]
    return go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], hovertext=[_hover(a, rule, titles) for a in items],
        hoverinfo="text", cliponaxis=False, **trace,
    )


def _example_traces(others: list[AssessmentView], rule: _Rule, conditions: str, titles: tuple[str, str],
                    lang: str) -> list[go.Scatter]:
    """Examples as blue circles: filled when the rule's other conditions hold, open when not."""
    if not rule.others:
        groups = [(others, "circle", t("charts_quadrant_examples", lang))]
    else:
        groups = [
            ([a for a in others if rule.others_met(a)], "circle",
             t("charts_quadrant_examples_met", lang, conditions=conditions)),
            ([a for a in others if not rule.others_met(a)], "circle-open",
             t("charts_quadrant_examples_unmet", lang, conditions=conditions)),
        ]
    return [
        _points(items, rule, titles, name=plotly_escape(name), mode="markers",
                marker=dict(color=BLUE, size=EXAMPLE_SIZE, symbol=symbol, line=dict(color=BLUE, width=2)))
        for items, symbol, name in groups
        if items
    ]


def _this_trace(result: AssessmentView, rule: _Rule, titles: tuple[str, str], lang: str) -> go.Scatter:
    symbol = "star" if rule.others_met(result) else "star-open"
    return _points(
        [result], rule, titles, name=plotly_escape(t("charts_quadrant_this", lang, business=result.business[:40])),
        mode="markers",
        marker=dict(color=VERMILLION, size=THIS_SIZE, symbol=symbol, line=dict(color=VERMILLION, width=2.5)),
    )


def _name_labels(result: AssessmentView, others: list[AssessmentView], rule: _Rule, regions: list[dict]) -> list[dict]:
    """Every point named beside it (this business first, then the most crowded), no two names overlapping.

    An example that is this business itself (same name, same place) is not named twice.
    """
    points = [Point(*rule.point(result), THIS_SIZE / 2 + 1.5)]
    points += [Point(*rule.point(a), EXAMPLE_SIZE / 2 + 1) for a in others]
    names = [result.business, *(a.business for a in others)]
    wanted = [i for i, a in enumerate(others, 1)
              if not (a.business == result.business and (points[i].x, points[i].y) == (points[0].x, points[0].y))]
    order = [0, *sorted(wanted, key=lambda i: (-_crowding(points, i), names[i]))]
    fixed = [_region_box(region) for region in regions]
    texts = [(i, short_name(names[i])) for i in order]
    placed = place(FRAME, points, texts, LABEL_FONT, fixed)
    missing = [(i, short_name(names[i], 12)) for (i, _), label in zip(texts, placed, strict=True) if label is None]
    if missing:  # a shorter name where the full one found no room
        kept = [label for label in placed if label is not None]
        placed = [*kept, *place(FRAME, points, missing, LABEL_FONT, [*fixed, *(label.box for label in kept)])]
    return label_annotations(placed, LABEL_FONT, TEXT_COLOR)


def short_name(business: str, limit: int = 24) -> str:
    """A business's name as a label: without its description in brackets, at most ``limit`` characters."""
    name = business.split(" (", 1)[0].split("（", 1)[0].strip() or business
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _crowding(points: list[Point], index: int) -> int:
    x, y = FRAME.px(points[index].x, points[index].y)
    return sum(1 for p in points if math.dist((x, y), FRAME.px(p.x, p.y)) < 60)


def _region_box(region: dict) -> Box:
    """The box a region's name takes (anchored to a corner of the region), so no label covers it."""
    width, height = text_size(html.unescape(region["text"].replace("<b>", "").replace("</b>", "")), 14)
    x, y = FRAME.px(region["x"], region["y"])
    x += region.get("xshift", 0)
    y -= region.get("yshift", 0)
    x0 = x - width if region["xanchor"] == "right" else x
    y0 = y - height if region["yanchor"] == "bottom" else y
    return Box(x0 - 2, y0 - 2, x0 + width + 2, y0 + height + 2)


def _regions(rule: _Rule) -> list[dict]:
    """+Internet: the L-shaped rest of the plane; Internet+: the top-right box the rule's first two conditions allow."""
    x, y = rule.x_threshold, rule.y_threshold
    return [
        dict(type="path", name="plus_internet_region", path=f"M0,0 L100,0 L100,{y} L{x},{y} L{x},100 L0,100 Z",
             fillcolor=tint(PURPLE, 0.10), line=dict(width=0)),
        dict(type="rect", name="internet_plus_region", x0=x, x1=100, y0=y, y1=100,
             fillcolor=tint(GREEN, 0.14), line=dict(color=GREEN, width=1.5)),
    ]


def _region_labels(rule: _Rule, rubric: RubricSet, lang: str) -> list[dict]:
    label = dict(font=dict(size=14), xref="x", yref="y")
    out = [dict(label, text=f"<b>{plotly_escape(rubric.class_label('internet_plus', lang))}</b>", x=100,
                y=rule.y_threshold, xanchor="right", yanchor="bottom", xshift=-6, yshift=4)]
    if rule.x_threshold > 0 or rule.y_threshold > 0:
        at_left = rule.x_threshold > 0
        out.append(dict(label, text=f"<b>{plotly_escape(rubric.class_label('plus_internet', lang))}</b>",
                        x=0, y=100 if at_left else 0, xanchor="left", yanchor="top" if at_left else "bottom",
                        xshift=6, yshift=-4 if at_left else 4))
    return out


def _quadrant_summary(result: AssessmentView, others: list[AssessmentView], rule: _Rule, rubric: RubricSet,
                      y_title: str, lang: str) -> str:
    x, y = rule.point(result)
    label = rubric.class_label("internet_plus", lang)
    if x < rule.x_threshold or y < rule.y_threshold:
        where = t("charts_quadrant_outside", lang, label=label)
    elif rule.others and not rule.others_met(result):
        where = t("charts_quadrant_inside_unmet", lang, label=label, conditions=rule.others_text(rubric, lang))
    else:
        where = t("charts_quadrant_inside", lang, label=label)
    part = t("charts_quadrant_summary", lang, business=result.business, x_title=rule.x_title(rubric, lang),
             x=f"{x:.1f}", dimension=y_title, y=f"{y:.1f}", where=where, count=len(others))
    return sentence([part], lang)


def _quadrant_table(result: AssessmentView, others: list[AssessmentView], rule: _Rule, titles: tuple[str, str],
                    lang: str) -> pd.DataFrame:
    x_title, y_title = titles
    rows = []
    for item, this in [(result, True)] + [(a, False) for a in others]:
        x, y = rule.point(item)
        rows.append({"business": item.business, "this": this, "x": x, "y": y,
                     "others_met": rule.others_met(item), "class": item.class_label})
    columns = {"business": t("charts_col_business", lang), "this": t("charts_col_this_business", lang),
               "x": x_title, "y": y_title,
               "others_met": t("charts_col_other_conditions", lang), "class": t("charts_col_class", lang)}
    return data_table(rows, columns)

