"""Results at a glance in a real browser at 1366 px: tab titles fit, labels never collide as drawn, the growth tab
for a broadcast-only business is full and labelled, Compare needs no sideways scrolling."""

from __future__ import annotations

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import settle
from tests.browser.test_accessibility import WCAG, describe

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
LABEL_BOXES = """
() => {
  const plots = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot');
  return Array.from(plots[plots.length - 1].querySelectorAll('g.annotation')).map(g => {
  const r = g.querySelector('.annotation-text-g').getBoundingClientRect();
  return [g.textContent, r.left, r.top, r.right, r.bottom];
});
}
"""


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def open_results(page, app_url: str, example: str, tab: str | None = None) -> None:
    page.goto(f"{app_url}/results?example={example}")
    settle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
        settle(page)


def overlapping(boxes: list) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for a, b in itertools.combinations(boxes, 2)
            if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5]


def test_the_five_chart_tabs_fit_at_1366_px(laptop, app_url):
    open_results(laptop, app_url, "cake-shop")
    tabs = laptop.get_by_role("tablist").last
    width = tabs.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert width[0] <= width[1], width  # no tab runs off behind a scroll arrow
    box = tabs.bounding_box()
    for name in ("Scores", "Among the examples", "Connection growth", "The next node", "Act first"):
        tab = laptop.get_by_role("tab", name=name).bounding_box()
        assert tab["x"] >= box["x"] and tab["x"] + tab["width"] <= box["x"] + box["width"] + 1, name


@pytest.mark.parametrize("example", ["cake-shop", "ride-hailing-platform", "hotel-online-booking"])
@pytest.mark.parametrize("tab, least", [("Among the examples", 14), ("Act first", 10)])
def test_labels_on_the_quadrant_and_the_priority_matrix_never_overlap_as_drawn(laptop, app_url, example, tab, least):
    open_results(laptop, app_url, example, tab)
    boxes = laptop.evaluate(LABEL_BOXES)  # the tab's chart: its labels as the browser drew them
    boxes = [b for b in boxes if b[3] > b[1]]
    assert len(boxes) >= least, boxes  # every example (or marker) carries its label
    assert overlapping(boxes) == []


def test_a_broadcast_only_business_sees_where_connection_effects_could_grow(laptop, app_url):
    open_results(laptop, app_url, "cake-shop", "Connection growth")
    chart = laptop.locator('[data-testid="stMain"] .js-plotly-plot').last
    texts = chart.locator(".bartext").all_text_contents()
    assert "×2.8" in texts and "×24" in texts and any("off the scale" in x for x in texts), texts
    assert "People: if your customers formed" in " ".join(chart.locator(".ytick").all_text_contents())
    assert "log" not in (chart.locator(".xtitle").text_content() or "x").lower()
    laptop.get_by_role("tab", name="The next node").click()
    settle(laptop)
    chart = laptop.locator('[data-testid="stMain"] .js-plotly-plot').last
    texts = chart.locator(".bartext").all_text_contents()
    assert texts.count("1: flat, each one adds the same") >= 2 and "9.5" in texts, texts


def test_compare_reads_without_scrolling_sideways(laptop, app_url):
    laptop.goto(f"{app_url}/compare")
    settle(laptop)
    main = laptop.locator('[data-testid="stMain"]')
    table = main.locator("table").first
    right_edge = main.evaluate("m => m.getBoundingClientRect().right")
    assert table.evaluate("t => t.getBoundingClientRect().right") <= right_edge
    assert laptop.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert main.evaluate("m => m.scrollWidth <= m.clientWidth")
    assert "To the Internet+ boundary" in table.inner_text()


@pytest.mark.parametrize("tab", ["Among the examples", "Connection growth", "The next node", "Act first"])
def test_every_chart_tab_has_no_wcag_violations(laptop, app_url, tab):
    open_results(laptop, app_url, "cake-shop", tab)
    violations = Axe().run(laptop, options=WCAG).response["violations"]
    assert violations == [], describe(violations)
