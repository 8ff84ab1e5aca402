"""CSV exports that are safe to open in a spreadsheet.

pandas' ``to_csv`` writes cells as they are, and a spreadsheet runs any cell
that starts with ``= + - @`` (or a tab, CR or LF) as a formula — including the
label "+Internet" itself, which Excel shows as ``#NAME?``. Some spreadsheets
also read the full-width ``＝＋－＠`` as those signs, and skip leading spaces
(a no-break space too) before them. Every text cell that starts like that gets
a leading apostrophe, the convention spreadsheets understand as "this is text".
Numbers stay numbers. Files are UTF-8 with a byte-order mark so Excel reads
accents and Chinese correctly, and fields holding CR or LF are quoted so a row
never splits.

The summary's ``margin`` is the distance in points to the boundary (always
≥ 0); which side of it the business is on is its ``class_code``.

Reading a file back with pandas: ``read_csv(path)`` gives the neutralised text;
:func:`restore` gives the original labels back (a text that itself started
with apostrophes before a formula sign got one more, so it comes back exactly).
The ``class_code`` column needs neither.

Big tables (batch scoring) are written by :func:`write_table_csv` with Arrow's
CSV writer and the same rule applied by Arrow's regex kernel: no Python per
cell. That writer quotes every text cell and spells numbers the shortest way
(``12`` for ``12.0``); the values are the same.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from assessment.answers import AnswerSheet
from assessment.engine import Verdicts, compile_rubric, score_range
from assessment.evidence import links_text
from assessment.headline import headlines
from assessment.localise import AssessmentView, class_label
from assessment.models import ChoiceQuestion, RubricSet, slug, text
from assessment.vocabulary import ClassCode

FORMULA_SIGNS = "=+@\uff1d\uff0b\uff0d\uff20-"  # and their full-width forms ＝＋＠－ (the hyphen last: a regex class)
FORMULA_START = (*FORMULA_SIGNS, "\t", "\r", "\n")
# Every Unicode space (NBSP, U+2000–U+200A, U+3000…) and the invisible ones a cell may start with
# (ZWSP, word joiner, BOM).
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
# One pattern for Python's re and Arrow's RE2 (literal characters in the classes, no escapes, no lookahead).
# Apostrophes first: "'=x" gets one more, so restore() gives it back exactly.
_FORMULA = f"'*(?:[\t\r\n]|[{SPACES}]*[{FORMULA_SIGNS}])"
_IS_FORMULA = re.compile(_FORMULA)
_RESTORE = f"^'({_FORMULA})"


def neutralise(value: object) -> object:
    """Prefix an apostrophe to a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and _IS_FORMULA.match(value):
        return "'" + value
    return value


_FIRST = pa.array(sorted(set("'\t\r\n" + SPACES + FORMULA_SIGNS)))  # every first character the pattern can match


def neutralise_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`neutralise` on every text of an Arrow array, in Arrow's regex kernel.

    The regex runs only on the texts whose first character could start a
    formula (a cheap vectorised check): most names, labels and ids never do.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    suspect = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(values, 0, 1), value_set=_FIRST), False)
    if not pc.any(suspect).as_py():
        return values
    changed = pc.replace_substring_regex(values.filter(suspect), f"^({_FORMULA})", "'\\1")
    return pc.replace_with_mask(values, suspect, changed)


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
                out[column] = series.astype(object).map(lambda v: neutralise(str(v)) if v < 0 else v,
                                                        na_action="ignore")
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
            out[column] = out[column].str.replace(_RESTORE, r"\1", regex=True)
    return out


def safe_table(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """An Arrow table ready for the CSV writer: texts neutralised, NaN empty, booleans
    spelled True/False as in the other exports, negative numbers as neutralised text."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    columns = [_safe_column(table.column(i)) for i in range(table.num_columns)]
    return pa.table(columns, names=[str(neutralise(str(n))) for n in table.column_names])


def _safe_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_dictionary(kind) and _is_text(kind.value_type):  # a category: neutralise its few labels only
        return pa.chunked_array([pa.DictionaryArray.from_arrays(c.indices, neutralise_array(c.dictionary))
                                 for c in column.chunks], kind)
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "True", "False")
    if pa.types.is_floating(kind):
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        negative = pc.min(column).as_py()
        return column if negative is None or negative >= 0 else neutralise_array(column.cast(pa.string()))
    if pa.types.is_null(kind):
        return column
    text = column if _is_text(kind) else column.cast(pa.string())
    empty = pc.fill_null(pc.equal(text, ""), False)
    if pc.any(empty).as_py():  # "" and missing: both an empty field (a copy only when there is one)
        text = pc.if_else(empty, pa.scalar(None, text.type), text)
    return neutralise_array(text)


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


class CsvSink:
    """A big spreadsheet-safe CSV (UTF-8 with BOM, CRLF rows), written table by table, all or nothing.

    Arrow's writer runs on one core, so slices of rows are formatted in two
    threads, at most two slices ahead of the file (bounded memory), and written
    in order. The file appears under its name only when the ``with`` block ends
    without an exception or :meth:`discard`; until then it is a hidden file beside it.
    """

    def __init__(self, path: str | Path, rows_per_part: int = 65_536):
        self.path, self.rows_per_part = Path(path), rows_per_part
        self._pending: deque = deque()
        self._header = True
        self._keep = True

    def __enter__(self) -> CsvSink:
        handle, self._temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".part")
        self._out = os.fdopen(handle, "wb")
        self._pool = ThreadPoolExecutor(max_workers=2)
        self._out.write("\ufeff".encode())
        return self

    def write(self, frame: pd.DataFrame | pa.Table) -> None:
        table = safe_table(frame)
        for start in range(0, max(table.num_rows, 1), self.rows_per_part):
            self._pending.append(self._pool.submit(_csv_buffer, table.slice(start, self.rows_per_part), self._header))
            self._header = False
            while len(self._pending) > 2:
                self._out.write(self._pending.popleft().result())

    def discard(self) -> None:
        """Write nothing: the file is not created (an existing one is left as it was)."""
        self._keep = False

    def __exit__(self, kind, error, trace) -> None:
        try:
            while self._pending and kind is None and self._keep:
                self._out.write(self._pending.popleft().result())
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._out.close()
            if kind is None and self._keep:
                os.replace(self._temporary, self.path)
            else:
                Path(self._temporary).unlink(missing_ok=True)


def write_table_csv(frame: pd.DataFrame | pa.Table, path: str | Path) -> Path:
    """Write a big table as a spreadsheet-safe CSV with Arrow's writer (see :class:`CsvSink`)."""
    with CsvSink(path) as sink:
        sink.write(frame)
    return Path(path)


def _csv_buffer(table: pa.Table, header: bool) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, eol="\r\n"))
    return sink.getvalue()


def answers_frame(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet) -> pd.DataFrame:
    """One row per question: the answer, its score and weight, and the advice when low."""
    lang = result.language
    lines = {line.question_id: line for line in result.lines}
    rows = []
    for dimension, question in rubric.questions():
        row: dict[str, object] = {
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
                "evidence": links_text(line.evidence),
            }
        else:
            value = sheet.answers.get(question.id)
            state = "unanswered" if value is None else ("dont_know" if isinstance(value, str) else "answered")
            row |= {"answer_id": "dont_know" if state == "dont_know" else "",
                    "answer": "" if value is None or isinstance(value, str) else f"{value:g}", "state": state,
                    "points": None, "max_points": None, "score_percent": None, "weight": None,
                    "contribution_overall": None, "recommendation": "", "note": sheet.notes.get(question.id, ""),
                    "evidence": links_text(sheet.evidence.get(question.id, []))}
        rows.append(row)
    return pd.DataFrame(rows)


def summary_table(
    rubric: RubricSet, meta: pd.DataFrame, verdicts: Verdicts, lang: str = "en"
) -> pd.DataFrame:
    """One row per business: dimension scores (low and high end), overall, class, margin, verdict sentence.

    A complete sheet has ``low == high``; with unknown answers the two ends
    bound the scores, and ``class_code`` is ``undetermined`` when the unknowns
    could put it either side. ``margin`` is the distance past the boundary on
    the certain side (blank when undetermined). Used by both the single-business
    export and batch scoring, so the two files always have the same columns.
    """
    out = meta.reset_index(drop=True).copy()
    for name, values in summary_columns(rubric, verdicts, lang).items():
        out[name] = values
    return out


def summary_arrow(rubric: RubricSet, meta: dict[str, pa.ChunkedArray | pa.Array], verdicts: Verdicts,
                  lang: str = "en") -> pa.Table:
    """:func:`summary_table` as an Arrow table, straight from the arrays (no DataFrame): the batch
    command's path, where a million rows through pandas cost more than scoring them."""
    rows = len(verdicts.answered)
    columns = dict(meta)
    for name, values in summary_columns(rubric, verdicts, lang).items():
        if isinstance(values, str):
            columns[name] = pa.repeat(pa.scalar(values, pa.string()), rows)
        else:
            columns[name] = pa.array(values, from_pandas=True)  # NaN: missing (an empty field)
    return pa.table(columns)


def summary_columns(rubric: RubricSet, verdicts: Verdicts, lang: str = "en") -> dict[str, Any]:
    """The summary's columns after the meta columns, in order (see :func:`summary_table`): arrays, categoricals,
    and a text for a column that holds one value."""
    engine = compile_rubric(rubric)
    out: dict[str, Any] = {}
    for d, dimension_id in enumerate(engine.dimension_ids):
        out[f"score_{dimension_id}"] = _exact(verdicts.low.dimensions[:, d], verdicts.high.dimensions[:, d])
        out[f"score_{dimension_id}_low"] = np.round(verdicts.low.dimensions[:, d], 2)
        out[f"score_{dimension_id}_high"] = np.round(verdicts.high.dimensions[:, d], 2)
    out["overall"] = _exact(verdicts.low.overall, verdicts.high.overall)
    out["overall_low"] = np.round(verdicts.low.overall, 2)
    out["overall_high"] = np.round(verdicts.high.overall, 2)
    classes = list(ClassCode)
    codes = pd.Categorical.from_codes(verdicts.class_index, categories=pd.Index([c.value for c in classes]))
    out["class_code"] = codes
    out["classification"] = codes.rename_categories(lambda code: class_label(rubric, code, lang))
    out["determined"] = verdicts.determined
    out["margin"] = np.round(np.abs(verdicts.margin), 2)  # distance past the boundary; the side is the class
    out["verdict"] = headlines(rubric, verdicts, lang)  # the same sentence as the app and the report
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


def export_files(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet, directory: str | Path) -> list[Path]:
    """Write ``<business>-answers.csv`` and ``<business>-summary.csv`` into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = slug(sheet.business)
    return [
        write_csv(answers_frame(sheet, result, rubric), directory / f"{stem}-answers.csv"),
        write_csv(summary_frame([sheet], rubric, result.language), directory / f"{stem}-summary.csv"),
    ]
