"""Scores, the rule, the margin, the explanation and what would change the verdict."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from assessment.engine import compile_rubric, score_codes
from assessment.scoring import assess
from assessment.verdict import flip_plan
from tests.conftest import answers_at, sheet_with


def dimension_by_hand(rubric, answers, dimension_id):
    num = den = 0.0
    for dimension, question in rubric.choice_questions():
        if dimension.id != dimension_id or question.id not in answers:
            continue
        pct = question.option(answers[question.id]).score / question.max_score * 100
        num += question.weight * pct
        den += question.weight
    return num / den


def test_scores_follow_the_documented_formula(rubric):
    answers = answers_at(rubric, {"user_first": 1, "connection": 2, "model_change": -1})
    result = assess(sheet_with(rubric, answers), rubric)
    expected = {d.id: dimension_by_hand(rubric, answers, d.id) for d in rubric.dimensions}
    for d in result.dimensions:
        assert d.score == pytest.approx(expected[d.id])
    weights = {d.id: rubric.dimension_weight(d.id) for d in rubric.dimensions}
    overall = sum(expected[k] * weights[k] for k in expected) / sum(weights.values())
    assert result.overall == pytest.approx(overall)


def test_every_number_can_be_retraced_from_the_answer_lines(rubric):
    answers = answers_at(rubric, {"user_first": 3, "connection": 1, "model_change": 2})
    result = assess(sheet_with(rubric, answers), rubric)
    assert sum(line.contribution_overall for line in result.lines) == pytest.approx(result.overall)
    for d in result.dimensions:
        assert sum(l.contribution_dimension for l in result.lines if l.dimension == d.id) == pytest.approx(d.score)
    for line in result.lines:
        assert line.percent == pytest.approx(line.points / line.max_points * 100)
    assert any(f"= {result.overall:.1f}." in sentence for sentence in result.explanation)


def test_connection_alone_never_makes_internet_plus(rubric):
    answers = answers_at(rubric, {"user_first": 0, "connection": -1, "model_change": 0})
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.dimension("connection").score == 100
    assert result.class_code == "plus_internet"


def test_model_change_is_required_even_with_everything_else_at_the_top(rubric):
    answers = answers_at(rubric, {"user_first": -1, "connection": -1, "model_change": 1})
    assert assess(sheet_with(rubric, answers), rubric).class_code == "plus_internet"
    answers = answers_at(rubric, -1)
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.class_code == "internet_plus" and result.class_label == "Internet+"


def test_margin_is_the_weakest_condition_and_borderline_flags_closeness(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 2)), rubric)
    gaps = [c.gap for c in result.conditions]
    assert result.margin == pytest.approx(min(gaps))
    within = rubric.meta.classification.borderline_within
    assert result.borderline == (abs(result.margin) <= within)
    assert [c.met for c in result.conditions] == [g >= 0 for g in gaps]


def test_partial_answers_report_completeness_and_a_provisional_result(rubric):
    answers = answers_at(rubric, 2)
    partial = dict(list(answers.items())[:5])
    result = assess(sheet_with(rubric, partial), rubric)
    assert result.answered == 5 and result.questions == len(rubric.choice_questions())
    assert result.completeness == pytest.approx(5 / result.questions)
    assert result.provisional
    assert any("Provisional: 5 of" in s for s in result.explanation)


def test_nothing_answered_scores_nothing(rubric):
    result = assess(sheet_with(rubric, {}), rubric)
    assert result.overall is None and all(d.score is None for d in result.dimensions)
    assert result.class_code == "plus_internet"
    assert result.changes  # answering the right questions would still make it Internet+


def test_explanation_follows_the_language(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 1)), rubric, lang="zh")
    assert result.class_label == "+互联网"
    assert "被归类为" in result.explanation[0]
    assert result.lines[0].question == rubric.choice_questions()[0][1].text["zh"]


def apply_changes(rubric, answers, result):
    changed = dict(answers)
    for change in result.changes:
        question = rubric.question(change.question_id)
        changed[change.question_id] = next(o.id for o in question.options if o.label["en"] == change.to_answer)
    return changed


@pytest.mark.parametrize("level", [0, 1, 2, 3, -1])
def test_applying_the_changes_flips_the_verdict(rubric, level):
    answers = answers_at(rubric, level)
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.changes
    flipped = assess(sheet_with(rubric, apply_changes(rubric, answers, result)), rubric)
    assert flipped.class_code != result.class_code
    assert flipped.overall == pytest.approx(result.overall_after_changes)


def test_changes_are_ranked_by_score_gained_per_step(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 0)), rubric)
    per_step = [abs(c.gain_per_step) for c in result.changes]
    assert per_step == sorted(per_step, reverse=True)
    for change in result.changes:
        assert change.gain_per_step == pytest.approx(change.overall_gain / change.steps)


def test_the_plan_uses_the_fewest_changes(rubric):
    """Brute force over every set of up to k top-option moves confirms no smaller set flips."""
    answers = answers_at(rubric, {"user_first": 2, "connection": 2, "model_change": 1})
    engine = compile_rubric(rubric)
    plan = flip_plan(engine, answers)
    assert plan.to_internet_plus and plan.found
    codes = engine.codes(answers)
    top = engine.top_option
    candidates = [q for q in range(len(codes)) if codes[q] < top[q]]
    for k in range(1, len(plan.moves)):
        combos = list(itertools.combinations(candidates, k))
        trial = np.repeat(codes[None, :], len(combos), axis=0)
        for i, combo in enumerate(combos):
            trial[i, list(combo)] = top[list(combo)]
        assert not score_codes(engine, trial).internet_plus.any(), f"{k} changes would do"


def test_an_internet_plus_business_learns_what_would_lose_it(rubric):
    answers = answers_at(rubric, -1)
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.class_code == "internet_plus"
    assert result.changes and result.changes_to == "+Internet"
    assert all(c.overall_gain < 0 for c in result.changes)
    flipped = assess(sheet_with(rubric, apply_changes(rubric, answers, result)), rubric)
    assert flipped.class_code == "plus_internet"


def test_recommendations_are_ranked_by_potential_gain_and_skip_top_answers(rubric):
    answers = answers_at(rubric, {"user_first": -1, "connection": 0, "model_change": 1})
    result = assess(sheet_with(rubric, answers), rubric, top=50)
    gains = [r.potential_gain for r in result.recommendations]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert not any(r.dimension == "user_first" for r in result.recommendations)
    assert all(r.recommendation for r in result.recommendations)


def test_result_serialises_to_json_without_infinities(rubric):
    answers = answers_at(rubric, 1, cn_people_now=0, cn_people_reachable=10)
    payload = assess(sheet_with(rubric, answers), rubric).model_dump_json()
    assert "Infinity" not in payload and "NaN" not in payload


def test_matrix_scoring_keeps_rows_independent(rubric):
    engine = compile_rubric(rubric)
    rows = np.array([engine.codes(answers_at(rubric, level)) for level in (0, 1, 2, 3, 4)])
    rows[1, :4] = -1  # some unanswered
    together = score_codes(engine, rows)
    for i, row in enumerate(rows):
        alone = score_codes(engine, row)
        assert together.overall[i] == pytest.approx(alone.overall[0])
        assert math.isclose(together.margin[i], alone.margin[0])
