"""Scoring many businesses at once: a CSV with a row per business, a column per question.

Each question column is turned into percentages in one vectorised step
(categorical codes index the option table), then the whole matrix goes through
the same :func:`~assessment.engine.score_matrix` as a single business does —
so batch and one-by-one results are identical by construction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from assessment.engine import compile_rubric, score_matrix
from assessment.export import summary_table
from assessment.models import RubricSet
from assessment.problems import InputError, Problem

META_COLUMNS = ("business", "sector", "assessor", "date")
MAX_LISTED = 5


def read_responses(source: str | Path, rubric: RubricSet) -> pd.DataFrame:
    """Read a responses CSV (UTF-8, with or without a byte-order mark)."""
    try:
        return pd.read_csv(source, encoding="utf-8-sig", dtype={c: "str" for c in META_COLUMNS})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, OSError) as exc:
        name = Path(str(getattr(source, "name", source))).name
        raise InputError([Problem(f"cannot read the CSV: {exc}", name)]) from None


def pct_matrix(frame: pd.DataFrame, rubric: RubricSet, file: str = "") -> tuple[np.ndarray, list[Problem]]:
    """The (rows × questions) matrix of answer percentages, and a problem per bad column."""
    engine = compile_rubric(rubric)
    matrix = np.full((len(frame), len(engine.question_ids)), np.nan)
    problems: list[Problem] = []
    for q, (qid, options) in enumerate(zip(engine.question_ids, engine.option_ids)):
        if qid not in frame.columns:
            continue
        column = frame[qid]
        codes = pd.Categorical(column, categories=list(options)).codes
        matrix[:, q] = np.append(engine.option_pct[q], np.nan)[codes]
        bad = np.flatnonzero((codes == -1) & column.notna().to_numpy())
        if bad.size:
            problems.append(_bad_cells(file, qid, bad, column, "not one of its options: " + ", ".join(options)))
    for qid in (q.id for _, q in rubric.count_questions()):
        if qid in frame.columns:
            numbers = pd.to_numeric(frame[qid], errors="coerce")
            bad = np.flatnonzero((numbers.isna() & frame[qid].notna() | (numbers < 0)).to_numpy())
            if bad.size:
                problems.append(_bad_cells(file, qid, bad, frame[qid], "expected a number ≥ 0"))
    known = set(engine.question_ids) | {q.id for _, q in rubric.count_questions()} | set(META_COLUMNS)
    for column in frame.columns:
        if column not in known:
            problems.append(Problem(f"column '{column}' is not a question id of {rubric.id} {rubric.version}; ignored", file, severity="warning"))
    if "business" not in frame.columns:
        problems.append(Problem("the CSV needs a 'business' column", file))
    return matrix, problems


def _bad_cells(file: str, qid: str, rows: np.ndarray, column: pd.Series, why: str) -> Problem:
    listed = ", ".join(f"row {r + 2} ({column.iloc[r]!r})" for r in rows[:MAX_LISTED])
    more = f" and {rows.size - MAX_LISTED} more" if rows.size > MAX_LISTED else ""
    return Problem(f"{rows.size} cell(s) {why}: {listed}{more}", file, path=f"column {qid}")


def score_frame(frame: pd.DataFrame, rubric: RubricSet, lang: str = "en", file: str = "") -> tuple[pd.DataFrame, list[Problem]]:
    """Score every row; bad cells count as unanswered and are reported."""
    matrix, problems = pct_matrix(frame, rubric, file)
    if any(p.severity == "error" and "'business'" in p.message for p in problems):
        raise InputError(problems)
    meta = pd.DataFrame({c: frame[c] if c in frame.columns else "" for c in META_COLUMNS})
    return summary_table(rubric, meta, score_matrix(compile_rubric(rubric), matrix), lang), problems


def score_csv(path: str | Path, rubric: RubricSet, lang: str = "en") -> tuple[pd.DataFrame, list[Problem]]:
    return score_frame(read_responses(path, rubric), rubric, lang, Path(path).name)
