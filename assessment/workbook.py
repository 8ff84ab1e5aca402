"""The XLSX workbook of one assessment: answers, summary, plan and history, a sheet each.

XlsxWriter writes each cell with the writer for its value's type: numbers as
numbers, booleans as booleans, dates as dates, and text with ``write_string``,
which stores it as a string cell — never a formula, a link or a number, whatever
it starts with. A text Excel would turn into a formula once a user edits the
cell (``=``, ``+``, ``-``, ``@`` … as in :mod:`assessment.export`) also carries
Excel's quote prefix, so it stays text then too. Unlike the CSV's apostrophe,
the prefix is formatting: the value is exactly what was typed.

The sheets come as DataFrames (:func:`assessment_sheets`), so a new table is one
more entry; a sheet with no rows yet gets a line saying what would fill it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from assessment.answers import AnswerSheet
from assessment.export import answers_frame, neutralise, summary_frame
from assessment.formatting import width
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import RubricSet

SHEETS = ("Answers", "Summary", "Plan", "History")
# What a sheet with no rows says, by sheet name (any other empty sheet: "xlsx_empty").
EMPTY_NOTES = {"Plan": "xlsx_no_plan", "History": "xlsx_no_history"}
# XlsxWriter's own conversions, all off: a string is written as a string, and only as one.
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
           "nan_inf_to_errors": False, "in_memory": True}
MAX_TEXT = 32_767  # characters in one Excel cell
MAX_WIDTH = 60  # columns wider than this wrap


def assessment_sheets(
    sheet: AnswerSheet,
    result: AssessmentView,
    rubric: RubricSet,
    plan: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame | None]:
    """The workbook's sheets, in order: the same answers and summary tables as the CSV files, then plan and history."""
    return {
        "Answers": answers_frame(sheet, result, rubric),
        "Summary": summary_frame([sheet], rubric, result.language),
        "Plan": plan,
        "History": history,
    }


def workbook_bytes(sheets: Mapping[str, pd.DataFrame | None], lang: str = "en") -> bytes:
    """The sheets as one XLSX file; a sheet given as None or with no rows holds a one-line note in ``lang``."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, OPTIONS) as book:
        formats = _Formats(book)
        for name, frame in sheets.items():
            _write_sheet(book.add_worksheet(name), frame, formats, t(EMPTY_NOTES.get(name, "xlsx_empty"), lang))
    return buffer.getvalue()


def write_workbook(sheets: Mapping[str, pd.DataFrame | None], path: str | Path, lang: str = "en") -> Path:
    path = Path(path)
    path.write_bytes(workbook_bytes(sheets, lang))
    return path


class _Formats:
    """The few cell formats, made once per workbook, each also with Excel's quote prefix (for formula-like text)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        styles: dict[str, dict[str, Any]] = {
            "header": {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"},
            "cell": {"valign": "top"},
            "wrap": {"text_wrap": True, "valign": "top"},
        }
        self.plain = {name: book.add_format(style) for name, style in styles.items()}
        self.quoted = {name: book.add_format(style | {"quote_prefix": True}) for name, style in styles.items()}
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.note = book.add_format({"italic": True})


def _write_sheet(sheet: Worksheet, frame: pd.DataFrame | None, formats: _Formats, empty_note: str) -> None:
    if frame is None or frame.empty:
        if frame is not None:
            for column, name in enumerate(frame.columns):
                _write_cell(sheet, 0, column, str(name), "header", formats)
        sheet.write_string(0 if frame is None or not len(frame.columns) else 2, 0, empty_note, formats.note)
        sheet.set_column(0, 0, MAX_WIDTH)
        return
    widths = _column_widths(frame)
    for column, name in enumerate(frame.columns):
        _write_cell(sheet, 0, column, str(name), "header", formats)
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for column, value in enumerate(values):
            _write_cell(sheet, row, column, value, "wrap" if widths[column] >= MAX_WIDTH else "cell", formats)
    for column, size in enumerate(widths):
        sheet.set_column(column, column, size)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, style: str, formats: _Formats) -> None:
    """One cell, typed by its value; text always as a string cell."""
    value = _plain(value)
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, formats.plain[style])
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value, formats.plain[style])
    elif isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(row, column, value, formats.date)
    else:
        text = str(value)[:MAX_TEXT]
        formula_like = neutralise(text) != text  # a formula if typed in: the quote prefix keeps it text when edited
        sheet.write_string(row, column, text, (formats.quoted if formula_like else formats.plain)[style])


def _plain(value: Any) -> Any:
    """A pandas or numpy value as a plain Python one; None (a blank cell) for every kind of missing value, an empty
    text and a non-finite number."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _column_widths(frame: pd.DataFrame) -> list[int]:
    """Each column as wide as its header or longest text (in display columns), capped at MAX_WIDTH."""
    out = []
    for name in frame.columns:
        texts = [str(name), *(str(v) for v in frame[name].head(500) if _plain(v) is not None)]
        out.append(min(max(width(text) for text in texts) + 2, MAX_WIDTH))
    return out
