"""Accessibility: axe-core finds no WCAG 2.x A/AA violation on any page; Tab reaches every control."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import settle
from tests.browser.helpers import Q1, answer, create_workshop, join_as, open_page

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
PAGES = {
    "assess": "/?example=cake-shop",
    "results": "/results?example=ride-hailing-platform",
    "export": "/export?example=cake-shop",
    "compare": "/compare",
    "rubrics": "/rubrics",
    "assess-zh": "/?example=cake-shop&lang=zh",
    "plan": "/plan?example=cake-shop",
    "history": "/history?example=cake-shop",
    "mine": "/mine",
    "workshops": "/workshops",
    "join": "/join?code=ABCD-EFGH-JK",
}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [(node["target"], node.get("html", "")[:160]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_violations(page, app_url, name):
    open_page(page, app_url, PAGES[name])
    results = Axe().run(page, options=WCAG)
    violations = results.response["violations"]
    assert violations == [], describe(violations)


FOCUSABLE = """
() => Array.from(document.querySelectorAll(
  'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'
)).filter(el => {
  if (el.disabled || el.closest('[aria-hidden="true"]') || el.closest('[inert]')) return false;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) return false;
  const checkedInGroup = () => document.querySelector(`input[type=radio][name="${el.name}"]:checked`);
  if (el.type === 'radio' && !el.checked && checkedInGroup()) return false;
  return true;
}).map(el => el.outerHTML.slice(0, 120))
"""
ACTIVE = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''"


@pytest.mark.parametrize("name", ["assess", "results", "export", "rubrics"])
def test_every_control_is_reachable_with_the_tab_key(page, app_url, name):
    open_page(page, app_url, PAGES[name])
    wanted = set(page.evaluate(FOCUSABLE))
    assert len(wanted) > 5
    reached: set[str] = set()
    for _ in range(len(wanted) * 2 + 20):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(ACTIVE))
        if wanted <= reached:
            break
    missing = wanted - reached
    assert not missing, f"{len(missing)} controls not reachable by Tab: {sorted(missing)[:5]}"


def test_the_workshop_live_view_has_no_wcag_violations(page, app_url):
    join_link, facilitate_link = create_workshop(page, app_url, "Accessible Co")
    participant = join_as(page.context, join_link, "Ana")
    answer(participant, Q1, 2)
    settle(participant)
    results = Axe().run(participant, options=WCAG)
    assert results.response["violations"] == [], describe(results.response["violations"])
    page.goto(facilitate_link)
    page.wait_for_selector('[data-testid="stMetric"]')
    settle(page)
    results = Axe().run(page, options=WCAG)
    assert results.response["violations"] == [], describe(results.response["violations"])


def test_the_presenters_screen_and_a_live_participant_page_have_no_wcag_violations(browser, app_url):
    """The new workshop pages with everything on them: the QR code, a question's bars and comments, the
    timer, and on a phone-sized participant page the question under discussion with its answers revealed."""
    from tests.browser.test_workshop_flow import answer, create_workshop, join_as

    page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
    phone = None
    try:
        join_link, facilitate_link = create_workshop(page, app_url, "Accessible Presenter Co")
        phone = join_as(browser.new_context(viewport={"width": 390, "height": 844}), join_link, "Ana")
        answer(phone, "1. How well does the business know the people it serves?", 2)
        page.goto(facilitate_link.replace("/facilitate?", "/present?"))
        settle(page)
        page.get_by_role("button", name="Start with the first question").click()
        page.get_by_text("Question 1 of 25").wait_for()
        page.get_by_role("button", name="Reveal this question to participants").click()
        page.get_by_role("button", name="Start").click()
        settle(page)
        results = Axe().run(page, options=WCAG)
        assert results.response["violations"] == [], describe(results.response["violations"])
        phone.get_by_text("How the room answered").wait_for(timeout=20_000)
        settle(phone)
        results = Axe().run(phone, options=WCAG)
        assert results.response["violations"] == [], describe(results.response["violations"])
    finally:
        if phone is not None:
            phone.context.close()
        page.context.close()
