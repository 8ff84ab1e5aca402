"""CSV exports that are safe to open in a spreadsheet.

pandas' ``to_csv`` writes cells as they are, and a spreadsheet runs any cell
that starts with ``= + - @`` (or a tab, CR or LF before one) as a formula —
including the label "+Internet" itself, which Excel shows as ``#NAME?``. Every
text cell that starts with one of those characters gets a leading apostrophe,
the convention spreadsheets understand as "this is text". Numbers stay
numbers. Files are UTF-8 with a byte-order mark so Excel reads accents and
Chinese correctly, and fields holding CR or LF are quoted so a row never splits.

The summary's ``margin`` is the distance in points to the boundary (always
≥ 0); which side of it the business is on is its ``class_code``.

Reading a file back with pandas: ``read_csv(path)`` gives the neutralised text;
:func:`restore` (or ``df[col].str.replace(r"^'(?=[=+\\-@\\t\\r\\n])", "", regex=True)``)
gives the original labels back. The ``class_code`` column needs neither.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.answers import AnswerSheet
from assessment.engine import Verdicts, compile_rubric, score_range
from assessment.models import ChoiceQuestion, RubricSet, slug, text
from assessment.results import Assessment
from assessment.scoring import class_label
from assessment.vocabulary import ClassCode

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_RESTORE = r"^'(?=[=+\-@\t\r\n])"


def neutralise(value: object) -> object:
    """Prefix an apostrophe to a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised.

    Exports carry no negative numbers (the margin is a distance), but should a
    frame hold one it is neutralised too: no cell ever starts with ``-``.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            if (series < 0).any():
                out[column] = series.astype(object).map(lambda v: neutralise(str(v)) if v < 0 else v, na_action="ignore")
            continue
        out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as spreadsheet-safe CSV bytes (UTF-8 with BOM, CRLF rows)."""
    buffer = io.StringIO()
    safe_frame(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(to_csv_bytes(frame))
    return path


def restore(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise` on a frame read back with ``pd.read_csv``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].str.replace(_RESTORE, "", regex=True)
    return out


def answers_frame(sheet: AnswerSheet, result: Assessment, rubric: RubricSet) -> pd.DataFrame:
    """One row per question: the answer, its score and weight, and the advice when low."""
    lang = result.language
    lines = {line.question_id: line for line in result.lines}
    rows = []
    for dimension, question in rubric.questions():
        row = {
            "business": sheet.business,
            "dimension": dimension.id,
            "dimension_title": text(dimension.title, lang),
            "question_id": question.id,
            "question": text(question.text, lang),
        }
        if isinstance(question, ChoiceQuestion):
            line = lines[question.id]
            row |= {
                "answer_id": line.answer_id or "",
                "answer": line.answer,
                "state": line.state,
                "points": line.points,
                "max_points": line.max_points,
                "score_percent": line.percent,
                "weight": line.weight,
                "contribution_overall": round(line.contribution_overall, 4),
                "recommendation": line.recommendation,
                "note": line.note,
            }
        else:
            value = sheet.answers.get(question.id)
            state = "unanswered" if value is None else ("dont_know" if isinstance(value, str) else "answered")
            row |= {"answer_id": "dont_know" if state == "dont_know" else "",
                    "answer": "" if value is None or isinstance(value, str) else f"{value:g}", "state": state,
                    "points": None, "max_points": None, "score_percent": None, "weight": None,
                    "contribution_overall": None, "recommendation": "", "note": sheet.notes.get(question.id, "")}
        rows.append(row)
    return pd.DataFrame(rows)


def summary_table(
    rubric: RubricSet, meta: pd.DataFrame, verdicts: Verdicts, lang: str = "en"
) -> pd.DataFrame:
    """One row per business: dimension scores (low and high end), overall, class, margin.

    A complete sheet has ``low == high``; with unknown answers the two ends
    bound the scores, and ``class_code`` is ``undetermined`` when the unknowns
    could put it either side. ``margin`` is the distance past the boundary on
    the certain side (blank when undetermined). Used by both the single-business
    export and batch scoring, so the two files always have the same columns.
    """
    engine = compile_rubric(rubric)
    out = meta.reset_index(drop=True).copy()
    for d, dimension_id in enumerate(engine.dimension_ids):
        out[f"score_{dimension_id}"] = _exact(verdicts.low.dimensions[:, d], verdicts.high.dimensions[:, d])
        out[f"score_{dimension_id}_low"] = np.round(verdicts.low.dimensions[:, d], 2)
        out[f"score_{dimension_id}_high"] = np.round(verdicts.high.dimensions[:, d], 2)
    out["overall"] = _exact(verdicts.low.overall, verdicts.high.overall)
    out["overall_low"] = np.round(verdicts.low.overall, 2)
    out["overall_high"] = np.round(verdicts.high.overall, 2)
    classes = list(ClassCode)
    codes = pd.Categorical(verdicts.class_codes, categories=[c.value for c in classes])
    out["class_code"] = codes
    out["classification"] = codes.rename_categories([class_label(rubric, c, lang) for c in classes])
    out["determined"] = verdicts.determined
    out["margin"] = np.round(np.abs(verdicts.margin), 2)  # distance past the boundary; the side is the class
    out["borderline"] = verdicts.borderline
    out["completeness"] = np.round(verdicts.completeness, 4)
    out["dont_know"] = verdicts.dont_know
    out["rubric_set"] = rubric.id
    out["rubric_version"] = rubric.version
    return out


def _exact(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The score where both ends agree; NaN (a blank cell) while unknown answers could move it."""
    return np.where(low == high, np.round(low, 2), np.nan)


def summary_frame(sheets: Iterable[AnswerSheet], rubric: RubricSet, lang: str = "en") -> pd.DataFrame:
    """The summary of one or more answer sheets (their own dates, or blank)."""
    sheets = list(sheets)
    engine = compile_rubric(rubric)
    codes = np.array([engine.codes(s.answers) for s in sheets]).reshape(len(sheets), len(engine.question_ids))
    meta = pd.DataFrame(
        {
            "business": [s.business for s in sheets],
            "sector": [s.sector or "" for s in sheets],
            "assessor": [s.assessor or "" for s in sheets],
            "date": [s.date.isoformat() if s.date else "" for s in sheets],
        }
    )
    return summary_table(rubric, meta, score_range(engine, codes), lang)


def export_files(sheet: AnswerSheet, result: Assessment, rubric: RubricSet, directory: str | Path) -> list[Path]:
    """Write ``<business>-answers.csv`` and ``<business>-summary.csv`` into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = slug(sheet.business)
    return [
        write_csv(answers_frame(sheet, result, rubric), directory / f"{stem}-answers.csv"),
        write_csv(summary_frame([sheet], rubric, result.language), directory / f"{stem}-summary.csv"),
    ]
