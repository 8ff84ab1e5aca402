"""Labelled points: every example and question marker named beside its point, no two labels overlapping."""

from __future__ import annotations

import html
import itertools

import pytest

from assessment import charts
from assessment.charts.labels import Box, Frame, Point, place, text_size
from assessment.charts.priority import code_list
from assessment.charts.quadrant import FRAME, short_name
from assessment.charts.scores import question_codes
from assessment.examples import example_assessments


def _frame(figure) -> Frame:
    layout = figure.layout
    margin = dict(l=layout.margin.l, r=layout.margin.r, t=layout.margin.t, b=layout.margin.b)
    return Frame(layout.width, layout.height, margin, tuple(layout.xaxis.range), tuple(layout.yaxis.range))


def _boxes(figure) -> list[tuple[str, Box]]:
    """Where each annotation's text lands, in figure pixels, read back from the figure as plotly will draw it."""
    frame = _frame(figure)
    out = []
    for note in figure.layout.annotations:
        if note.xref != "x":
            continue
        text = html.unescape(note.text.replace("<b>", "").replace("</b>", ""))
        size = (note.font.size if note.font and note.font.size else 13)
        width, height = text_size(text, size)
        x, y = frame.px(note.x, note.y)
        if note.showarrow:
            x, y = x + note.ax, y + note.ay
            out.append((text, Box.around(x, y, width, height)))
            continue
        x, y = x + (note.xshift or 0), y - (note.yshift or 0)
        x0 = {"left": x, "right": x - width}.get(note.xanchor, x - width / 2)
        y0 = {"top": y, "bottom": y - height}.get(note.yanchor, y - height / 2)
        out.append((text, Box(x0, y0, x0 + width, y0 + height)))
    return out


def _markers(figure) -> list[Box]:
    frame = _frame(figure)
    boxes = []
    for trace in figure.data:
        size = trace.marker.size
        for x, y in zip(trace.x, trace.y, strict=True):
            px, py = frame.px(x, y)
            boxes.append(Box.around(px, py, size, size))
    return boxes


def _assert_clear(figure) -> list[str]:
    boxes = _boxes(figure)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    plot = _frame(figure).plot
    markers = _markers(figure)
    for text, box in boxes:
        assert box.inside(plot), text
        assert not any(box.overlaps(m) for m in markers), text
    return [text for text, _ in boxes]


@pytest.fixture(scope="module", params=["en", "zh"])
def examples(request, rubric):
    return request.param, example_assessments(rubric, request.param)


def test_every_example_is_named_on_the_quadrant_and_no_names_overlap(rubric, examples):
    lang, others = examples
    for this in others:
        figure = charts.quadrant_chart(this, others, rubric, lang).figure
        texts = _assert_clear(figure)
        named = {a.business for a in others}
        starts = {short_name(name, 12).rstrip("…") for name in named}
        assert all(any(text.startswith(start) for text in texts) for start in starts), this.business
        assert figure.layout.width == FRAME.width and figure.layout.margin.autoexpand is False


def test_every_question_marker_carries_its_codes_and_no_labels_overlap(rubric, examples):
    lang, others = examples
    codes = set(question_codes(rubric, lang).values())
    for this in others:
        figure = charts.priority_chart(this, rubric, lang).figure
        texts = _assert_clear(figure)
        labelled = {c for text in texts for c in text.replace("–", ", ").split(", ")}
        markers = sum(len(trace.x) for trace in figure.data)
        assert len(texts) == markers + 1  # one label per marker, and the corner's note
        numbered = question_codes(rubric, lang)
        answered = {numbered[line.question_id] for line in this.lines if line.percent is not None}
        ends = {c for c in labelled if c in codes}
        assert ends and ends <= answered


def test_placement_is_deterministic_and_never_overlaps_even_when_every_point_is_on_one_spot():
    frame = Frame(400, 300, dict(l=40, r=20, t=20, b=40), (0, 10), (0, 10))
    points = [Point(5, 5, 6)] * 30
    texts = [(i, f"Business number {i}") for i in range(30)]
    first = place(frame, points, texts, 11)
    assert first == place(frame, points, texts, 11)
    boxes = [label.box for label in first if label is not None]
    assert len(boxes) >= 4 and all(b.inside(frame.plot) for b in boxes)  # those that fit; the rest left out
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_wide_characters_take_a_full_em():
    assert text_size("蛋糕店", 10)[0] > text_size("abc", 10)[0] + 10


def test_codes_are_unique_short_and_runs_are_shortened(rubric):
    for lang in ("en", "zh"):
        codes = question_codes(rubric, lang)
        assert len(set(codes.values())) == len(codes) == len(rubric.questions())
        assert all(len(c) <= 4 for c in codes.values())
    assert code_list(["P6", "P7", "P8", "P9", "P10"]) == "P6–P10"
    assert code_list(["U2", "U5", "C1", "C2"]) == "U2, U5, C1, C2"
