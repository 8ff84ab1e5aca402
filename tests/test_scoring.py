"""Scores, the rule, the verdict's range over unknown answers, and the explanation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assessment.engine import compile_rubric, score_codes, score_range
from assessment.vocabulary import DONT_KNOW
from tests.conftest import answers_at, sheet_with
from tests.conftest import assessed as assess


def dimension_by_hand(rubric, answers, dimension_id):
    """Weighted mean of the dimension's units: a question, or a group counted by its best member."""
    dimension = next(d for d in rubric.dimensions if d.id == dimension_id)
    pct = {q.id: q.option(answers[q.id]).score / q.max_score * 100
           for q in dimension.questions if hasattr(q, "options")}
    grouped = {q for g in dimension.groups for q in g.questions}
    units = [(g.weight, max(pct[q] for q in g.questions)) for g in dimension.groups]
    units += [(q.weight, pct[q.id]) for q in dimension.questions if q.id in pct and q.id not in grouped]
    return sum(w * p for w, p in units) / sum(w for w, _ in units)


def test_scores_follow_the_documented_formula(rubric):
    answers = answers_at(rubric, {"user_first": 1, "connection": 2, "model_change": -1})
    answers["rd_platform"] = "own_capacity"  # one road low: only the best road counts
    result = assess(sheet_with(rubric, answers), rubric)
    expected = {d.id: dimension_by_hand(rubric, answers, d.id) for d in rubric.dimensions}
    for d in result.dimensions:
        assert d.score == pytest.approx(expected[d.id]) and d.low == d.high == d.score
    weights = {d.id: rubric.dimension_weight(d.id) for d in rubric.dimensions}
    overall = sum(expected[k] * weights[k] for k in expected) / sum(weights.values())
    assert result.overall == pytest.approx(overall)


def test_one_road_far_enough_counts_as_much_as_all_of_them(rubric):
    group = rubric.group_of("rd_made_to_order")
    base = answers_at(rubric, {"user_first": 2, "connection": 2, "model_change": 2})
    one_road = base | {q: rubric.question(q).options[0].id for q in group.questions} | {
        "rd_made_to_order": rubric.question("rd_made_to_order").options[-1].id}
    every_road = base | {q: rubric.question(q).options[-1].id for q in group.questions}
    assert (assess(sheet_with(rubric, one_road), rubric).dimension("model_change").score
            == pytest.approx(assess(sheet_with(rubric, every_road), rubric).dimension("model_change").score))


def test_every_number_can_be_retraced_from_the_answer_lines(rubric):
    answers = answers_at(rubric, {"user_first": 3, "connection": 1, "model_change": 2})
    result = assess(sheet_with(rubric, answers), rubric)
    assert sum(line.contribution_overall for line in result.lines) == pytest.approx(result.overall)
    for d in result.dimensions:
        assert sum(x.contribution_dimension for x in result.lines if x.dimension == d.id) == pytest.approx(d.score)
    for line in result.lines:
        assert line.percent == pytest.approx(line.points / line.max_points * 100)
    assert sum(1 for x in result.lines if x.group and x.counts) == 1  # the group counts once
    assert any(f"= {result.overall:.1f}." in sentence for sentence in result.explanation)


def test_retracing_also_holds_with_unknown_answers_at_the_low_end(rubric):
    answers = answers_at(rubric, 2)
    for question_id in list(answers)[::3]:
        answers[question_id] = DONT_KNOW
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.overall is None
    assert sum(line.contribution_overall for line in result.lines) == pytest.approx(result.overall_low)


def test_the_gate_best_connection_with_the_lowest_model_change_is_never_internet_plus(rubric):
    for user_first in (0, 2, -1):
        answers = answers_at(rubric, {"user_first": user_first, "connection": -1, "model_change": 0})
        result = assess(sheet_with(rubric, answers), rubric)
        assert result.dimension("connection").score == 100
        assert result.class_code == "plus_internet" and result.determined


def test_everything_at_the_top_is_internet_plus(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, -1)), rubric)
    assert result.class_code == "internet_plus" and result.class_label == "Internet+"
    assert result.margin > 0 and result.determined and not result.unknowns


def test_margin_is_the_weakest_condition_and_borderline_flags_closeness(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 2)), rubric)
    gaps = [c.gap for c in result.conditions]
    assert result.margin == pytest.approx(min(gaps))
    within = rubric.meta.classification.borderline_within
    assert result.borderline == (abs(result.margin) <= within)
    assert [c.met for c in result.conditions] == [g >= 0 for g in gaps]


def test_only_dont_know_is_undetermined_and_lists_the_questions_that_decide_it(rubric):
    answers = {q.id: DONT_KNOW for _, q in rubric.choice_questions()}
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.class_code == "undetermined" and not result.determined and result.margin is None
    assert (result.overall_low, result.overall_high) == (0.0, 100.0) and result.overall is None
    assert result.dont_know == result.questions and result.answered == 0
    assert len(result.unknowns) == result.questions and all(u.state == "dont_know" for u in result.unknowns)
    swings = [u.swing for u in result.unknowns]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert "Undetermined" in result.explanation[0] and result.unknowns[0].question in result.explanation[0]
    assert [c.met for c in result.conditions] == [None] * len(result.conditions)


def test_one_answer_at_the_top_no_longer_scores_overall_100(rubric):
    """The partial-sheet rule of 1.0 let one answer produce Overall 100 with model change 0."""
    result = assess(sheet_with(rubric, {"uf_user_relationship": "users_beyond_buyers"}), rubric)
    assert result.overall is None and result.overall_low < 10 and result.overall_high == 100
    assert result.dimension("model_change").low == 0 and result.dimension("model_change").high == 100
    assert result.class_code == "undetermined"


def test_unknowns_that_cannot_flip_the_verdict_say_so(rubric):
    low = answers_at(rubric, 0) | {"uf_user_relationship": DONT_KNOW, "mc_user_organisation": DONT_KNOW}
    result = assess(sheet_with(rubric, low), rubric)
    assert result.class_code == "plus_internet" and result.determined and result.provisional
    assert "whatever the 2 unanswered" in result.explanation[0]
    assert not any(u.decides for u in result.unknowns)
    high = answers_at(rubric, -1) | {"uf_onboarding": DONT_KNOW}
    result = assess(sheet_with(rubric, high), rubric)
    assert result.class_code == "internet_plus" and result.determined
    assert "Internet+ whatever the 1 unanswered or “don't know” question turns" in result.explanation[0]


def test_nothing_answered_is_undetermined(rubric):
    result = assess(sheet_with(rubric, {}), rubric)
    assert result.class_code == "undetermined" and result.answered == 0 and result.dont_know == 0
    assert all(u.state == "unanswered" for u in result.unknowns)
    assert not result.changes  # nothing known can move: answer the questions first


def test_partial_answers_report_completeness(rubric):
    partial = dict(list(answers_at(rubric, 2).items())[:5])
    result = assess(sheet_with(rubric, partial), rubric)
    assert result.answered == 5 and result.questions == len(rubric.choice_questions())
    assert result.completeness == pytest.approx(5 / result.questions) and result.provisional


def test_explanation_follows_the_language(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 1)), rubric, lang="zh")
    assert result.class_label == "+互联网"
    assert "被归类为" in result.explanation[0]
    assert result.lines[0].question == rubric.choice_questions()[0][1].text["zh"]
    unknown = assess(sheet_with(rubric, {}), rubric, lang="zh")
    assert unknown.class_label == "未定"


def test_the_first_three_sentences_carry_the_verdict_the_deciding_condition_and_the_road(rubric):
    answers = answers_at(rubric, {"user_first": 2, "connection": 2, "model_change": 1})
    answers["rd_made_to_order"] = "mostly_to_order"
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.explanation[0].startswith("Test business is classified +Internet")
    assert "What keeps it out" in result.explanation[1] and "short of the threshold" in result.explanation[1]
    assert "User-driven production" in result.explanation[2]
    assert result.best_road == "user_driven_production"


def test_recommendations_are_the_nearest_steps_ranked_by_gain(rubric):
    answers = answers_at(rubric, {"user_first": -1, "connection": 0, "model_change": 1})
    result = assess(sheet_with(rubric, answers), rubric, top=50)
    gains = [r.gain for r in result.recommendations]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert not any(r.dimension == "user_first" for r in result.recommendations)
    for rec in result.recommendations:
        question = rubric.question(rec.question_id)
        index = next(i for i, o in enumerate(question.options) if o.id == answers[rec.question_id])
        assert rec.next_answer == question.options[index + 1].label["en"]


def test_result_serialises_to_json_without_infinities(rubric):
    answers = answers_at(rubric, 1, cn_people_now=0, cn_people_reachable=10)
    payload = assess(sheet_with(rubric, answers), rubric).model_dump_json()
    assert "Infinity" not in payload and "NaN" not in payload


def test_notes_travel_with_their_answer_line(rubric):
    sheet = sheet_with(rubric, answers_at(rubric, 1)).model_copy(
        update={"notes": {"mc_product_nature": "see the 10-K"}})
    line = next(x for x in assess(sheet, rubric).lines if x.question_id == "mc_product_nature")
    assert line.note == "see the 10-K"


def test_matrix_scoring_keeps_rows_independent(rubric):
    engine = compile_rubric(rubric)
    rows = np.array([engine.codes(answers_at(rubric, level)) for level in (0, 1, 2, 3, 4)])
    rows[1, :4] = -1  # some unanswered
    rows[2, 5:9] = -2  # some "don't know"
    together = score_range(engine, rows)
    for i, row in enumerate(rows):
        alone = score_range(engine, row)
        assert together.low.overall[i] == pytest.approx(alone.low.overall[0])
        assert together.high.overall[i] == pytest.approx(alone.high.overall[0])
        assert together.class_codes[i] == alone.class_codes[0]
        assert math.isclose(np.nan_to_num(together.margin[i]), np.nan_to_num(alone.margin[0]))


def test_complete_codes_score_the_same_through_both_entry_points(rubric):
    engine = compile_rubric(rubric)
    codes = engine.codes(answers_at(rubric, 2))
    plain, ranged = score_codes(engine, codes), score_range(engine, codes)
    assert ranged.low is ranged.high and plain.overall[0] == ranged.low.overall[0]


def test_scoring_is_in_no_language_and_the_words_come_once_at_the_edge(rubric):
    """The core result holds ids and numbers; localise adds the words, the numbers unchanged."""
    import inspect

    from assessment.localise import localise
    from assessment.scoring import assess as assess_core

    assert "lang" not in inspect.signature(assess_core).parameters
    core = assess_core(sheet_with(rubric, answers_at(rubric, 1)), rubric)
    payload = core.model_dump_json()
    assert "How well does the business know" not in payload and "+Internet" not in payload
    english, chinese = localise(core, rubric, "en"), localise(core, rubric, "zh")
    assert english.class_label == "+Internet" and chinese.class_label == "+互联网"
    assert english.lines[0].question != chinese.lines[0].question
    numbers = {"overall_low", "overall_high", "margin", "class_code"}
    core_numbers = core.model_dump(include=numbers)
    assert english.model_dump(include=numbers) == chinese.model_dump(include=numbers) == core_numbers
