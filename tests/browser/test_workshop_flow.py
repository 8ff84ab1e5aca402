"""A workshop in real browsers: a facilitator and three participants, each in their own context.

Also the fault the issue names: the app process killed (SIGKILL) while
participants save, then restarted on the same data: every acknowledged
answer is there and participants resume from their links.
"""

from __future__ import annotations

import os
import signal

import pytest

from assessment.export import FORMULA_START
from tests.browser.conftest import ROOT, settle, start_streamlit, stop
from tests.browser.helpers import Q1, Q2, answer, create_workshop, csv_rows, download, join_as, prepare_files

pytestmark = pytest.mark.browser


def test_a_facilitator_and_three_participants(browser, app_url, tmp_path):
    facilitator_context = browser.new_context(viewport={"width": 1280, "height": 3000}, accept_downloads=True)
    facilitator = facilitator_context.new_page()
    join_link, facilitate_link = create_workshop(facilitator, app_url, "Corner Bakery =workshop")
    facilitator.goto(facilitate_link)
    settle(facilitator)
    main = facilitator.locator('[data-testid="stMain"]')
    assert "Waiting for the first participant" in main.inner_text()

    participants = []
    for index, name in enumerate(["Ana", "Ben", "=HYPERLINK(\"x\")"]):
        context = browser.new_context(viewport={"width": 1280, "height": 2400})
        page = join_as(context, join_link, name)
        answer(page, Q1, index + 1)
        answer(page, Q2, 2)
        participants.append((context, page))

    # The live view updates on its own: no reload, no click.
    facilitator.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Ben')", timeout=20_000
    )
    text = main.inner_text()
    assert "Ana" in text and "Ben" in text and "2/31" in text

    # A participant reloads the page and finds their answers.
    _, ana = participants[0]
    ana.reload()
    settle(ana)
    checked = ana.get_by_role("radiogroup", name=Q1).locator('input[type="radio"]:checked')
    assert checked.count() == 1
    assert ana.get_by_role("radiogroup", name=Q1).get_by_role("radio").nth(1).is_checked()

    # The facilitator settles the agreed answers (medians by default) and exports.
    facilitator.get_by_role("button", name="Save the agreed answers").click()
    settle(facilitator)
    assert "Saved" in main.inner_text()
    facilitator.wait_for_timeout(5_000)  # past the live view's next refresh (every 3 s): the confirmation stays
    settle(facilitator)
    assert "Saved" in main.inner_text()
    prepare_files(facilitator)
    rows = csv_rows(download(facilitator, "Workshop CSV (every answer)"))
    header, body = rows[0], rows[1:]
    assert len(body) == 6 and "question_id" in header
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    for context, _ in participants:
        context.close()
    facilitator_context.close()


def test_killing_the_app_loses_no_acknowledged_answer(browser, tmp_path):
    data_dir = tmp_path / "data"
    env = {"ASSESSMENT_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    process, url = start_streamlit(ROOT / "app.py", env=env)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 2400})
        page = context.new_page()
        join_link, _ = create_workshop(page, url, "Crash Test Co")
        participant = join_as(browser.new_context(viewport={"width": 1280, "height": 2400}), join_link, "Dee")
        resume_link = participant.url
        answer(participant, Q1, 3)
        answer(participant, Q2, 1)  # settled: the saves were acknowledged before the page went quiet
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        stop(process)

    from assessment.workshop import WorkshopSettings, WorkshopStore

    settings = WorkshopSettings(DATABASE_URL=None, ASSESSMENT_DATA_DIR=str(data_dir))  # what the app was given
    store = WorkshopStore.from_environment(settings=settings)  # the same SQLite file the app used
    assert store.integrity_check() == []
    store.dispose()

    process, url = start_streamlit(ROOT / "app.py", env=env)
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
        page.goto(resume_link.replace(resume_link.split("/join")[0], url))
        settle(page)
        assert page.get_by_role("radiogroup", name=Q1).get_by_role("radio").nth(3).is_checked()
        assert page.get_by_role("radiogroup", name=Q2).get_by_role("radio").nth(1).is_checked()
    finally:
        stop(process)
