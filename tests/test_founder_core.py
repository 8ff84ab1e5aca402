"""The founder's work in the core: evidence links, the plan toward a target, snapshots and their diff,
changes to a saved work, and where notes and evidence show (answers file, CSV, report)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from assessment.answers import dump_answers, parse_answers
from assessment.charts.history import history_chart
from assessment.engine import compile_rubric, score_codes
from assessment.evidence import link_problem, parse_links
from assessment.export import answers_frame, restore, summary_frame, to_csv_bytes
from assessment.history import Snapshot, certain_class, history_frame, snapshot_diff
from assessment.models import RubricSet
from assessment.plan import PlanItem, Target, make_plan, nearest_steps, plan_frame, plan_progress, target_met
from assessment.report import report_html
from assessment.saved_work import SavedWork, WorkChange, apply_change, work_from_sheet
from assessment.scoring import assess as assess_ids
from assessment.verdict import worst_case
from tests.conftest import ROOT, answers_at, assessed, sheet_with
from tests.test_export import assert_no_formula_cells, cells

CAKE = ROOT / "data/examples/cake-shop.yaml"
NASTY = "<img src=x onerror=alert(1)>"


def cake(rubric: RubricSet):
    sheet, _ = parse_answers(CAKE.read_bytes(), CAKE.name, rubric)
    return sheet


@pytest.mark.parametrize("link", ["https://example.com/a?b=1", "http://localhost:8501/x", "HTTPS://EXAMPLE.COM"])
def test_http_links_are_evidence(link):
    assert link_problem(link) is None


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.com", "example.com", "https://",
                                  "data:text/html,<b>x</b>", "https://exa mple.com", "", "https://x/" + "a" * 2001])
def test_other_text_is_not_evidence(link):
    assert link_problem(link) is not None


def test_typed_links_keep_the_valid_ones_and_name_the_rest():
    links, problems = parse_links("https://a.example/1\n\n  https://a.example/1 \njavascript:x\nhttp://b.example")
    assert links == ["https://a.example/1", "http://b.example"]
    assert len(problems) == 1 and "javascript:x" in problems[0]


def test_notes_and_evidence_round_trip_through_the_answers_file(rubric: RubricSet):
    sheet = cake(rubric).model_copy(update={"notes": {"uf_free_offer": "Free tasting"},
                                            "evidence": {"uf_free_offer": ["https://example.com/menu"]}})
    loaded, problems = parse_answers(dump_answers(sheet), "mine.yaml", rubric)
    assert problems == [] and loaded.notes == sheet.notes and loaded.evidence == sheet.evidence
    broken = dump_answers(sheet).replace("https://example.com/menu", "javascript:alert(1)")
    with pytest.raises(Exception, match="evidence"):
        parse_answers(broken, "mine.yaml", rubric)


def test_a_note_and_a_link_reach_results_the_csv_and_the_report_as_text(rubric: RubricSet):
    link = 'https://example.com/"><script>alert(1)</script>'
    sheet = cake(rubric).model_copy(update={"notes": {"uf_free_offer": NASTY}, "evidence": {"uf_free_offer": [link]}})
    result = assessed(sheet, rubric)
    line = next(x for x in result.lines if x.question_id == "uf_free_offer")
    assert (line.note, line.evidence) == (NASTY, [link])
    data = to_csv_bytes(answers_frame(sheet, result, rubric))
    assert_no_formula_cells(data)
    header, *rows = cells(data)
    row = dict(zip(header, next(r for r in rows if r[header.index("question_id")] == "uf_free_offer"), strict=True))
    assert (row["note"], row["evidence"]) == (NASTY, link)
    page = report_html(sheet, result, rubric, others=[])
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and NASTY not in page
    assert "https://example.com/&#34;&gt;&lt;script&gt;" in page and "<script>alert(1)" not in page
    assert f'href="{link}' not in page  # shown, never linked


def test_an_internet_plus_plan_is_the_path_of_what_would_change_the_verdict(rubric: RubricSet):
    sheet = cake(rubric)
    result = assess_ids(sheet, rubric)
    plan = nearest_steps(sheet.answers, rubric, Target())
    assert [(p.question_id, p.from_id, p.to_id) for p in plan] == [(c.question_id, c.from_id, c.to_id)
                                                                   for c in result.changes]
    after = dict(sheet.answers) | {p.question_id: p.to_id for p in plan}
    assert not target_met(sheet.answers, rubric, Target()) and target_met(after, rubric, Target())
    assert nearest_steps(after, rubric, Target()) == []


def test_levels_are_reached_one_option_at_a_time_the_biggest_rise_first(rubric: RubricSet):
    answers = answers_at(rubric, 0)
    target = Target(kind="levels", levels={"user_first": 40, "connection": 0, "model_change": 0})
    plan = nearest_steps(answers, rubric, target)
    assert plan and {p.dimension for p in plan} == {"user_first"}
    rises = [p.dimension_gain for p in plan]
    engine = compile_rubric(rubric)
    codes = engine.codes(answers)
    user_first = engine.dimension_ids.index("user_first")
    for step in plan:
        q = engine.question_ids.index(step.question_id)
        assert engine.option_ids[q].index(step.to_id) == engine.option_ids[q].index(step.from_id) + 1
        codes[q] += 1
    reached = score_codes(engine, worst_case(engine, codes, up=True)).dimensions[0, user_first]
    assert reached >= 40
    codes_before_last = codes.copy()
    last = engine.question_ids.index(plan[-1].question_id)
    codes_before_last[last] -= 1
    assert score_codes(engine, codes_before_last).dimensions[0, user_first] < 40  # no step more than needed
    assert rises[0] == max(rises)
    assert nearest_steps(answers, rubric, Target(kind="levels", levels={"user_first": 0})) == []


def test_remaking_a_plan_keeps_what_was_set_on_the_steps_that_remain(rubric: RubricSet):
    sheet = cake(rubric)
    first = make_plan(sheet.answers, rubric, Target())
    edited = [first[0].model_copy(update={"owner": "Mia", "due": dt.date(2027, 3, 1), "status": "doing"}), *first[1:]]
    again = make_plan(sheet.answers, rubric, Target(), previous=edited)
    assert again[0].owner == "Mia" and again[0].due == dt.date(2027, 3, 1) and again[0].status == "doing"
    assert plan_progress(again) == (0, len(again))
    frame = plan_frame(again, rubric, "zh")
    assert list(frame["step"]) == list(range(1, len(again) + 1))
    assert frame.loc[0, "owner"] == "Mia" and frame.loc[0, "due"] == "2027-03-01"
    assert frame.loc[0, "status_label"] == "进行中"
    assert_no_formula_cells(to_csv_bytes(frame))


def _snapshot(number: int, work: SavedWork, minute: int) -> Snapshot:
    return Snapshot(number=number, taken_at=dt.datetime(2027, 1, 1, 9, minute, tzinfo=dt.UTC), reason="saved",
                    work=work)


def test_history_rows_are_the_summary_of_each_snapshot(rubric: RubricSet):
    base = work_from_sheet(cake(rubric))
    better = base.model_copy(update={"answers": base.answers | answers_at(rubric, -1)})
    done = PlanItem(question_id="uf_free_offer", dimension="user_first", from_id="a", to_id="b", overall_gain=1,
                    dimension_gain=1, status="done")
    planned = better.model_copy(update={"plan": [done, done.model_copy(update={"status": "todo"})]})
    snaps = [_snapshot(2, better, 5), _snapshot(1, base, 1), _snapshot(3, planned, 9)]
    frame = history_frame(snaps, rubric, "en")
    assert list(frame["snapshot"]) == [1, 2, 3] and frame.loc[0, "taken_at"] == "2027-01-01 09:01"
    summary = summary_frame([base.sheet(rubric), better.sheet(rubric)], rubric)
    for column in ("overall", "score_model_change", "class_code", "margin"):
        assert list(frame[column].astype(str))[:2] == list(summary[column].astype(str))
    assert list(frame["class_code"]) == ["plus_internet", "internet_plus", "internet_plus"]
    assert (frame.loc[0, "margin_signed"] < 0) and (frame.loc[1, "margin_signed"] > 0)
    assert list(frame["plan_done"]) == [0, 0, 1] and list(frame["plan_total"]) == [0, 0, 2]
    chart = history_chart(frame, rubric, "en")
    assert list(chart.data["Snapshot"]) == ["#1", "#2", "#3"]
    assert list(chart.data["Overall"]) == list(frame["overall_low"])
    assert len(chart.figure.data) == len(rubric.dimensions) + 2 and "Internet+" in chart.summary
    assert_no_formula_cells(to_csv_bytes(frame))


def test_the_diff_lists_only_what_changed(rubric: RubricSet):
    before = work_from_sheet(cake(rubric))
    question = rubric.question("uf_free_offer")
    current = before.answers["uf_free_offer"]
    higher = question.options[question.options.index(question.option(current)) + 1].id
    after = before.model_copy(update={"answers": {**before.answers, "uf_free_offer": higher, "cn_people_now": 5.0},
                                      "notes": {"mc_product_nature": "=cmd|' /C calc'!A0"}})
    del after.answers["mc_value_capture"]
    diff = snapshot_diff(before, after, rubric, "en")
    assert set(diff["question_id"]) == {"uf_free_offer", "cn_people_now", "mc_value_capture", "mc_product_nature"}
    row = diff.set_index("question_id").loc["uf_free_offer"]
    assert (row["before_id"], row["after_id"], row["direction"]) == (current, higher, "up")
    assert row["score_after"] > row["score_before"]
    assert diff.set_index("question_id").loc["mc_value_capture", "direction"] == "withdrawn"
    assert diff.set_index("question_id").loc["mc_product_nature", "direction"] == "changed"
    assert snapshot_diff(before, before, rubric).empty
    data = to_csv_bytes(diff)
    assert_no_formula_cells(data)
    assert "=cmd|' /C calc'!A0" in set(restore(__import__("pandas").read_csv(__import__("io").BytesIO(data)))
                                        ["note_after"].dropna())


def test_changes_merge_clear_and_undo(rubric: RubricSet):
    work = SavedWork(business="A", answers={"x": "y"}, notes={"x": "n"})
    changed, undo = apply_change(work, None, WorkChange(answers={"z": 3.0, "x": None}, notes={"x": ""},
                                                        fields={"sector": "Food"}))
    assert changed.answers == {"z": 3.0} and changed.notes == {} and changed.sector == "Food" and undo is None
    cleared, undo = apply_change(changed, None, WorkChange(clear=True))
    assert cleared.is_empty() and undo == changed
    restored, undo = apply_change(cleared, undo, WorkChange(undo=True))
    assert restored == changed and undo is None
    assert apply_change(restored, None, WorkChange(undo=True)) == (restored, None)  # nothing to undo


def test_the_verdict_that_takes_a_snapshot_is_the_certain_one(rubric: RubricSet):
    sheet = cake(rubric)
    assert certain_class(sheet.answers, rubric) == "plus_internet"
    assert certain_class({}, rubric) is None
    plus = sheet_with(rubric, answers_at(rubric, -1))
    assert certain_class(plus.answers, rubric) == "internet_plus"
    assert np.isfinite(assessed(plus, rubric).overall)
