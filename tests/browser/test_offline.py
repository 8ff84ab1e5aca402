"""Offline: no request leaves 127.0.0.1 while a founder and a workshop use the app (issue 8, item 9).

Every request and WebSocket of every page is recorded, and so is every URL the
page references (``href``, ``src``, resource timing): Chromium does not report
a favicon fetch as a request, and the material favicon Streamlit sets by
default pointed at fonts.gstatic.com.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import settle
from tests.browser.helpers import Q1, Q2, answer, answer_visible_tab, create_workshop, download, go, join_as, open_page

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about", "file", "javascript", ""}
REFERENCED = """
() => [
  ...Array.from(document.querySelectorAll('[href], [src]'), el => el.href || el.src),
  ...performance.getEntriesByType('resource').map(entry => entry.name),
].filter(url => typeof url === 'string')
"""


def foreign(urls: list[str]) -> list[str]:
    """The URLs that would go to a host other than this machine."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOCAL_HOSTS:
            out.append(url)
    return sorted(set(out))


class Recorder:
    """Every request, WebSocket and referenced URL of every page of a browser context."""

    def __init__(self, context):
        self.urls: list[str] = []
        self.pages: list = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page) -> None:
        self.pages.append(page)
        page.on("websocket", lambda socket: self.urls.append(socket.url))

    def collect(self) -> list[str]:
        """The URLs seen so far, including those the open pages reference."""
        for page in self.pages:
            if not page.is_closed():
                self.urls.extend(page.evaluate(REFERENCED))
        return self.urls


def test_foreign_urls_are_told_apart_from_local_ones():
    urls = [
        "http://127.0.0.1:8501/_stcore/health", "ws://localhost:8501/_stcore/stream", "data:image/svg+xml;base64,AA",
        "blob:http://127.0.0.1:8501/x", "about:blank",
        "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/hub/default/24px.svg",
        "http://127.0.0.2.example.com/", "https://example.com/?host=127.0.0.1",
    ]
    assert foreign(urls) == [
        "http://127.0.0.2.example.com/", "https://example.com/?host=127.0.0.1",
        "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/hub/default/24px.svg",
    ]


def test_the_favicon_is_bundled(page, app_url):
    open_page(page, app_url)
    icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
    assert icon.startswith("data:image/svg+xml"), icon


def test_a_founder_flow_requests_nothing_from_another_host(context, app_url):
    recorder = Recorder(context)
    page = context.new_page()
    open_page(page, app_url, "/?example=cake-shop")
    page.get_by_role("tab").nth(1).click()
    settle(page, 300)
    assert answer_visible_tab(page, 2) > 0
    go(page, "Results")
    assert page.locator(".js-plotly-plot .main-svg").count() >= 1
    for index in range(1, page.get_by_role("tab").count()):
        page.get_by_role("tab").nth(index).click()
        settle(page)
    go(page, "Export")
    assert download(page, "HTML report").stat().st_size > 0
    assert download(page, "Answers CSV").stat().st_size > 0
    urls = recorder.collect()
    assert any(url.startswith(app_url) for url in urls) and any(url.startswith("ws://") for url in urls)
    assert foreign(urls) == []


def test_a_workshop_flow_requests_nothing_from_another_host(browser, app_url):
    facilitator_context = browser.new_context(viewport={"width": 1280, "height": 2400})
    participant_context = browser.new_context(viewport={"width": 1280, "height": 2400})
    recorders = [Recorder(facilitator_context), Recorder(participant_context)]
    try:
        facilitator = facilitator_context.new_page()
        join_link, facilitate_link = create_workshop(facilitator, app_url, "Offline Bakery")
        participant = join_as(participant_context, join_link, "Ana")
        answer(participant, Q1, 2)
        answer(participant, Q2, 1)
        facilitator.goto(facilitate_link)
        facilitator.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Ana')", timeout=20_000
        )
        settle(facilitator)
        urls = [url for recorder in recorders for url in recorder.collect()]
    finally:
        participant_context.close()
        facilitator_context.close()
    assert sum("/join" in url for url in urls) and sum("/facilitate" in url for url in urls)
    assert foreign(urls) == []
