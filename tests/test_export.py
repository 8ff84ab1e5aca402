"""CSV exports read back unchanged and never start a cell with a formula character."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from assessment.export import (
    answers_frame,
    export_files,
    neutralise,
    restore,
    summary_frame,
    to_csv_bytes,
    write_table_csv,
)
from tests.conftest import answers_at, sheet_with
from tests.conftest import assessed as assess

FULL_WIDTH_AND_SPACED = ["＝1+1", "＋Internet", "－2+3", "＠SUM(A1)", " =1+1", "\u00a0=1+1", "\u3000+x", "\u2003 @x",
                         "\ufeff=1"]
NASTY = ['=HYPERLINK("http://evil.example","click")', "+Internet", "-2+3", "@SUM(A1)", "\tTab", "\rCR",
         "Line\rbreak\nhere", "Crème brûlée 蛋糕店", *FULL_WIDTH_AND_SPACED, "'=already quoted", "''+twice"]
HARMLESS = ["Internet+", "a=1", " spaced", "'apostrophe", "1+1", "蛋糕 = cake"]


def runs_as_formula(cell: str) -> bool:
    """What a spreadsheet may run: a formula sign (or its full-width form) after any spaces, or a tab/CR/LF first."""
    first = cell.lstrip("\u200b\ufeff").lstrip()[:1]
    return (cell[:1] != "" and cell[:1] in "\t\r\n") or (first != "" and first in "=+-@＝＋－＠")


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_no_formula_cells(data: bytes) -> None:
    for row in cells(data):
        for cell in row:
            assert not runs_as_formula(cell), repr(cell)


@pytest.mark.parametrize("value", NASTY + HARMLESS)
def test_neutralise_prefixes_formula_starts_only(value):
    out = neutralise(value)
    if runs_as_formula(value.lstrip("'")):
        assert out == "'" + value
    else:
        assert out == value


@pytest.mark.parametrize("value", FULL_WIDTH_AND_SPACED)
def test_full_width_signs_and_leading_spaces_are_neutralised(value):
    assert runs_as_formula(value)
    assert neutralise(value) == "'" + value
    assert_no_formula_cells(to_csv_bytes(pd.DataFrame({"business": [value]})))


def test_the_arrow_writer_is_formula_safe_and_reads_back_unchanged(tmp_path):
    frame = pd.DataFrame({"business": NASTY + HARMLESS, "overall": [float(i) for i in range(len(NASTY + HARMLESS))]})
    frame.loc[1, "overall"] = -1.5  # should a frame hold a negative number, it is neutralised too
    path = write_table_csv(frame, tmp_path / "big.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert_no_formula_cells(data)
    back = restore(pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str))
    assert back["business"].tolist() == frame["business"].tolist()
    assert back["overall"][1] == "-1.5" and float(back["overall"][2]) == 2.0


def test_numbers_stay_numbers_and_negative_ones_are_neutralised_too():
    data = to_csv_bytes(pd.DataFrame({"x": [-3.5, 12.0], "label": ["-3.5", "ok"], "flag": [True, False]}))
    rows = cells(data)
    assert rows[1] == ["'-3.5", "'-3.5", "True"] and rows[2] == ["12.0", "ok", "False"]


@pytest.mark.parametrize("business", NASTY)
def test_exports_are_formula_safe_and_read_back_unchanged(rubric, tmp_path, business):
    sheet = sheet_with(rubric, answers_at(rubric, 1, cn_people_now=10), business)
    result = assess(sheet, rubric)
    answers_path, summary_path = export_files(sheet, result, rubric, tmp_path)
    for path, frame in ((answers_path, answers_frame(sheet, result, rubric)),
                        (summary_path, summary_frame([sheet], rubric))):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
        assert_no_formula_cells(data)
        text_columns = {c: str for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])}
        back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype=text_columns)
        assert len(back) == len(frame)  # a CR inside a value never splits a row
        expected = frame.reset_index(drop=True)
        restored = restore(back)
        assert list(restored.columns) == list(expected.columns)
        for column in expected.columns:
            left = expected[column].tolist()
            right = restored[column].tolist()
            if pd.api.types.is_numeric_dtype(expected[column]):
                pd.testing.assert_series_equal(pd.Series(right, dtype=float), pd.Series(left, dtype=float),
                                               check_names=False)
            else:
                restored_texts = [("" if pd.isna(v) else v) for v in right]
                assert restored_texts == [("" if pd.isna(v) else str(v)) for v in left], column


def test_summary_has_a_stable_class_code_beside_the_neutralised_label(rubric):
    sheets = [sheet_with(rubric, answers_at(rubric, 0), "Low"), sheet_with(rubric, answers_at(rubric, -1), "High")]
    data = to_csv_bytes(summary_frame(sheets, rubric))
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["class_code"]) == ["plus_internet", "internet_plus"]
    assert list(back["classification"]) == ["'+Internet", "Internet+"]
    assert list(restore(back)["classification"]) == ["+Internet", "Internet+"]
    assert {"score_user_first", "score_connection", "score_model_change", "overall", "margin", "completeness",
            "rubric_set", "rubric_version", "date"} <= set(back.columns)


def test_answers_csv_has_one_row_per_question_with_the_required_columns(rubric):
    sheet = sheet_with(rubric, answers_at(rubric, 1))
    frame = answers_frame(sheet, assess(sheet, rubric), rubric)
    assert len(frame) == len(rubric.questions())
    assert {"business", "dimension", "question_id", "question", "answer", "score_percent", "weight",
            "recommendation"} <= set(frame.columns)


def test_chinese_export_follows_the_language(rubric):
    sheet = sheet_with(rubric, answers_at(rubric, 0), "老王蛋糕店")
    result = assess(sheet, rubric, lang="zh")
    frame = answers_frame(sheet, result, rubric)
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert back["business"][0] == "老王蛋糕店"
    assert back["question"][0] == rubric.choice_questions()[0][1].text["zh"]
    summary = pd.read_csv(io.BytesIO(to_csv_bytes(summary_frame([sheet], rubric, "zh"))), encoding="utf-8-sig")
    assert summary["classification"][0] == "'+互联网"


def test_the_summary_carries_the_range_and_an_undetermined_class(rubric):
    from assessment.export import summary_frame

    only_unknown = sheet_with(rubric, {q.id: "dont_know" for _, q in rubric.choice_questions()}, "Unknowns")
    cannot_flip = sheet_with(rubric, answers_at(rubric, 0) | {"uf_onboarding": "dont_know"}, "Low")
    frame = summary_frame([only_unknown, cannot_flip], rubric)
    assert frame["class_code"].tolist() == ["undetermined", "plus_internet"]
    assert frame["classification"].tolist() == ["Undetermined", "+Internet"]
    assert frame["determined"].tolist() == [False, True]
    assert (frame["overall_low"][0], frame["overall_high"][0]) == (0.0, 100.0) and pd.isna(frame["overall"][0])
    assert pd.isna(frame["margin"][0]) and frame["margin"][1] > 0
    assert frame["dont_know"].tolist() == [25, 1]
    data = to_csv_bytes(frame)
    assert_no_formula_cells(data)
    assert "undetermined" in data.decode("utf-8-sig")
