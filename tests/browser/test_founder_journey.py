"""A founder over time in a real browser: snapshots and their trend, a note and a link carried everywhere,
a plan whose owners, dates and statuses last."""

from __future__ import annotations

import shutil

import pytest

from assessment.export import FORMULA_START
from assessment.ui.text import WORD_JOINER
from tests.browser.conftest import settle
from tests.browser.helpers import choose, csv_rows, download, go, open_expander, open_page

pytestmark = pytest.mark.browser

KNOW = "1. How well does the business know the people it serves?"
FREE = "2. Does the business give real value away free to gain users?"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def snapshot(page) -> None:
    go(page, "History")
    page.get_by_role("button", name="Save a snapshot now").click()
    settle(page)


def table_rows(page, first_header: str) -> list[list[str]]:
    """A markdown table's rows (header first) by its first column's header."""
    table = page.locator("table", has=page.locator("th", has_text=first_header)).last
    return [[cell.inner_text().replace(WORD_JOINER, "").strip() for cell in row.locator("th, td").all()]
            for row in table.locator("tr").all()]


def test_three_snapshots_chart_the_trend_and_diff_the_last_two(page, app_url):
    open_page(page, app_url, "/?example=cake-shop")
    choose(page, KNOW, 0)
    settle(page)
    snapshot(page)
    go(page, "Assess")
    choose(page, KNOW, 3)
    settle(page)
    snapshot(page)
    go(page, "Assess")
    choose(page, KNOW, 4)
    settle(page)
    choose(page, FREE, 4)
    settle(page)
    snapshot(page)
    assert page.locator(".js-plotly-plot").count() == 1
    open_expander(page, "Data behind “Scores across snapshots”")
    header, *rows = table_rows(page, "Snapshot")
    assert [row[0] for row in rows] == ["#1", "#2", "#3"]
    overall = [float(row[header.index("Overall")]) for row in rows]
    user_first = [float(row[header.index("User first")]) for row in rows]
    assert overall[0] < overall[1] < overall[2] and user_first[0] < user_first[1] < user_first[2]
    diff_header, *diff = table_rows(page, "Question")
    changed = {row[0]: row[diff_header.index("Change")] for row in diff}
    assert set(changed) == {KNOW[3:], FREE[3:]} and set(changed.values()) == {"↑ up"}
    history = csv_rows(download(page, "History CSV"))
    assert [row[0] for row in history[1:]] == ["1", "2", "3"]
    for row in history:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell


def test_a_note_and_a_link_appear_in_results_the_csv_and_the_report(page, app_url, tmp_path):
    note, link = "<b>Loyalty cards</b> since 2019", "https://example.com/loyalty?x=1&y=<2>"
    open_page(page, app_url, "/?example=cake-shop")
    open_expander(page, "Note and evidence")
    page.get_by_role("textbox", name="Note: why this answer").fill(note)
    page.get_by_role("textbox", name="Evidence links (one per line)").fill(link + "\njavascript:alert(1)")
    page.get_by_role("textbox", name="Note: why this answer").click()  # leaving the links box saves them
    settle(page)
    assert "javascript:alert(1)" in main_text(page) and "is not an http(s) web address" in main_text(page)
    go(page, "Results")
    open_expander(page, "How every number is computed")
    header, *rows = table_rows(page, "Dimension")
    row = next(r for r in rows if r[header.index("Question")] == KNOW[3:])
    assert row[header.index("Note")] == note and row[header.index("Evidence")] == link
    assert page.locator('[data-testid="stMain"] b', has_text="Loyalty cards").count() == 0
    assert page.locator(f'[data-testid="stMain"] a[href^="{link[:20]}"]').count() == 0
    go(page, "Export")
    answers = csv_rows(download(page, "Answers CSV"))
    record = next(dict(zip(answers[0], r, strict=True)) for r in answers[1:] if r[answers[0].index("question_id")]
                  == "uf_user_relationship")
    assert record["note"] == note and record["evidence"] == link
    report = tmp_path / "report.html"
    shutil.copy(download(page, "HTML report"), report)
    viewer = page.context.new_page()
    viewer.goto(report.as_uri())
    viewer.wait_for_selector("table")
    body = viewer.locator("body").inner_text()
    assert note in body and link in body
    assert viewer.locator("b", has_text="Loyalty cards").count() == 0 and viewer.locator("a[href]").count() == 0
    viewer.close()


def test_a_plan_with_two_steps_keeps_owner_date_and_status_after_a_reload(page, app_url):
    open_page(page, app_url, "/?example=cake-shop")
    go(page, "Target and plan")
    page.get_by_role("button", name="Make the plan").click()
    settle(page)
    owners = page.get_by_role("textbox", name="Owner")
    assert owners.count() >= 2
    for index, name in enumerate(("Mia", "Leo")):
        owners.nth(index).fill(name)
        owners.nth(index).press("Enter")
        settle(page, 400)
    page.get_by_role("group", name="Due").first.get_by_role("spinbutton").first.click()
    page.keyboard.type("20270301")  # year, month, day: the date field moves on by itself
    page.keyboard.press("Enter")
    owners.first.click()
    settle(page)
    statuses = page.get_by_role("radiogroup", name="Status")
    statuses.nth(0).get_by_role("radio", name="Doing").click()
    settle(page, 400)
    statuses.nth(1).get_by_role("radio", name="Done").click()
    settle(page)
    assert "1 of" in main_text(page)
    page.reload()
    settle(page)
    owners = page.get_by_role("textbox", name="Owner")
    assert [owners.nth(0).input_value(), owners.nth(1).input_value()] == ["Mia", "Leo"]
    assert page.get_by_role("group", name="Due").first.inner_text().split() == ["2027", "-", "03", "-", "01"]
    statuses = page.get_by_role("radiogroup", name="Status")
    assert statuses.nth(0).get_by_role("radio", name="Doing").get_attribute("aria-checked") == "true"
    assert statuses.nth(1).get_by_role("radio", name="Done").get_attribute("aria-checked") == "true"
    plan = csv_rows(download(page, "Plan CSV"))
    records = [dict(zip(plan[0], row, strict=True)) for row in plan[1:]]
    assert [(r["owner"], r["due"], r["status"]) for r in records[:2]] == [("Mia", "2027-03-01", "doing"),
                                                                           ("Leo", "", "done")]
