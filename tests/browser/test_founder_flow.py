"""A founder in a real browser: from an empty form to a verdict, downloads, report offline."""

from __future__ import annotations

import re
import shutil

from playwright.sync_api import expect

from assessment.export import FORMULA_START
from assessment.rubrics import DEFAULT_RUBRICS
from tests.browser.conftest import settle
from tests.browser.helpers import (
    answer_visible_tab,
    csv_rows,
    download,
    fill_visible_counts,
    go,
    open_expander,
    open_page,
    type_into,
    upload,
)

pytestmark = __import__("pytest").mark.browser

NASTY = "<img src=x onerror=alert(1)>"


def test_founder_goes_from_an_empty_form_to_a_classification(page, app_url, screenshots_dir):
    open_page(page, app_url)
    assert "0 of 31 questions answered" in page.locator('[data-testid="stSidebar"]').inner_text()
    type_into(page, "Business name", "Corner Bakery")
    answered = 0
    for index in range(page.get_by_role("tab").count()):
        page.get_by_role("tab").nth(index).click()
        settle(page, 300)
        answered += answer_visible_tab(page, 1)
        answered += fill_visible_counts(page, [1_200, 20_000, 15, 300, 0, 500])
    settle(page)
    assert answered == 31
    assert "31 of 31 questions answered" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.screenshot(path=screenshots_dir / "assess.png", clip={"x": 0, "y": 0, "width": 1280, "height": 1500})
    go(page, "Results")
    main = page.locator('[data-testid="stMain"]')
    assert "Corner Bakery" in main.inner_text()
    verdict = main.locator("h3").first.inner_text()
    assert verdict.startswith("+Internet: ") and "points short of the Internet+ boundary on" in verdict
    assert "is classified +Internet" in main.inner_text()
    assert "What would change the verdict" in main.inner_text()
    page.screenshot(path=screenshots_dir / "results.png", clip={"x": 0, "y": 0, "width": 1280, "height": 1400})
    assert page.locator(".js-plotly-plot").count() == 2  # the bar per condition, and one chart per tab
    for name in ("Among the examples", "Connection growth"):
        page.get_by_role("tab", name=name).click()
        settle(page)
        assert page.locator(".js-plotly-plot").count() == 2
        assert name in page.locator('[data-testid="stMain"]').inner_text()
    page.get_by_role("tabpanel").filter(visible=True).last.screenshot(path=screenshots_dir / "results-growth.png")
    for name in ("assess.png", "results.png", "results-growth.png"):
        assert (screenshots_dir / name).read_bytes().startswith(b"\x89PNG"), name


def test_answers_csv_downloads_with_a_row_per_question_and_neutralised_labels(page, app_url):
    open_page(page, app_url, "/export?example=cake-shop")
    rows = csv_rows(download(page, "Answers CSV"))
    header, body = rows[0], rows[1:]
    assert len(body) == 31 and header[:2] == ["business", "dimension"]
    assert {row[0] for row in body} == {"Sweet Crumbs Cake Shop"}
    summary = csv_rows(download(page, "Summary CSV"))
    record = dict(zip(summary[0], summary[1], strict=True))
    assert record["classification"] == "'+Internet" and record["class_code"] == "plus_internet"
    for row in rows + summary:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell


def test_saved_answers_load_back(page, app_url, tmp_path):
    open_page(page, app_url, "/?example=hotel-online-booking")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("31 of 31 questions answered")  # the example is open: its Save button is drawn
    saved = download(page, "Save answers")
    copy = tmp_path / "hotel.yaml"
    shutil.copy(saved, copy)
    page.get_by_role("button", name="Clear all answers").click()
    settle(page)
    page.get_by_role("button", name="Yes, clear everything").click()
    settle(page)
    assert "0 of 31 questions answered" in page.locator('[data-testid="stSidebar"]').inner_text()
    open_expander(page, "Start from an example")
    upload(page, copy)
    assert "Loaded 31 answers for Grand Riverside Hotel" in page.locator('[data-testid="stMain"]').inner_text()
    assert "31 of 31 questions answered" in page.locator('[data-testid="stSidebar"]').inner_text()


def test_the_html_report_opens_offline(page, context, app_url, browser, tmp_path):
    open_page(page, app_url, "/export?example=mobile-wallet")
    report = tmp_path / "report.html"
    shutil.copy(download(page, "HTML report"), report)
    offline = browser.new_context()
    offline.set_offline(True)
    requests: list[str] = []
    offline.on("request", lambda request: requests.append(request.url))
    viewer = offline.new_page()
    viewer.goto(report.as_uri())
    viewer.wait_for_selector(".js-plotly-plot .main-svg")
    assert viewer.locator(".js-plotly-plot").count() == 5
    assert "Internet+" in viewer.locator("body").inner_text()
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
    offline.close()


def test_the_xlsx_workbook_and_the_pdf_report_download_and_open(page, app_url):
    import io

    import openpyxl
    from pypdf import PdfReader

    open_page(page, app_url, "/export?example=cake-shop&lang=zh")
    book = openpyxl.load_workbook(io.BytesIO(download(page, "XLSX 工作簿").read_bytes()))  # the path has no suffix
    assert book.sheetnames == ["Answers", "Summary", "Plan", "History"]
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    summary = {c.value: book["Summary"].cell(2, c.column) for c in book["Summary"][1]}
    assert summary["overall"].data_type == "n" and summary["classification"].value == "+互联网"
    first = PdfReader(download(page, "PDF 报告")).pages[0].extract_text()
    assert "Sweet Crumbs Cake Shop" in first and "+互联网" in first and "互联网+ 评估报告" in first


def test_a_broken_rubric_upload_shows_its_message(page, app_url, tmp_path):
    for path in DEFAULT_RUBRICS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    set_file = tmp_path / "set.yaml"
    set_file.write_text(set_file.read_text(encoding="utf-8").replace("    weight: 1.5", "    weight: -1"),
                        encoding="utf-8")
    open_page(page, app_url, "/rubrics")
    open_expander(page, "Upload a custom rubric set")
    upload(page, sorted(tmp_path.glob("*.yaml")))
    error = page.locator('[data-testid="stAlertContentError"]').inner_text()
    assert "The rubric set was refused" in error
    line = next(i for i, text in enumerate(set_file.read_text(encoding="utf-8").splitlines(), 1)
                if "weight: -1" in text)
    assert f"set.yaml:{line}: dimensions[2].weight: Input should be greater than 0" in error
    assert "Traceback" not in page.content()


def test_a_business_named_like_html_is_plain_text_everywhere(page, app_url, tmp_path):
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    open_page(page, app_url, "/?example=cake-shop")
    type_into(page, "Business name", NASTY)
    for name in ("Results", "Export", "Compare", "Rubrics", "Assess"):
        go(page, name)
        assert page.locator('img[src="x"]').count() == 0, name
    go(page, "Results")
    assert NASTY in page.locator('[data-testid="stMain"]').inner_text()
    go(page, "Export")
    report = tmp_path / "nasty.html"
    shutil.copy(download(page, "HTML report"), report)
    viewer = page.context.new_page()
    viewer.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    viewer.goto(report.as_uri())
    viewer.wait_for_selector(".js-plotly-plot .main-svg")
    assert viewer.locator('img[src="x"]').count() == 0
    assert NASTY in viewer.locator("body").inner_text()
    assert alerts == []


def test_language_switch_is_kept_in_the_link(page, app_url):
    open_page(page, app_url, "/?example=cake-shop")
    page.get_by_role("radio", name="简体中文").click()
    settle(page)
    assert re.search(r"[?&]lang=zh", page.url)
    assert page.locator("h1").first.inner_text().startswith("评估一家企业")
    fresh = page.context.new_page()
    fresh.goto(page.url)
    settle(fresh)
    assert fresh.locator("h1").first.inner_text().startswith("评估一家企业")
    assert fresh.get_by_role("textbox", name="企业名称").input_value() == "Sweet Crumbs Cake Shop"
