"""Scoring many businesses at once: a CSV with a row per business, a column per question.

The CSV is read by :mod:`assessment.responses` in groups of rows, answer
columns dictionary-encoded: each block of rows holds a handful of distinct
strings, matched to option codes once (Arrow's ``index_in``), and every cell's
code is a lookup by its dictionary index (:mod:`assessment.cells`). Then all
rows go through the same :func:`~assessment.engine.score_range` a single
business does, so batch and one-by-one results are identical by construction.
No Python loop runs per row, and the command line writes each group's summary
while the next group is read.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa

from assessment.cells import Checks
from assessment.engine import UNANSWERED, Verdicts, compile_rubric, score_range
from assessment.export import CsvSink, summary_arrow, summary_table, to_csv_bytes
from assessment.models import RubricSet
from assessment.problems import InputError, Problem, errors_only
from assessment.responses import META_COLUMNS, Responses, Source, open_responses, read_table
from assessment.vocabulary import ClassCode

__all__ = ["MAX_UPLOAD_BYTES", "META_COLUMNS", "Upload", "read_responses", "score_file", "score_file_to", "score_frame",
           "score_upload"]

MAX_UPLOAD_BYTES = 5_000_000  # the app's cap on an uploaded responses CSV (the command line has none)


@dataclass(frozen=True)
class Written:
    """What :func:`score_file_to` did: rows scored, how many in each class, the problems found."""

    rows: int
    classes: dict[str, int]
    problems: list[Problem]


def read_responses(source: Source, max_bytes: int | None = None) -> pd.DataFrame:
    """A responses CSV as a DataFrame (UTF-8, with or without a byte-order mark); ragged rows refused."""
    return read_table(source, max_bytes=max_bytes)[0].to_pandas()


def score_file(source: Source, rubric: RubricSet, lang: str = "en", name: str = "",
               max_bytes: int | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and score a responses CSV: a path, or an upload's bytes within ``max_bytes``
    (the app passes :data:`MAX_UPLOAD_BYTES`: the file is refused before it is parsed)."""
    name = name or _name(source)
    try:
        responses, checks = _open(source, rubric, name, max_bytes)
        frames = [_score_group(table, rubric, lang, checks) for table in responses.groups]
        scored = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        del frames  # the groups' frames: only the joined one is kept
        return scored, checks.problems() + _unknown_columns(responses.header, checks.known, rubric, name)
    finally:
        _give_back_memory()


@dataclass(frozen=True)
class Upload:
    """An uploaded responses CSV, scored: the summary (None when refused), its download, the problems."""

    scored: pd.DataFrame | None
    csv: bytes
    problems: list[Problem]


def score_upload(upload: BinaryIO, rubric: RubricSet, lang: str = "en", name: str = "") -> Upload:
    """The app's batch upload, once: refused past :data:`MAX_UPLOAD_BYTES` before it is parsed, else
    scored with its download built, and the memory the work used handed back to the system."""
    upload.seek(0)
    try:
        scored, problems = score_file(upload, rubric, lang, name or _name(upload), max_bytes=MAX_UPLOAD_BYTES)
        return Upload(scored, to_csv_bytes(scored), problems)
    except InputError as exc:
        return Upload(None, b"", exc.problems)
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory a scoring freed back to the system: a long-running app server would otherwise keep
    Arrow's pooled blocks and glibc's free lists at their peak (measured: 172 MB stayed 167 after an upload)."""
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def score_file_to(source: Source, out: str | Path, rubric: RubricSet, lang: str = "en", name: str = "") -> Written:
    """Score a responses CSV of any size into a spreadsheet-safe CSV, a group of rows at a time.

    The output appears only when every row is scored and no cell is in error.
    """
    name = name or _name(source)
    responses, checks = _open(source, rubric, name, None)
    classes: Counter[str] = Counter()
    with CsvSink(out) as sink:
        for table in responses.groups:
            verdicts = _scores(table, rubric, checks)
            counts = np.bincount(verdicts.class_index, minlength=len(ClassCode))
            classes.update({code.value: int(k) for code, k in zip(ClassCode, counts, strict=True) if k})
            if not checks.has_errors():  # once a cell is in error nothing is written: no summary to build
                sink.write(summary_arrow(rubric, _meta(table), verdicts, lang))
        problems = checks.problems() + _unknown_columns(responses.header, checks.known, rubric, name)
        if errors_only(problems):
            sink.discard()
    return Written(checks.rows, dict(classes), problems)


def score_frame(frame: pd.DataFrame, rubric: RubricSet, lang: str = "en",
                file: str = "") -> tuple[pd.DataFrame, list[Problem]]:
    """Score every row of a frame; bad cells count as unanswered and are reported."""
    checks = Checks(rubric, file)
    table = pa.table({str(c): checks.as_strings(frame[c]) for c in frame.columns})
    _require_business(table, file)
    scored = _score_group(table, rubric, lang, checks)
    return scored, checks.problems() + _unknown_columns(table.column_names, checks.known, rubric, file)


def _open(source: Source, rubric: RubricSet, name: str, max_bytes: int | None) -> tuple[Responses, Checks]:
    checks = Checks(rubric, name)
    responses = open_responses(source, name, columns=checks.known, text=checks.count_ids, max_bytes=max_bytes)
    if "business" not in responses.header:
        raise InputError([Problem("the CSV needs a 'business' column", name)])
    return responses, checks


def _score_group(table: pa.Table, rubric: RubricSet, lang: str, checks: Checks) -> pd.DataFrame:
    """The summary of a group of rows (the same columns as a single business's)."""
    scores = _scores(table, rubric, checks)
    meta = pd.DataFrame({c: table[c].to_pandas() if c in table.column_names else "" for c in META_COLUMNS},
                        index=pd.RangeIndex(table.num_rows))
    return summary_table(rubric, meta, scores, lang)


def _meta(table: pa.Table) -> dict[str, pa.ChunkedArray | pa.Array]:
    """The META_COLUMNS of a group of rows, as read (an absent column: empty)."""
    return {c: table[c] if c in table.column_names else pa.repeat(pa.scalar("", pa.string()), table.num_rows)
            for c in META_COLUMNS}


def _scores(table: pa.Table, rubric: RubricSet, checks: Checks) -> Verdicts:
    engine = compile_rubric(rubric)
    present = set(table.column_names)
    codes = [checks.option_codes(table[qid], qid) if qid in present else np.full(table.num_rows, UNANSWERED, np.int32)
             for qid in engine.question_ids]
    for qid in checks.count_ids & present:
        checks.check_counts(table[qid], qid)
    checks.rows += table.num_rows
    return score_range(engine, codes)


def _require_business(table: pa.Table, file: str) -> None:
    if "business" not in table.column_names:
        raise InputError([Problem("the CSV needs a 'business' column", file)])


def _unknown_columns(columns: list[str], known: set[str], rubric: RubricSet, file: str) -> list[Problem]:
    """A warning per column that is neither a question nor a META_COLUMNS column (it is not read)."""
    return [Problem(f"column '{c}' is not a question id of {rubric.id} {rubric.version}; ignored", file,
                    severity="warning")
            for c in columns if c not in known and c not in META_COLUMNS]


def _name(source: Source) -> str:
    return Path(source).name if isinstance(source, (str, Path)) else Path(str(getattr(source, "name", ""))).name
