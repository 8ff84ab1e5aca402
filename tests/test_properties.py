"""Properties over random answer sheets: bounds, monotonicity, batch = one by one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.batch import score_frame
from assessment.engine import compile_rubric, score_range
from assessment.export import summary_frame
from assessment.rubrics import load_rubric_dir
from tests.conftest import sheet_with

RUBRIC = load_rubric_dir()
QUESTIONS = [q for _, q in RUBRIC.choice_questions()]
ENGINE = compile_rubric(RUBRIC)


@st.composite
def answer_sheets(draw):
    """Each question: unanswered (None) or an option index."""
    return [draw(st.one_of(st.none(), st.integers(0, len(q.options) - 1))) for q in QUESTIONS]


def to_answers(indices):
    return {q.id: q.options[i].id for q, i in zip(QUESTIONS, indices, strict=True) if i is not None}


def scores_of(indices):
    return score_range(ENGINE, ENGINE.codes(to_answers(indices)))


@settings(max_examples=300, deadline=None)
@given(answer_sheets())
def test_scores_stay_within_0_and_100(indices):
    scores = scores_of(indices)
    for end in (scores.low, scores.high):
        values = np.concatenate([end.dimensions[0], end.overall])
        assert ((values >= 0) & (values <= 100)).all()
    assert (scores.low.dimensions <= scores.high.dimensions + 1e-9).all()
    assert 0 <= scores.completeness[0] <= 1
    if scores.answered[0] == len(QUESTIONS):
        assert scores.determined[0]


@settings(max_examples=300, deadline=None)
@given(answer_sheets(), st.data())
def test_improving_one_answer_never_lowers_any_score(indices, data):
    answered = [i for i, v in enumerate(indices) if v is not None and v < len(QUESTIONS[i].options) - 1]
    if not answered:
        return
    q = data.draw(st.sampled_from(answered))
    better = list(indices)
    better[q] = data.draw(st.integers(indices[q] + 1, len(QUESTIONS[q].options) - 1))
    before, after = scores_of(indices), scores_of(better)
    for end in ("low", "high"):
        b, a = getattr(before, end), getattr(after, end)
        assert np.all(a.dimensions >= b.dimensions - 1e-9)
        assert a.overall[0] >= b.overall[0] - 1e-9 and a.margin[0] >= b.margin[0] - 1e-9
        assert a.internet_plus[0] >= b.internet_plus[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answer_sheets(), min_size=1, max_size=12))
def test_batch_equals_one_by_one(sheets):
    frame = pd.DataFrame([{"business": f"B{i}", **to_answers(s)} for i, s in enumerate(sheets)])
    batch, problems = score_frame(frame, RUBRIC)
    assert not [p for p in problems if p.severity == "error"]
    for i, indices in enumerate(sheets):
        alone = summary_frame([sheet_with(RUBRIC, to_answers(indices), f"B{i}")], RUBRIC)
        for column in ("overall", "margin", "class_code", "borderline", "completeness", "score_model_change"):
            left, right = batch[column][i], alone[column][0]
            assert (pd.isna(left) and pd.isna(right)) or left == right, column
