"""A founder's work lasts: language switches, reloads, closed tabs and a restarted server lose nothing."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ROOT, settle, start_streamlit, stop
from tests.browser.helpers import answer_visible_tab, choose, open_page, type_into

pytestmark = pytest.mark.browser

CHECKED = '[data-testid="stMain"] input[type="radio"]:checked'


def sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def switch_language(page, name: str) -> None:
    page.get_by_role("radio", name=name).click()
    settle(page)


def test_switching_the_language_keeps_every_answer_on_screen(page, app_url):
    """Issue 10's bug: 25 options selected, 简体中文 showed none, and English again none (the answers
    themselves were then overwritten by the old labels: the verdict went to "Undetermined")."""
    open_page(page, app_url, "/?example=cake-shop")
    selected = page.locator(CHECKED).count()
    verdict = sidebar(page).split("Verdict so far", 1)[1]
    assert selected == 25 and "+Internet" in verdict
    switch_language(page, "简体中文")
    assert page.locator(CHECKED).count() == selected
    assert "+互联网" in sidebar(page)
    switch_language(page, "English")
    assert page.locator(CHECKED).count() == selected
    assert sidebar(page).split("Verdict so far", 1)[1] == verdict


def checked_labels(page) -> list[str]:
    """The option chosen in each question, as the screen shows it."""
    return page.locator(CHECKED).evaluate_all("els => els.map(e => e.closest('label').innerText.trim())")


def test_answers_and_the_name_survive_reload_closed_tab_languages_and_a_restart(browser, tmp_path):
    server, url = start_streamlit(ROOT / "app.py", env={"ASSESSMENT_DATA_DIR": str(tmp_path)})
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 2400})
        page = context.new_page()
        open_page(page, url)
        type_into(page, "Business name", "Corner Bakery")
        answered = answer_visible_tab(page, 2)
        assert answered > 5
        settle(page)
        private = page.url
        assert "a=" in private and "n=1" in private
        shown = checked_labels(page)
        page.reload()
        settle(page)
        assert checked_labels(page) == shown
        page.close()  # the tab is closed; the link opens it again in a new one
        page = context.new_page()
        page.goto(private)
        settle(page)
        assert page.get_by_role("textbox", name="Business name").input_value() == "Corner Bakery"
        assert checked_labels(page) == shown
        switch_language(page, "简体中文")
        assert page.locator(CHECKED).count() == answered
        assert page.get_by_role("textbox", name="企业名称").input_value() == "Corner Bakery"
        switch_language(page, "English")
        assert checked_labels(page) == shown
        context.close()
    finally:
        stop(server)
    server, url = start_streamlit(ROOT / "app.py", env={"ASSESSMENT_DATA_DIR": str(tmp_path)})  # restarted
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 2400})
        page.goto(url + private[private.index("/?"):])
        settle(page)
        assert page.get_by_role("textbox", name="Business name").input_value() == "Corner Bakery"
        assert checked_labels(page) == shown
        assert f"{answered} of 31 questions answered" in sidebar(page)
        page.close()
    finally:
        stop(server)


def test_an_example_link_keeps_your_edits_after_a_reload(page, app_url):
    open_page(page, app_url, "/?example=cake-shop")
    before = checked_labels(page)
    choose(page, "1. How well does the business know the people it serves?", 0)
    settle(page)
    assert "example=" not in page.url and "a=" in page.url
    edited = checked_labels(page)
    assert edited != before
    page.reload()
    settle(page)
    assert checked_labels(page) == edited
    fresh = page.context.new_page()
    fresh.goto(app_url + "/?example=cake-shop")  # the example itself is unchanged
    settle(fresh)
    assert checked_labels(fresh) == before
    fresh.close()


def test_clear_asks_first_and_undo_restores_everything(page, app_url):
    open_page(page, app_url, "/?example=hotel-online-booking")
    choose(page, "1. How well does the business know the people it serves?", 0)
    settle(page)
    shown = checked_labels(page)
    page.get_by_role("button", name="Clear all answers").click()
    settle(page)
    assert checked_labels(page) == shown  # nothing cleared by the first click
    page.get_by_role("button", name="Yes, clear everything").click()
    settle(page)
    assert page.locator(CHECKED).count() == 0
    assert page.get_by_role("textbox", name="Business name").input_value() == ""
    page.reload()
    settle(page)
    assert page.locator(CHECKED).count() == 0
    page.get_by_role("button", name=re.compile(r"^Undo clear")).click()
    settle(page)
    assert checked_labels(page) == shown
    assert page.get_by_role("textbox", name="Business name").input_value().startswith("Grand Riverside Hotel")
    assert "31 of 31 questions answered" in sidebar(page)


def test_a_workshop_participant_keeps_their_answers_on_screen_across_languages(browser, app_url):
    """The same bug, on a participant's page (their answers live in the database, shown by the same widget)."""
    from tests.browser.test_workshop_flow import Q1, Q2, answer, create_workshop, join_as

    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    join_link, _ = create_workshop(context.new_page(), app_url, "Language Café")
    page = join_as(context, join_link, "Ana")
    answer(page, Q1, 2)
    answer(page, Q2, 1)
    shown = checked_labels(page)
    assert len(shown) == 2
    switch_language(page, "简体中文")
    assert page.locator(CHECKED).count() == 2
    switch_language(page, "English")
    assert checked_labels(page) == shown
    page.reload()
    settle(page)
    assert checked_labels(page) == shown  # and the stored answers were never overwritten
    context.close()


def test_an_uploaded_rubric_stays_chosen_across_a_language_switch(page, app_url, tmp_path):
    """The sidebar's rubric choice is a radio with words in the language shown: the same bug chose the
    shipped set again after a switch."""
    from assessment.rubrics import DEFAULT_RUBRICS
    from tests.browser.helpers import go, open_expander, upload

    for path in DEFAULT_RUBRICS.glob("*.yaml"):
        content = path.read_text(encoding="utf-8")
        if path.name == "set.yaml":
            content = content.replace('version: "2.0"', 'version: "9.9"')
        (tmp_path / path.name).write_text(content, encoding="utf-8")
    open_page(page, app_url, "/rubrics")
    open_expander(page, "Upload a custom rubric set")
    upload(page, sorted(tmp_path.glob("*.yaml")))
    go(page, "Assess")
    assert "internet_plus 9.9" in sidebar(page)
    switch_language(page, "简体中文")
    assert "internet_plus 9.9" in sidebar(page)
    switch_language(page, "English")
    assert "internet_plus 9.9" in sidebar(page)
