"""Steps a user takes in the app, as Playwright actions."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.browser.conftest import settle


def open_page(page, url: str, path: str = "/") -> None:
    page.goto(url + path)
    settle(page)


def go(page, name: str) -> None:
    """Follow a sidebar link, as a user would."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
    settle(page)


def type_into(page, label: str, value: str) -> None:
    box = page.get_by_role("textbox", name=label)
    box.fill(value)
    box.press("Enter")
    settle(page, 400)


def choose(page, question_label: str, option_index: int) -> None:
    group = page.get_by_role("radiogroup", name=question_label)
    group.locator('[data-testid="stRadioOption"]').nth(option_index).click()


def answer_visible_tab(page, option_index: int) -> int:
    """Answer every question of the open tab; returns how many were answered."""
    panel = page.get_by_role("tabpanel").filter(visible=True).first
    groups = panel.get_by_role("radiogroup")
    count = groups.count()
    for i in range(count):
        groups.nth(i).locator('[data-testid="stRadioOption"]').nth(option_index).click()
        settle(page, 250)
    return count


def fill_visible_counts(page, values: list[int]) -> int:
    """Type numbers into the open tab's count questions (people, businesses, things; now, reachable)."""
    boxes = page.get_by_role("tabpanel").filter(visible=True).first.get_by_role("spinbutton")
    count = boxes.count()
    for i in range(count):
        boxes.nth(i).fill(str(values[i]))
        boxes.nth(i).press("Enter")
        settle(page, 250)
    return count


def download(page, button_name: str) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).click()
    return Path(info.value.path())


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def upload(page, files: list[Path] | Path, index: int = 0) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').nth(index).set_input_files(files)
    settle(page)


def open_expander(page, name: str) -> None:
    page.locator('[data-testid="stExpander"] summary', has_text=name).first.click()
    settle(page, 300)


Q1 = "1. How well does the business know the people it serves?"
Q2 = "2. Does the business give real value away free to gain users?"


def create_workshop(page, url: str, business: str) -> tuple[str, str]:
    """Create a workshop; returns (join link, facilitator link)."""
    open_page(page, url, "/workshops")
    page.get_by_role("textbox", name="Business name").fill(business)
    page.get_by_role("button", name="Create the workshop").click()
    settle(page)
    links = [code.inner_text().strip() for code in page.locator('[data-testid="stCode"] code').all()]
    join = next(link for link in links if "/join?code=" in link)
    facilitate = next(link for link in links if "/facilitate?" in link)
    return join, facilitate


def join_as(context, join_link: str, name: str):
    page = context.new_page()
    page.goto(join_link)
    settle(page)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"[?&]token="))
    settle(page)
    return page


def answer(page, question: str, option_index: int) -> None:
    page.get_by_role("radiogroup", name=question).locator('[data-testid="stRadioOption"]').nth(option_index).click()
    settle(page, 300)


def prepare_files(page) -> None:
    """A workshop's files are built on request (then downloaded): ask for them and wait until they are there."""
    page.get_by_role("button", name="Prepare the files").click()
    page.get_by_text("Prepared at").wait_for()
    settle(page, 300)
