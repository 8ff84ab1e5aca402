"""Scoring many businesses at once: a CSV with a row per business, a column per question.

The CSV is read by :mod:`assessment.responses` with answer columns
dictionary-encoded, so each block of rows holds a handful of distinct strings:
they are matched to option codes once per block (Arrow's ``index_in``), and
every cell's code is a lookup by its dictionary index. Then all rows go through
the same :func:`~assessment.engine.score_codes` a single business does, so
batch and one-by-one results are identical by construction. No Python loop
runs per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assessment.engine import UNANSWERED, Scores, compile_rubric, score_codes
from assessment.export import summary_table
from assessment.models import DONT_KNOW, RubricSet
from assessment.problems import InputError, Problem
from assessment.responses import MAX_LISTED, META_COLUMNS, Source, read_table

__all__ = ["META_COLUMNS", "MAX_UPLOAD_BYTES", "read_responses", "score_file", "score_frame", "score_table"]

DONT_KNOW_CODE = UNANSWERED  # "don't know" counts as unknown, like an empty cell, until the engine tells them apart
MAX_UPLOAD_BYTES = 5_000_000  # the app's cap on an uploaded responses CSV (the command line has none)
_NOT_AN_OPTION = -99


@dataclass
class _Tally:
    """Cells of one column that are not allowed: how many, and the first few (row, value)."""

    count: int = 0
    first: list[tuple[int, object]] = field(default_factory=list)

    def add(self, rows: np.ndarray, values: pa.Array) -> None:
        self.count += rows.size
        room = MAX_LISTED - len(self.first)
        if room > 0:
            self.first += zip(rows[:room].tolist(), values.slice(0, room).to_pylist())

    def problem(self, file: str, qid: str, why: str) -> Problem:
        listed = ", ".join(f"row {r} ({v!r})" for r, v in self.first)
        more = f" and {self.count - len(self.first)} more" if self.count > len(self.first) else ""
        return Problem(f"{self.count} cell(s) {why}: {listed}{more}", file, path=f"column {qid}")


def read_responses(source: Source, max_bytes: int | None = None) -> pd.DataFrame:
    """A responses CSV as a DataFrame (UTF-8, with or without a byte-order mark); ragged rows refused."""
    return read_table(source, max_bytes=max_bytes)[0].to_pandas()


def score_file(source: Source, rubric: RubricSet, lang: str = "en", name: str = "",
               max_bytes: int | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and score a responses CSV: a path (the command line) or an upload's bytes, within
    ``max_bytes`` (the app passes :data:`MAX_UPLOAD_BYTES`, so no upload can hold the server)."""
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "")
    engine = compile_rubric(rubric)
    counts = {q.id for _, q in rubric.count_questions()}
    known = set(engine.question_ids) | counts
    table, header = read_table(source, name, columns=known, text=counts, max_bytes=max_bytes)
    scored, problems = score_table(table, rubric, lang, name)
    return scored, problems + _unknown_columns(header, known, rubric, name)


def score_frame(frame: pd.DataFrame, rubric: RubricSet, lang: str = "en", file: str = "") -> tuple[pd.DataFrame, list[Problem]]:
    """Score every row of a frame; bad cells count as unanswered and are reported."""
    table = pa.table({str(c): _as_strings(frame[c]) for c in frame.columns})
    known = set(compile_rubric(rubric).question_ids) | {q.id for _, q in rubric.count_questions()}
    scored, problems = score_table(table, rubric, lang, file)
    return scored, problems + _unknown_columns(table.column_names, known, rubric, file)


def score_table(table: pa.Table, rubric: RubricSet, lang: str = "en", file: str = "") -> tuple[pd.DataFrame, list[Problem]]:
    """The summary of every row (the same columns as a single business's), and the bad cells."""
    if "business" not in table.column_names:
        raise InputError([Problem("the CSV needs a 'business' column", file)])
    scores, problems = score_rows(table, rubric, file)
    meta = pd.DataFrame({c: table[c].to_pandas() if c in table.column_names else "" for c in META_COLUMNS},
                        index=pd.RangeIndex(table.num_rows))
    return summary_table(rubric, meta, scores, lang), problems


def score_rows(table: pa.Table, rubric: RubricSet, file: str = "") -> tuple[Scores, list[Problem]]:
    """Scores of every row, and a problem per column holding values that are not allowed."""
    engine = compile_rubric(rubric)
    present = set(table.column_names)

    def convert(q: int) -> tuple[np.ndarray, Problem | None]:
        qid, options = engine.question_ids[q], engine.option_ids[q]
        if qid not in present:
            return np.full(table.num_rows, UNANSWERED, dtype=np.int32), None
        codes, tally = option_codes(table[qid], options)
        return codes, tally.problem(file, qid, "not one of its options: " + ", ".join(options)) if tally.count else None

    converted = [convert(q) for q in range(len(engine.question_ids))]
    counts = [_count_problem(table[q.id], q.id, file) for _, q in rubric.count_questions() if q.id in present]
    scores = score_codes(engine, [codes for codes, _ in converted])
    return scores, [p for _, p in converted if p is not None] + [p for p in counts if p is not None]


def option_codes(column: pa.ChunkedArray, options: tuple[str, ...]) -> tuple[np.ndarray, _Tally]:
    """Each cell's position among ``options`` (-1: empty or "don't know"), and the cells that are not options."""
    dictionary, entry = _encoded(column)
    value_set = pa.array([*options, DONT_KNOW, ""], pa.string())
    lookup = np.array([*range(len(options)), DONT_KNOW_CODE, UNANSWERED, _NOT_AN_OPTION], dtype=np.int32)
    found = pc.fill_null(pc.index_in(dictionary, value_set=value_set), len(value_set)).to_numpy()
    codes = np.append(lookup[found], UNANSWERED)[entry]  # the last entry: an empty cell
    tally = _Tally()
    bad = np.flatnonzero(codes == _NOT_AN_OPTION)
    if bad.size:
        tally.add(bad + 2, dictionary.take(pa.array(entry[bad[:MAX_LISTED]])))
        codes[bad] = UNANSWERED
    return codes, tally


def _encoded(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """All chunks' dictionaries end to end, and each row's position in them (their length when empty).

    Arrow gives each block of rows its own dictionary; numbering them end to end
    keeps the work vectorised (no Python loop over a column's hundreds of blocks).
    """
    if not pa.types.is_dictionary(column.type):
        column = pa.chunked_array([pc.dictionary_encode(column.combine_chunks())]) if column.num_chunks else column
    chunks = column.chunks
    if not chunks:
        return pa.array([], pa.string()), np.empty(0, dtype=np.intp)
    dictionary = pa.concat_arrays([c.dictionary for c in chunks])
    sizes = np.array([len(c.dictionary) for c in chunks], dtype=np.int32)
    index = pc.fill_null(pa.chunked_array([c.indices for c in chunks], chunks[0].indices.type), -1).to_numpy()
    entry = index + np.repeat(np.cumsum(sizes, dtype=np.int32) - sizes, [len(c) for c in chunks])
    entry[index < 0] = len(dictionary)
    return dictionary, entry


def _count_problem(column: pa.ChunkedArray, qid: str, file: str) -> Problem | None:
    """Counts must be numbers ≥ 0 (or "don't know")."""
    tally = _Tally()
    bad = np.flatnonzero(~_valid_counts(column))
    if bad.size:
        tally.add(bad + 2, column.take(pa.array(bad[:MAX_LISTED])).cast(pa.string()))
    return tally.problem(file, qid, "expected a number ≥ 0") if tally.count else None


def _valid_counts(values: pa.ChunkedArray) -> np.ndarray:
    """Per cell: empty, "don't know", or a finite number ≥ 0 (as pd.to_numeric reads it)."""
    values = values.cast(pa.string())
    known = pc.if_else(pc.equal(values, DONT_KNOW), None, values)
    try:
        numbers = pc.cast(known, pa.float64()).to_numpy()
    except pa.ArrowInvalid:  # something that is not a number: let pandas say which
        numbers = pd.to_numeric(known.to_pandas(), errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        valid = np.isfinite(numbers) & (numbers >= 0)
    return valid | pc.is_null(known).to_numpy()


def _as_strings(column: pd.Series) -> pa.Array:
    values = pa.array(column, from_pandas=True)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return values
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), pa.string())
    return pc.cast(values, pa.string())


def _unknown_columns(columns: list[str], known: set[str], rubric: RubricSet, file: str) -> list[Problem]:
    """A warning per column that is neither a question nor a META_COLUMNS column (it is not read)."""
    return [Problem(f"column '{c}' is not a question id of {rubric.id} {rubric.version}; ignored", file, severity="warning")
            for c in columns if c not in known and c not in META_COLUMNS]
