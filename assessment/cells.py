"""Answer cells of a responses table: option codes, and the cells that are not allowed.

Arrow gives each block of rows its own dictionary of distinct values. Those
dictionaries, numbered end to end, are matched to a question's options once
(a few hundred strings for a million cells); each cell's code is then a numpy
lookup by its dictionary position. No Python loop runs per row or per block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assessment.engine import UNANSWERED, UNKNOWN_DONT_KNOW, compile_rubric
from assessment.models import DONT_KNOW, RubricSet
from assessment.problems import Problem
from assessment.responses import MAX_LISTED

DONT_KNOW_CODE = UNKNOWN_DONT_KNOW  # an unknown answer, told apart from an empty cell
_NOT_AN_OPTION = -99


@dataclass
class Tally:
    """Cells of one column that are not allowed: how many, and the first few (row, value)."""

    count: int = 0
    first: list[tuple[int, object]] = field(default_factory=list)

    def add(self, rows: np.ndarray, values: pa.Array) -> None:
        self.count += rows.size
        room = MAX_LISTED - len(self.first)
        if room > 0:
            self.first += zip(rows[:room].tolist(), values.slice(0, room).to_pylist(), strict=True)

    def problem(self, file: str, qid: str, why: str) -> Problem:
        listed = ", ".join(f"row {r} ({v!r})" for r, v in self.first)
        more = f" and {self.count - len(self.first)} more" if self.count > len(self.first) else ""
        return Problem(f"{self.count} cell(s) {why}: {listed}{more}", file, path=f"column {qid}")


class Checks:
    """The cells not allowed, gathered group by group; row numbers run on across groups
    (row 1 is the header, as a spreadsheet numbers them)."""

    def __init__(self, rubric: RubricSet, file: str):
        engine = compile_rubric(rubric)
        self.file = file
        self.options = dict(zip(engine.question_ids, engine.option_ids, strict=True))
        self.count_order = [q.id for _, q in rubric.count_questions()]
        self.count_ids = set(self.count_order)
        self.known = set(self.options) | self.count_ids
        self.rows = 0  # rows checked so far
        self._bad: dict[str, Tally] = {}

    def option_codes(self, column: pa.ChunkedArray, qid: str) -> np.ndarray:
        """Each cell's position among the question's options (-1: empty or "don't know")."""
        codes, bad, values = option_codes(column, self.options[qid])
        self._note(qid, bad, values)
        return codes

    def check_counts(self, column: pa.ChunkedArray, qid: str) -> None:
        """Counts must be numbers ≥ 0 (or "don't know")."""
        bad = np.flatnonzero(~_valid_counts(column))
        self._note(qid, bad, column.take(pa.array(bad[:MAX_LISTED])).cast(pa.string()) if bad.size else None)

    def has_errors(self) -> bool:
        return bool(self._bad)

    def problems(self) -> list[Problem]:
        """A problem per column with bad cells: questions in rubric order, then counts."""
        out = [self._bad[q].problem(self.file, q, "not one of its options: " + ", ".join(options))
               for q, options in self.options.items() if q in self._bad]
        return out + [self._bad[q].problem(self.file, q, "expected a number ≥ 0")
                      for q in self.count_order if q in self._bad]

    def _note(self, qid: str, bad: np.ndarray, values: pa.Array | None) -> None:
        if bad.size:
            self._bad.setdefault(qid, Tally()).add(bad + self.rows + 2, values)

    @staticmethod
    def as_strings(column: pd.Series) -> pa.Array:
        """A frame's column as Arrow text (numbers as their text: they are never option ids)."""
        values = pa.array(column, from_pandas=True)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return values
        if pa.types.is_null(values.type):
            return pa.nulls(len(values), pa.string())
        return pc.cast(values, pa.string())


def option_codes(column: pa.ChunkedArray, options: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, pa.Array | None]:
    """Each cell's option code, the positions of cells that are not options, and the first few of them."""
    dictionary, entry = _encoded(column)
    value_set = pa.array([*options, DONT_KNOW, ""], pa.string())
    lookup = np.array([*range(len(options)), DONT_KNOW_CODE, UNANSWERED, _NOT_AN_OPTION], dtype=np.int32)
    found = pc.fill_null(pc.index_in(dictionary, value_set=value_set), len(value_set)).to_numpy()
    per_entry = np.append(lookup[found], UNANSWERED)  # the last entry: an empty cell
    codes = per_entry[entry]
    if not (per_entry == _NOT_AN_OPTION).any():  # checked on the few distinct values, not the cells
        return codes, np.empty(0, dtype=np.intp), None
    bad = np.flatnonzero(codes == _NOT_AN_OPTION)
    codes[bad] = UNANSWERED
    return codes, bad, dictionary.take(pa.array(entry[bad[:MAX_LISTED]], pa.int64()))


def _encoded(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """All blocks' dictionaries end to end, and each row's position in them (their length when empty)."""
    if not pa.types.is_dictionary(column.type):
        column = pa.chunked_array([pc.dictionary_encode(column.combine_chunks())])
    chunks = [c for c in column.chunks if len(c)]
    if not chunks:
        return pa.array([], pa.string()), np.empty(0, dtype=np.intp)
    dictionary = pa.concat_arrays([c.dictionary for c in chunks])
    sizes = np.array([len(c.dictionary) for c in chunks], dtype=np.intp)
    index = pc.fill_null(pa.chunked_array([c.indices for c in chunks], chunks[0].indices.type), -1).to_numpy()
    entry = np.repeat(np.cumsum(sizes) - sizes, [len(c) for c in chunks])  # intp: numpy gathers by it directly
    entry += index
    entry[index < 0] = len(dictionary)
    return dictionary, entry


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
    return valid | pc.is_null(known).to_numpy(zero_copy_only=False)
