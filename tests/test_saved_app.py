"""A founder's work in the app (AppTest): saved as it changes, opened again by its private link, copies of
examples, Clear then Undo, notes and evidence, snapshots and their diff, a target and a plan, My assessments."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from assessment.ui import workshop_state
from tests.conftest import ROOT
from tests.test_app import RUBRIC, markdown_table, option, plain

PAGES = "assessment/ui/pages/"


def fresh(**params: str) -> AppTest:
    """A new browser session (a reload, another tab) opening the app with these URL parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES + page + ".py").run()
    assert not at.exception, at.exception
    return at


def link(at: AppTest) -> dict[str, str]:
    """The private link's parameters as the address bar holds them."""
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    return {k: params[k] for k in ("a", "n") if k in params}


def answer(at: AppTest, question_id: str, index: int) -> AppTest:
    at.radio(key=f"q_{question_id}").set_value(option(question_id, index)).run()
    at.run()  # the answer reran its fragments only; AppTest then holds just those, so draw the whole page again
    assert not at.exception, at.exception
    return at


def test_work_is_saved_as_it_changes_and_the_link_opens_it_after_a_restart():
    at = fresh()
    assert link(at) == {}  # nothing saved, no link yet
    at.text_input(key="meta_business").input("Corner Bakery").run()
    answer(at, "uf_free_offer", 2)
    answer(at, "mc_product_nature", 1)
    at.number_input(key="q_cn_people_now").set_value(1200).run()
    at.run()  # the answer reran its fragments only: draw the whole page again
    saved = link(at)
    assert saved["n"] == "1" and len(saved["a"]) >= 22
    stored = workshop_state.store().open_saved(saved["a"], 1).work
    assert (stored.rubric_id, stored.rubric_version) == (RUBRIC.id, RUBRIC.version)
    assert any(saved["a"] in c.value for c in at.code)  # the private link is shown on Assess
    workshop_state.store.clear()  # a restarted server: a new store on the same database
    again = fresh(**saved)
    assert again.text_input(key="meta_business").value == "Corner Bakery"
    assert again.radio(key="q_uf_free_offer").value == option("uf_free_offer", 2)
    assert again.radio(key="q_mc_product_nature").value == option("mc_product_nature", 1)
    assert again.number_input(key="q_cn_people_now").value == 1200
    assert "3 of 31 questions answered" in again.sidebar.get("progress")[0].proto.text


def test_an_example_link_opens_a_copy_that_keeps_its_edits_and_never_overwrites():
    at = fresh(example="cake-shop")
    assert link(at) == {}  # only looking: nothing saved
    answer(at, "uf_free_offer", 0)
    mine = link(at)
    assert mine["n"] == "1" and "example" not in at.query_params
    reloaded = fresh(**mine)
    assert reloaded.radio(key="q_uf_free_offer").value == option("uf_free_offer", 0)
    assert reloaded.text_input(key="meta_business").value == "Sweet Crumbs Cake Shop"
    # The same example again, with the founder's key: a second copy; the first keeps its edit.
    second = fresh(a=mine["a"], example="cake-shop")
    assert second.radio(key="q_uf_free_offer").value == "promotions_only"  # the example as shipped
    answer(second, "mc_product_nature", 2)
    assert link(second) == {"a": mine["a"], "n": "2"}
    assert fresh(**mine).radio(key="q_uf_free_offer").value == option("uf_free_offer", 0)


def test_clear_asks_first_and_undo_restores_everything():
    at = fresh(example="hotel-online-booking")
    answer(at, "uf_free_offer", 3)
    at.button(key="clear_answers").click().run()
    assert at.radio(key="q_uf_free_offer").value == option("uf_free_offer", 3)  # nothing cleared yet
    assert any("undo it" in w.value for w in at.warning)
    at.button(key="clear_cancel").click().run()
    assert at.radio(key="q_uf_free_offer").value == option("uf_free_offer", 3)
    at.button(key="clear_answers").click().run()
    at.button(key="clear_confirm").click().run()
    assert at.radio(key="q_uf_free_offer").value is None and at.text_input(key="meta_business").value == ""
    assert "0 of 31 questions answered" in at.sidebar.get("progress")[0].proto.text
    reloaded = fresh(**link(at))  # the clear is saved, and so is what it replaced
    assert reloaded.radio(key="q_uf_free_offer").value is None
    reloaded.button(key="undo_clear").click().run()
    assert reloaded.radio(key="q_uf_free_offer").value == option("uf_free_offer", 3)
    assert reloaded.text_input(key="meta_business").value.startswith("Grand Riverside Hotel")
    assert "31 of 31 questions answered" in reloaded.sidebar.get("progress")[0].proto.text


def test_a_note_and_links_are_saved_as_text_and_shown_in_results():
    at = fresh(example="cake-shop")
    at.session_state["notes_open_uf_free_offer"] = True  # open the question's "Note and evidence"
    at.run()
    at.text_area(key="note_uf_free_offer").input("<b>Tasting</b> every Saturday").run()
    at.text_area(key="links_uf_free_offer").input("https://example.com/menu\njavascript:alert(1)").run()
    assert not at.exception, at.exception
    assert any("javascript:alert(1)" in plain(w.value) for w in at.warning)  # named, not saved
    again = fresh(**link(at))
    work = again.session_state["founder_work"]
    assert work.notes == {"uf_free_offer": "<b>Tasting</b> every Saturday"}
    assert work.evidence == {"uf_free_offer": ["https://example.com/menu"]}
    again.session_state["retrace"] = True  # open "How every number is computed"
    on(again, "results")
    table = next(m.value for m in again.markdown if m.value.startswith("| Dimension | Question"))
    assert "\\<b\\>Tasting\\</b\\> every Saturday" in table and "https\\:" in table and "](" not in table


def test_snapshots_chart_the_trend_and_diff_two_of_them():
    at = fresh(example="cake-shop")
    answer(at, "uf_free_offer", 0)
    on(at, "history")
    at.button(key="history_take").click().run()
    on(at, "assess")
    answer(at, "uf_free_offer", 4)
    answer(at, "mc_product_nature", 2)
    on(at, "history")
    at.button(key="history_take").click().run()
    assert not at.exception, at.exception
    at.session_state["data_history"] = True  # open the chart's data table (drawn only when opened)
    at.run()
    header, *rows = markdown_table(at, "Snapshot")
    assert [row[0] for row in rows] == ["\\#1", "\\#2"]
    overall = header.index("Overall")
    assert float(plain(rows[1][overall])) > float(plain(rows[0][overall]))
    diff_header, *diff = markdown_table(at, "Question", last=True)
    assert len(diff) == 2 and {plain(r[diff_header.index("Change")]) for r in diff} == {"↑ up"}
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["History CSV", "Differences CSV"]


def test_a_verdict_change_takes_a_snapshot_by_itself():
    at = fresh(example="ride-hailing-platform")  # Internet+
    answer(at, "uf_free_offer", 3)  # saved; the verdict is recorded
    for question_id in ("rd_platform", "rd_made_to_order", "rd_connected_product", "rd_ecosystem", "rd_online_offline"):
        answer(at, question_id, 0)  # no road left: +Internet
    on(at, "history")
    at.session_state["data_history"] = True
    at.run()
    header, *rows = markdown_table(at, "Snapshot")
    assert len(rows) == 1 and plain(rows[0][header.index("Class")]) == "+Internet"


def test_a_plan_keeps_owner_date_and_status_across_a_reload():
    at = fresh(example="cake-shop")
    on(at, "plan")
    at.button(key="plan_make").click().run()
    assert not at.exception, at.exception
    work = at.session_state["founder_work"]
    assert len(work.plan) >= 2
    first, second = work.plan[0].key, work.plan[1].key
    at.text_input(key=f"plan_owner_{first}").input("Mia").run()
    at.date_input(key=f"plan_due_{first}").set_value(dt.date(2027, 3, 1)).run()
    at.segmented_control(key=f"plan_status_{second}").set_value("done").run()
    assert not at.exception, at.exception
    assert any("1 of" in p.proto.text for p in at.get("progress"))
    again = on(fresh(**link(at)), "plan")
    assert again.text_input(key=f"plan_owner_{first}").value == "Mia"
    assert again.date_input(key=f"plan_due_{first}").value == dt.date(2027, 3, 1)
    assert again.segmented_control(key=f"plan_status_{second}").value == "done"
    assert [b.label for b in again.get("download_button")] == ["Plan CSV"]


def test_a_target_per_dimension_makes_a_plan_for_that_dimension():
    at = on(fresh(example="cake-shop"), "plan")
    at.radio(key="plan_kind").set_value("levels").run()
    at.number_input(key="plan_level_user_first").set_value(90.0).run()
    at.number_input(key="plan_level_connection").set_value(0.0).run()
    at.number_input(key="plan_level_model_change").set_value(0.0).run()
    at.button(key="plan_make").click().run()
    work = at.session_state["founder_work"]
    assert work.target.kind == "levels" and work.target.levels["user_first"] == 90
    assert work.plan and {item.dimension for item in work.plan} == {"user_first"}


def test_my_assessments_lists_and_opens_each_one():
    at = fresh(example="cake-shop")
    answer(at, "uf_free_offer", 0)
    at.switch_page(PAGES + "assess.py")
    second = fresh(a=link(at)["a"], example="mobile-wallet")
    answer(second, "uf_free_offer", 0)
    on(second, "mine")
    header, *rows = markdown_table(second, "No\\.")
    businesses = [plain(r[header.index("Business")]) for r in rows]
    assert businesses[0].startswith("Mobile wallet") and businesses[1] == "Sweet Crumbs Cake Shop"
    second.button(key="mine_open_1").click().run()
    assert not second.exception, second.exception
    assert second.text_input(key="meta_business").value == "Sweet Crumbs Cake Shop"
    assert link(second)["n"] == "1"


def test_a_link_that_opens_nothing_says_so():
    at = fresh(a="x" * 32, n="1")
    assert any("opens no saved assessment" in e.value for e in at.error)
    assert "a" not in at.query_params


def test_results_and_export_carry_the_plan_and_the_history():
    at = on(fresh(example="cake-shop"), "plan")
    at.button(key="plan_make").click().run()
    on(at, "history")
    at.button(key="history_take").click().run()
    on(at, "results")
    assert any("Plan: 0 of" in plain(m.value) for m in at.markdown)
    on(at, "export")
    labels = [b.label for b in at.get("download_button")]
    assert labels[-2:] == ["History CSV", "Plan CSV"]


def test_clearing_an_example_copy_before_any_change_can_be_undone_after_a_reload():
    at = fresh(example="cake-shop")
    at.button(key="clear_answers").click().run()
    at.button(key="clear_confirm").click().run()
    assert at.radio(key="q_uf_free_offer").value is None and link(at)["n"] == "1"  # the clear is the first change
    at.button(key="undo_clear").click().run()
    again = fresh(**link(at))
    assert again.radio(key="q_uf_free_offer").value == "promotions_only"
    assert again.text_input(key="meta_business").value == "Sweet Crumbs Cake Shop"
