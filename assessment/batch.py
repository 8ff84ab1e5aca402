"""Scoring many businesses at once: a CSV with a row per business, a column per question.

Every question column becomes option codes in one vectorised step (Arrow's
``index_in`` kernel, columns in parallel threads), then all rows go through the
same :func:`~assessment.engine.score_codes` a single business does, so batch
and one-by-one results are identical by construction. No Python loop runs per
row.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assessment.engine import UNANSWERED, UNKNOWN_DONT_KNOW, Verdicts, compile_rubric, score_range
from assessment.export import summary_table
from assessment.models import RubricSet
from assessment.vocabulary import DONT_KNOW
from assessment.problems import InputError, Problem

META_COLUMNS = ("business", "sector", "assessor", "date")
MAX_LISTED = 5


def read_responses(source: str | Path) -> pd.DataFrame:
    """Read a responses CSV (UTF-8, with or without a byte-order mark)."""
    try:
        return pd.read_csv(source, encoding="utf-8-sig", dtype={c: "str" for c in META_COLUMNS})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, OSError) as exc:
        name = Path(str(getattr(source, "name", source))).name
        raise InputError([Problem(f"cannot read the CSV: {exc}", name)]) from None


def score_rows(frame: pd.DataFrame, rubric: RubricSet, file: str = "") -> tuple[Verdicts, list[Problem]]:
    """Scores of every row, and a problem per column holding values that are not options.

    Each question column becomes option codes with Arrow's ``index_in`` kernel
    (columns in parallel threads: the kernel releases the GIL), then all rows
    go through :func:`~assessment.engine.score_range`, as a single business does.
    """
    engine = compile_rubric(rubric)
    value_sets = [pa.array([*options, DONT_KNOW], pa.string()) for options in engine.option_ids]

    def convert(q: int) -> tuple[np.ndarray, Problem | None]:
        qid = engine.question_ids[q]
        if qid not in frame.columns:
            return np.full(len(frame), UNANSWERED, dtype=np.int32), None
        codes, bad = option_codes(_as_strings(frame[qid]), value_sets[q])
        codes = np.where(codes == len(engine.option_ids[q]), UNKNOWN_DONT_KNOW, codes)
        if not bad.size:
            return codes, None
        return codes, _bad_cells(file, qid, bad, frame[qid], "not one of its options: " + ", ".join(engine.option_ids[q]))

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        converted = list(pool.map(convert, range(len(engine.question_ids))))
    scores = score_range(engine, [codes for codes, _ in converted])
    return scores, [p for _, p in converted if p is not None] + _other_problems(frame, rubric, file)


def _as_strings(column: pd.Series) -> pa.Array | pa.ChunkedArray:
    values = pa.array(column, from_pandas=True)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return values
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), pa.string())
    return pc.cast(values, pa.string())


def option_codes(values: pa.Array | pa.ChunkedArray, options: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's position among ``options`` (-1: empty or not an option), and the
    positions holding something that is not an option."""
    found = pc.index_in(values, value_set=options)
    codes = pc.fill_null(found, UNANSWERED).to_numpy(zero_copy_only=False)
    if found.null_count == values.null_count:
        return codes, np.empty(0, dtype=int)
    bad = pc.and_(pc.is_null(found), pc.is_valid(values))
    return codes, np.flatnonzero(bad.to_numpy(zero_copy_only=False))


def _other_problems(frame: pd.DataFrame, rubric: RubricSet, file: str) -> list[Problem]:
    """Counts that are not numbers, columns that are not questions, no business column."""
    problems = []
    counts = [q.id for _, q in rubric.count_questions()]
    for qid in counts:
        if qid in frame.columns:
            numbers = pd.to_numeric(frame[qid], errors="coerce")
            bad = np.flatnonzero((numbers.isna() & frame[qid].notna() | (numbers < 0)).to_numpy())
            if bad.size:
                problems.append(_bad_cells(file, qid, bad, frame[qid], "expected a number ≥ 0"))
    known = set(compile_rubric(rubric).question_ids) | set(counts) | set(META_COLUMNS)
    for column in frame.columns:
        if column not in known:
            problems.append(Problem(f"column '{column}' is not a question id of {rubric.id} {rubric.version}; ignored", file, severity="warning"))
    if "business" not in frame.columns:
        problems.append(Problem("the CSV needs a 'business' column", file))
    return problems


def _bad_cells(file: str, qid: str, rows: np.ndarray, column: pd.Series, why: str) -> Problem:
    listed = ", ".join(f"row {r + 2} ({column.iloc[r]!r})" for r in rows[:MAX_LISTED])
    more = f" and {rows.size - MAX_LISTED} more" if rows.size > MAX_LISTED else ""
    return Problem(f"{rows.size} cell(s) {why}: {listed}{more}", file, path=f"column {qid}")


def score_frame(frame: pd.DataFrame, rubric: RubricSet, lang: str = "en", file: str = "") -> tuple[pd.DataFrame, list[Problem]]:
    """Score every row; bad cells count as unanswered and are reported."""
    if "business" not in frame.columns:
        raise InputError([Problem("the CSV needs a 'business' column", file)])
    scores, problems = score_rows(frame, rubric, file)
    meta = pd.DataFrame({c: frame[c] if c in frame.columns else "" for c in META_COLUMNS})
    return summary_table(rubric, meta, scores, lang), problems


def score_csv(path: str | Path, rubric: RubricSet, lang: str = "en") -> tuple[pd.DataFrame, list[Problem]]:
    return score_frame(read_responses(path), rubric, lang, Path(path).name)
