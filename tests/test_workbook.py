"""The XLSX workbook: the expected sheets, the same tables as the CSV files, typed cells, no formula ever."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from assessment.answers import load_answers_file
from assessment.export import answers_frame, summary_frame
from assessment.i18n import t
from assessment.workbook import SHEETS, assessment_sheets, workbook_bytes
from tests.conftest import ROOT, answers_at, sheet_with
from tests.conftest import assessed as assess
from tests.test_cli import run

CAKE = ROOT / "data/examples/cake-shop.yaml"
# Texts a spreadsheet would run as formulas if they were typed into a cell.
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
           "\uff1d1+1", "  =1+1", "\t=1"]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def cake(rubric):
    sheet, _ = load_answers_file(CAKE, rubric)
    return sheet, assess(sheet, rubric)


def test_the_workbook_has_the_four_sheets_in_order(cake, rubric):
    sheet, result = cake
    book = _book(workbook_bytes(assessment_sheets(sheet, result, rubric)))
    assert book.sheetnames == list(SHEETS) == ["Answers", "Summary", "Plan", "History"]


def test_answers_and_summary_hold_the_csv_tables_with_numbers_as_numbers(cake, rubric):
    sheet, result = cake
    book = _book(workbook_bytes(assessment_sheets(sheet, result, rubric)))
    for name, frame in (("Answers", answers_frame(sheet, result, rubric)), ("Summary", summary_frame([sheet], rubric))):
        header, *rows = _values(book[name])
        assert header == list(frame.columns), name
        assert len(rows) == len(frame)
        for got, expected in zip(rows, frame.itertuples(index=False, name=None), strict=True):
            for cell, value in zip(got, expected, strict=True):
                if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
                    assert cell is None
                elif isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool):
                    assert cell is bool(value)
                elif isinstance(value, (int, float)):
                    assert isinstance(cell, (int, float)) and not isinstance(cell, bool)
                    assert cell == pytest.approx(value)
                else:
                    assert cell == str(value)
    summary = book["Summary"]
    columns = [c.value for c in summary[1]]
    row = {name: summary.cell(2, i + 1) for i, name in enumerate(columns)}
    assert row["overall"].data_type == "n" and row["margin"].data_type == "n" and row["margin"].value == 50
    assert row["determined"].data_type == "b" and row["determined"].value is True
    assert row["classification"].data_type == "s" and row["classification"].value == "+Internet"
    assert row["classification"].quotePrefix  # Excel keeps it text even when the cell is edited
    assert row["class_code"].value == "plus_internet" and not row["class_code"].quotePrefix
    answers = book["Answers"]
    points = [c.value for c in answers[1]].index("points") + 1
    assert all(answers.cell(r, points).data_type == "n" for r in range(2, 27))


def test_no_cell_is_a_formula_and_no_example_cell_starts_with_equals(cake, rubric):
    sheet, result = cake
    data = workbook_bytes(assessment_sheets(sheet, result, rubric))
    for worksheet in _book(data):
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate)
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate
    assert not _formulas(data)


def _formulas(data: bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets, read from the XML itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name))]


def test_hostile_text_stays_text_exactly_as_typed_with_the_quote_prefix(rubric):
    first, second = (q.id for _, q in rubric.choice_questions()[:2])
    sheet = sheet_with(rubric, answers_at(rubric, 1), HOSTILE[0])
    sheet = sheet.model_copy(update={"sector": HOSTILE[1], "assessor": HOSTILE[2],
                                     "notes": {first: HOSTILE[3], second: "\n".join(HOSTILE[4:])}})
    result = assess(sheet, rubric)
    data = workbook_bytes(assessment_sheets(sheet, result, rubric))
    assert not _formulas(data)
    book = _book(data)
    cells = [cell for worksheet in book for row in worksheet.iter_rows() for cell in row]
    texts = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for value in (*HOSTILE[:4], "\n".join(HOSTILE[4:])):
        assert value in texts, value  # exactly as typed: no apostrophe added to the value
        assert texts[value].data_type == "s" and texts[value].quotePrefix, value
    assert all(cell.data_type != "f" for cell in cells)
    plain = next(cell for cell in cells if cell.value in {"Test business", "User first"})
    assert not plain.quotePrefix  # only what could be read as a formula carries the prefix


def test_a_note_with_a_link_is_in_the_answers_sheet_as_plain_text_not_a_hyperlink(rubric):
    question = rubric.choice_questions()[0][1].id
    note = "Loyalty-card numbers: https://example.com/evidence.pdf"
    links = ["https://example.com/menu", "https://example.com/loyalty"]
    sheet = sheet_with(rubric, answers_at(rubric, 1)).model_copy(update={"notes": {question: note},
                                                                         "evidence": {question: links}})
    book = _book(workbook_bytes(assessment_sheets(sheet, assess(sheet, rubric), rubric)))
    answers = book["Answers"]
    header = [c.value for c in answers[1]]
    row = next(r for r in answers.iter_rows(min_row=2) if r[header.index("question_id")].value == question)
    cell = row[header.index("note")]
    assert cell.value == note and cell.data_type == "s" and cell.hyperlink is None
    evidence = row[header.index("evidence")]
    assert all(link in evidence.value for link in links) and evidence.hyperlink is None


def test_plan_and_history_are_written_when_given_with_typed_cells(cake, rubric):
    sheet, result = cake
    plan = pd.DataFrame({"action": ["=Open a marketplace", "Build a user community"], "owner": ["Ana", None],
                         "due": [dt.date(2027, 3, 1), None], "status": ["open", "done"], "gain": [12.5, 3.0]})
    history = pd.DataFrame({"taken_at": [pd.Timestamp("2026-01-02 10:00"), pd.Timestamp("2026-06-02 10:00")],
                            "overall": [16.2, 40.1], "class_code": ["plus_internet", "internet_plus"],
                            "borderline": [False, True], "margin": [50.0, float("nan")]})
    book = _book(workbook_bytes(assessment_sheets(sheet, result, rubric, plan=plan, history=history)))
    assert _values(book["Plan"])[0] == list(plan.columns)
    first = book["Plan"]["A2"]
    assert first.value == "=Open a marketplace" and first.data_type == "s" and first.quotePrefix
    assert book["Plan"]["C2"].is_date and book["Plan"]["C2"].value == dt.datetime(2027, 3, 1)
    assert book["Plan"]["B3"].value is None and book["Plan"]["E2"].value == 12.5
    rows = _values(book["History"])
    assert rows[0] == list(history.columns)
    assert rows[1][0] == dt.datetime(2026, 1, 2, 10, 0) and rows[2][1] == 40.1
    assert rows[2][3] is True and rows[2][4] is None  # NaN: a blank cell, not an error


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_and_history_not_given_or_empty_say_so(cake, rubric, lang):
    sheet, result = cake
    empty_plan = pd.DataFrame(columns=["action", "owner", "due", "status"])
    book = _book(workbook_bytes(assessment_sheets(sheet, result, rubric, plan=empty_plan), lang))
    assert _values(book["History"]) == [[t("xlsx_no_history", lang)]]
    plan = _values(book["Plan"])
    assert plan[0] == ["action", "owner", "due", "status"] and plan[-1][0] == t("xlsx_no_plan", lang)


def test_a_chinese_workbook_has_chinese_answers_and_labels(rubric):
    sheet, _ = load_answers_file(CAKE, rubric)
    result = assess(sheet, rubric, "zh")
    book = _book(workbook_bytes(assessment_sheets(sheet, result, rubric), "zh"))
    summary = dict(zip(*_values(book["Summary"]), strict=True))
    assert summary["classification"] == "+互联网"
    texts = [v for row in _values(book["Answers"]) for v in row if isinstance(v, str)]
    assert any(line.question in texts for line in result.lines)


def test_cli_export_xlsx_writes_the_workbook_beside_the_csv_files(tmp_path):
    done = run("export", str(CAKE), "--out", str(tmp_path), "--xlsx")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sweet-crumbs-cake-shop-answers.csv", "sweet-crumbs-cake-shop-summary.csv", "sweet-crumbs-cake-shop.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "sweet-crumbs-cake-shop.xlsx")
    assert book.sheetnames == list(SHEETS) and book["Summary"]["A2"].value == "Sweet Crumbs Cake Shop"
    assert run("export", str(CAKE), "--out", str(tmp_path / "csv-only")).returncode == 0
    assert not list((tmp_path / "csv-only").glob("*.xlsx"))
