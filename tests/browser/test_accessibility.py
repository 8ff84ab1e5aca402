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
  if (el.type === 'radio' && !el.checked && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)) return false;
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
