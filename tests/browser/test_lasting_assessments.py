"""A founder's work lasts: language switches, reloads, closed tabs and a restarted server lose nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import settle
from tests.browser.helpers import open_page

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
