"""Issue 11, failures 7 and 8: rubric texts and names are shown as text, never as Markdown, links or images.

A custom rubric set whose titles, descriptions, question texts, help and options carry Markdown images, links,
colour directives, maths and HTML is uploaded; a workshop named with a link has a participant named like an
address. Every page is walked in a browser: the texts must be there literally, no element may link to or load
from the outside host, no request may leave 127.0.0.1, and the app (``serve.py``: its security headers and
content security policy) must report no blocked resource while it works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from assessment.rubrics import load_rubric_sources
from tests.browser.conftest import ROOT, browser_or_fail, settle, start_streamlit, stop
from tests.browser.helpers import answer_visible_tab, create_workshop, go, join_as, open_page, upload
from tests.browser.test_offline import Recorder, foreign

pytestmark = pytest.mark.browser

IMAGE = "![x](http://evil.example/x.png)"
LINK = "[link](http://evil.example)"
RED = ":red[red]"
MATH = "$x^2$"
HTML = "<img src=http://evil.example/y.png>"
HOSTILE = f"{IMAGE} {LINK} {RED} {MATH} {HTML}"
ADDRESS = "www.evil.example/login"
WORD_JOINER = "\u2060"
MAIN = '[data-testid="stMain"]'
OUTSIDE = 'a[href*="evil"], img[src*="evil"], [src*="evil"], [href*="evil"], image[href*="evil"]'


def hostile_set(folder: Path) -> list[Path]:
    """The shipped set with every kind of rubric text (English) carrying :data:`HOSTILE`."""
    source = ROOT / "rubrics" / "internet-plus"
    written = []
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "set.yaml":
            data["title"]["en"] = f"Set {HOSTILE}"
            data["description"]["en"] = HOSTILE
        elif "questions" in data and "title" in data:  # a dimension (the migration map has questions too)
            data["title"]["en"] = f"{data['title']['en']} {IMAGE} {RED}"
            data["description"]["en"] = HOSTILE
            question = data["questions"][0]
            question["text"]["en"] = f"{question['text']['en']} {HOSTILE}"
            question["help"]["en"] = HOSTILE
            question["options"][0]["label"]["en"] = HOSTILE
            question["options"][1]["label"]["en"] = f"{question['options'][1]['label']['en']} {LINK}"
        target = folder / path.name
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(target)
    load_rubric_sources({p.name: p.read_text(encoding="utf-8") for p in written})  # a valid set, or this raises
    return written


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """The app as ``serve.py`` runs it: with its headers and content security policy."""
    browser_or_fail()
    process, url = start_streamlit(ROOT / "serve.py", env={"ASSESSMENT_DATA_DIR": str(tmp_path_factory.mktemp("d"))})
    try:
        yield url
    finally:
        stop(process)


def shown(page) -> str:
    """The page's visible text, word joiners (which keep addresses from becoming links) removed."""
    return page.locator('[data-testid="stApp"]').inner_text().replace(WORD_JOINER, "")


def no_outside_elements(page, where: str) -> None:
    found = page.evaluate(f"() => Array.from(document.querySelectorAll('{OUTSIDE}'), el => el.outerHTML)")
    assert found == [], where
    assert page.locator(f"{MAIN} .stMarkdown img, {MAIN} [data-testid='stMarkdownContainer'] img").count() == 0, where


def watch_console(page, blocked: list[str]) -> None:
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)


def test_rubric_texts_and_names_are_plain_text_on_every_page(browser, served, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, accept_downloads=True)
    participant_context = browser.new_context(viewport={"width": 1280, "height": 2400})
    recorders, blocked = [Recorder(context), Recorder(participant_context)], []
    context.on("page", lambda page: watch_console(page, blocked))
    participant_context.on("page", lambda page: watch_console(page, blocked))
    try:
        page = context.new_page()
        open_page(page, served, "/rubrics")
        upload(page, hostile_set(tmp_path))
        page.get_by_text("Set ![x]").first.wait_for()
        settle(page)
        text = shown(page)
        for literal in (IMAGE, LINK, RED, MATH, HTML, f"Set {HOSTILE}"):
            assert literal in text, literal
        page.locator('[data-testid="stExpander"] summary', has_text="User first").first.click()
        settle(page, 300)
        assert f"How well does the business know the people it serves? {HOSTILE}" in shown(page)
        no_outside_elements(page, "Rubrics")

        go(page, "Assess")
        tab = page.get_by_role("tab").first
        assert f"User first {IMAGE} {RED}" in tab.inner_text().replace(WORD_JOINER, "")
        text = shown(page)
        assert f"1. How well does the business know the people it serves? {HOSTILE}" in text  # the question label
        assert text.count(HOSTILE) >= 4  # the label, an option, the help and the dimension's description
        no_outside_elements(page, "Assess")
        page.get_by_role("textbox", name="Business name").fill(f"{LINK} {ADDRESS}")
        page.get_by_role("textbox", name="Business name").press("Enter")
        settle(page, 400)
        assert answer_visible_tab(page, 1) > 0
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text().replace(WORD_JOINER, "")
        assert f"{LINK} {ADDRESS}" in sidebar
        no_outside_elements(page, "Assess, answered")

        go(page, "Results")
        assert f"{LINK} {ADDRESS}" in shown(page)
        for index in range(page.get_by_role("tab").count()):
            page.get_by_role("tab").nth(index).click()
            settle(page)
            no_outside_elements(page, f"Results, chart tab {index}")
        for name in ("Compare", "History", "Plan", "My assessments", "Export"):
            if page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).count():
                go(page, name)
                no_outside_elements(page, name)

        join_link, facilitate_link = create_workshop(page, served, f"{LINK} {ADDRESS}")
        participant = join_as(participant_context, join_link, ADDRESS)
        assert ADDRESS in shown(participant)
        no_outside_elements(participant, "join")
        page.goto(facilitate_link)
        page.wait_for_function(
            f"() => document.querySelector('{MAIN}').innerText.replaceAll('\\u2060', '').includes('{ADDRESS}')",
            timeout=20_000,
        )
        settle(page)
        assert f"{LINK} {ADDRESS}" in shown(page)
        no_outside_elements(page, "facilitate")
        page.goto(facilitate_link.replace("/facilitate?", "/present?"))
        settle(page)
        assert f"{LINK} {ADDRESS}" in shown(page)
        no_outside_elements(page, "present")
        urls = [url for recorder in recorders for url in recorder.collect()]
    finally:
        participant_context.close()
        context.close()
    assert foreign(urls) == []
    assert blocked == []
