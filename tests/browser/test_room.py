"""The room in real browsers: the agreed form following the median (issue 9's bug), the presenter's
screen driven end to end, participants reached without a reload, a phone-sized page, and a workshop
on an uploaded rubric set (and a broken one refused with its file and line)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from assessment.rubrics import DEFAULT_RUBRICS
from tests.browser.conftest import settle
from tests.browser.helpers import csv_rows, download, open_page, prepare_files
from tests.browser.test_workshop_flow import Q1, answer, create_workshop, join_as

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMain"]'
PHONE = {"width": 390, "height": 844}
FIRST_QUESTION = "How well does the business know the people it serves?"


@pytest.fixture
def contexts(browser):
    """New browser contexts for one test, all closed at its end (pass or fail): a page left open keeps
    polling the server and slows every later test."""
    made = []

    def new(**options):
        made.append(browser.new_context(**({"viewport": {"width": 1280, "height": 2400}} | options)))
        return made[-1]

    yield new
    for context in made:
        context.close()


def labels_of_q1() -> list[str]:
    from assessment.rubrics import load_rubric_dir

    return [o.label["en"] for o in load_rubric_dir().question("uf_user_relationship").options]


def wait_for_text(page, text: str, timeout: int = 20_000) -> None:
    """Wait until the main area shows ``text`` (the page updates on its own: no reload, no click)."""
    page.wait_for_function("(t) => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)",
                           arg=text, timeout=timeout)


def test_the_agreed_form_follows_the_median_when_the_live_view_was_opened_first(contexts, app_url):
    """Issue 9's bug: live view open before anyone answered; three participants answer; every agreed field
    stayed at "Choose an option" and Save reported 0. Now the field shows the median, without a reload."""
    facilitator = contexts(viewport={"width": 1280, "height": 3000}).new_page()
    join_link, facilitate_link = create_workshop(facilitator, app_url, "Median Bakery")
    facilitator.goto(facilitate_link)
    settle(facilitator)
    field = facilitator.get_by_role("combobox", name=FIRST_QUESTION)
    assert field.input_value() == "" and field.get_attribute("placeholder") == "Choose an option"
    for name, option in (("Ana", 1), ("Ben", 2), ("Cy", 2)):
        answer(join_as(contexts(), join_link, name), Q1, option)
    median = labels_of_q1()[2]
    facilitator.wait_for_function(
        "([name, text]) => [...document.querySelectorAll('input[role=combobox]')]"
        ".some(e => e.getAttribute('aria-label') === name && e.value === text)",
        arg=[FIRST_QUESTION, median], timeout=20_000)
    assert field.input_value() == median
    facilitator.get_by_role("button", name="Save the agreed answers").click()
    wait_for_text(facilitator, "Saved 1 agreed answer.")


def qr_text(page) -> str:
    """The text of the QR code the page shows, decoded from a screenshot of it."""
    image = page.get_by_role("img", name=re.compile("QR code of the join link"))
    picture = Image.open(io.BytesIO(image.screenshot())).convert("L")
    found = zxingcpp.read_barcodes(picture)
    assert found, "no QR code could be read from the presenter's screen"
    return found[0].text


def data_table(page) -> str:
    """The text of the open chart's data table (its text alternative)."""
    page.locator('[data-testid="stExpander"] summary', has_text="Data behind").first.click()
    settle(page, 300)
    return page.locator('[data-testid="stExpander"] table').first.inner_text()


def test_a_facilitator_runs_the_room_from_the_presenters_screen(contexts, app_url):
    context = contexts(viewport={"width": 1280, "height": 3000}, accept_downloads=True)
    facilitator = context.new_page()
    join_link, facilitate_link = create_workshop(facilitator, app_url, "Presenter Bakery")
    participants = []
    for name, option, why in (("Ana", 1, "Only the loyalty card"), ("Ben", 2, ""), ("Cy", 2, "Accounts for a third")):
        page = join_as(contexts(viewport=PHONE), join_link, name)
        answer(page, Q1, option)
        if why:
            box = page.get_by_role("textbox", name="Why? (optional)").first
            box.fill(why)
            box.press("Enter")
            settle(page, 300)
        participants.append(page)

    presenter = context.new_page()
    presenter.goto(facilitate_link)
    settle(presenter)
    presenter.get_by_role("link", name=re.compile("presenter's screen")).click()
    presenter.wait_for_url(re.compile("/present[?]"))
    settle(presenter)
    assert "/present?" in presenter.url and "Presenter Bakery" in presenter.title()
    assert qr_text(presenter) == join_link
    join_code = join_link.split("code=")[1]
    assert join_code in presenter.locator("h1").all_inner_texts()[-1]

    presenter.keyboard.press("ArrowRight")  # "Start with the first question" answers the → key
    wait_for_text(presenter, "Question 1 of 25")
    labels = labels_of_q1()
    table = data_table(presenter)
    counts = {label: table.split(label)[1].split()[0] for label in (labels[1], labels[2], labels[0])}
    assert counts == {labels[1]: "1", labels[2]: "2", labels[0]: "0"}  # bars = the participants' answers
    text = presenter.locator(MAIN).inner_text()
    assert "3 / 5" in text, text  # the median: the 3rd of 5 options (1 is the lowest)
    assert "Ana: Only the loyalty card" in text and "Cy: Accounts for a third" in text, text

    # The reveal reaches a participant's page without a reload.
    ana = participants[0]
    assert "How the room answered" not in ana.locator(MAIN).inner_text()
    wait_for_text(ana, "The room is discussing")
    presenter.get_by_role("button", name="Reveal this question to participants").click()
    settle(presenter)
    wait_for_text(ana, "Median answer: " + labels[2])

    # The timer runs, on the presenter's screen and the participants'.
    minutes = presenter.get_by_role("spinbutton", name="Minutes for this question")
    minutes.fill("1")
    minutes.press("Enter")
    presenter.get_by_role("button", name="Start").click()
    timer = presenter.locator('[data-testid="stMetric"]').filter(has_text="Time left")
    presenter.wait_for_function("(el) => /\\d:\\d\\d/.test(el.innerText)", arg=timer.element_handle(), timeout=10_000)
    first = timer.locator('[data-testid="stMetricValue"]').inner_text()
    presenter.wait_for_function("([el, was]) => el.innerText !== was && /\\d:\\d\\d/.test(el.innerText)",
                                arg=[timer.locator('[data-testid="stMetricValue"]').element_handle(), first],
                                timeout=10_000)
    second = timer.locator('[data-testid="stMetricValue"]').inner_text()
    assert _seconds(second) < _seconds(first) <= 60
    wait_for_text(ana, "Time left:")

    # The agreed answer and its note, set on the presenter's screen.
    presenter.get_by_role("combobox", name="Agreed answer").click()
    presenter.get_by_role("option", name=labels[3]).click()
    settle(presenter, 300)
    presenter.get_by_role("textbox", name=re.compile("Note: why the room agreed")).fill("=SUM(1) accounts matter")
    presenter.get_by_role("button", name="Save the agreed answer").click()
    wait_for_text(presenter, f"Saved as agreed: {labels[3]} · note: =SUM(1) accounts matter")

    facilitator.goto(facilitate_link)
    settle(facilitator)
    prepare_files(facilitator)
    rows = csv_rows(download(facilitator, "Per-question CSV"))
    header, first_row = rows[0], next(r for r in rows[1:] if r[rows[0].index("question_id")] == "uf_user_relationship")
    assert first_row[header.index("agreed_answer")] == labels[3]
    assert first_row[header.index("agreed_note")] == "'=SUM(1) accounts matter"  # formula-safe
    assert "Ana: Only the loyalty card" in first_row[header.index("comments")]
    report = download(facilitator, "Agreed HTML report").read_text(encoding="utf-8")
    assert "=SUM(1) accounts matter" in report and "Only the loyalty card" in report


def _seconds(shown: str) -> int:
    minutes, seconds = shown.split(":")
    return int(minutes) * 60 + int(seconds)


def test_a_participant_on_a_phone_sees_no_horizontal_scroll_and_the_workshops_name(contexts, app_url):
    page = contexts().new_page()
    join_link, _ = create_workshop(page, app_url, "A Very Long Business Name For A Small Screen Ltd")
    phone = join_as(contexts(viewport=PHONE), join_link, "Dee")
    answer(phone, Q1, 1)
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert "A Very Long Business Name" in phone.title()
    assert "A Very Long Business Name" in phone.locator("h1").first.inner_text()
    phone.get_by_role("button", name="I'm done").click()
    wait_for_text(phone, "the facilitator sees that you are done")
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


def custom_rubric(tmp_path: Path) -> list[Path]:
    target = tmp_path / "acme"
    shutil.copytree(DEFAULT_RUBRICS, target)
    set_file = target / "set.yaml"
    set_file.write_text(set_file.read_text().replace("id: internet_plus", "id: acme_plus", 1)
                        .replace('version: "2.0"', 'version: "2.1"', 1))
    first = target / "user_first.yaml"
    first.write_text(first.read_text().replace(f"en: {FIRST_QUESTION}", "en: How well does ACME know its customers?"))
    return sorted(target.glob("*.yaml"))


def create_with_rubric(page, url: str, business: str, files: list[Path]) -> None:
    open_page(page, url, "/workshops")
    page.get_by_role("textbox", name="Business name").fill(business)
    page.get_by_test_id("stRadioGroup").get_by_text("My own set: upload its YAML files").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(files)
    settle(page)
    page.get_by_role("button", name="Create the workshop").click()
    settle(page)


def test_a_workshop_on_an_uploaded_rubric_set_uses_it_everywhere(contexts, app_url, tmp_path):
    context = contexts(viewport={"width": 1280, "height": 3000}, accept_downloads=True)
    page = context.new_page()
    create_with_rubric(page, app_url, "ACME Stores", custom_rubric(tmp_path))
    text = page.locator(MAIN).inner_text()
    assert "Rubric set acme_plus 2.1" in text
    links = [code.inner_text().strip() for code in page.locator('[data-testid="stCode"] code').all()]
    join_link = next(link for link in links if "/join?code=" in link)
    facilitate_link = next(link for link in links if "/facilitate?" in link)
    participant = join_as(contexts(), join_link, "Eve")
    answer(participant, "1. How well does ACME know its customers?", 3)  # the uploaded set's own wording
    page.goto(facilitate_link)
    settle(page)
    page.get_by_role("button", name="Save the agreed answers").click()
    wait_for_text(page, "Saved 1 agreed answer.")
    prepare_files(page)
    rows = csv_rows(download(page, "Per-question CSV"))
    header, body = rows[0], rows[1:]
    row = next(r for r in body if r[header.index("question_id")] == "uf_user_relationship")
    assert row[header.index("question")] == "How well does ACME know its customers?"
    from assessment.rubrics import load_rubric_dir

    assert row[header.index("median")] == load_rubric_dir().question("uf_user_relationship").options[3].id
    assert {r[header.index("rubric_id")] for r in body} == {"acme_plus"}
    assert {r[header.index("rubric_version")] for r in body} == {"2.1"}
    assert len(body[0][header.index("rubric_digest")]) == 64
    summary = csv_rows(download(page, "Agreed summary CSV"))
    assert summary[1][summary[0].index("rubric_set")] == "acme_plus"
    assert summary[1][summary[0].index("rubric_digest")] == body[0][header.index("rubric_digest")]


def test_a_broken_rubric_set_is_refused_with_its_file_and_line(contexts, app_url, tmp_path):
    files = custom_rubric(tmp_path)
    broken = next(f for f in files if f.name == "set.yaml")
    broken.write_text(broken.read_text().replace("weight: 1.5", "weight: -1", 1))
    page = contexts().new_page()
    create_with_rubric(page, app_url, "Broken Co", files)
    wait_for_text(page, "not accepted")
    text = page.locator(MAIN).inner_text()
    assert re.search(r"set\.yaml:\d+: dimensions\[\d\]\.weight", text), text
    assert "Workshop created" not in text


def test_keyboard_arrows_step_through_the_questions(contexts, app_url):
    page = contexts().new_page()
    join_link, facilitate_link = create_workshop(page, app_url, "Keys Bakery")
    answer(join_as(contexts(viewport=PHONE), join_link, "Fay"), Q1, 1)
    page.goto(facilitate_link.replace("/facilitate?", "/present?"))
    settle(page)
    page.keyboard.press("ArrowRight")
    wait_for_text(page, "Question 1 of 25")
    page.keyboard.press("ArrowRight")
    wait_for_text(page, "Question 2 of 25")
    page.keyboard.press("ArrowLeft")
    wait_for_text(page, "Question 1 of 25")
    assert "Question 2 of 25" not in page.locator(MAIN).inner_text()
