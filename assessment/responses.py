"""Reading a responses CSV (a row per business, a column per question) with pyarrow.

Arrow's reader is multithreaded, reads answer columns dictionary-encoded (a
column of a million option ids becomes a few distinct strings and an integer
per cell, which batch scoring turns into option codes almost for free), and
calls :func:`_Ragged.__call__` for every row whose field count differs from the
header's. pandas' C reader cannot do the last: it pads short rows, and a first
row with extra fields silently becomes the index.

The fast read assumes no quoted field spans lines (Arrow then splits the file
into blocks at any newline). When it meets a problem — a row with the wrong
field count, a parse error — the file is read again serially with quoted
newlines allowed: that read gives exact row numbers, and a file that only had a
multi-line name reads cleanly.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from assessment.problems import InputError, Problem

META_COLUMNS = ("business", "sector", "assessor", "date")
# pandas' default missing-value strings: a cell reads as empty exactly when pd.read_csv would read it as NaN.
NA_STRINGS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
              "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
MAX_LISTED = 5
BLOCK_BYTES = 1 << 20  # measured: 1–2 MB blocks read fastest here (4 MB: +25 % CPU)

Source = str | Path | bytes | BinaryIO


@dataclass
class _Ragged:
    """Arrow's invalid-row handler: notes each row whose field count is not the header's, and skips it."""

    rows: list[tuple[int | None, int]] = field(default_factory=list)
    count: int = 0

    def __call__(self, row: pacsv.InvalidRow) -> str:
        self.count += 1
        if len(self.rows) < MAX_LISTED:
            self.rows.append((row.number, row.actual_columns))
        return "skip"


def read_table(source: Source, name: str = "", columns: set[str] | None = None, text: set[str] = frozenset(),
               max_bytes: int | None = None) -> tuple[pa.Table, list[str]]:
    """The responses as an Arrow table, and the header's column names.

    META_COLUMNS and ``text`` columns are read as text, every other column
    dictionary-encoded (only ``columns`` when given). Raises
    :class:`InputError` with the file name and rows.
    """
    name = name or _name_of(source)
    data = _bytes_or_path(source, name, max_bytes)
    header = _header(data, name)
    wanted = [c for c in header if columns is None or c in columns or c in META_COLUMNS]
    plain = set(META_COLUMNS) | set(text)
    types = {c: pa.string() if c in plain else pa.dictionary(pa.int32(), pa.string()) for c in wanted}
    convert = pacsv.ConvertOptions(column_types=types, include_columns=wanted, null_values=NA_STRINGS,
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    ragged = _Ragged()
    try:
        table = _read(data, convert, ragged, careful=False)
        if not ragged.count:
            return table, header
    except pa.ArrowInvalid:
        pass
    ragged = _Ragged()  # the careful read: serial (exact row numbers), quoted newlines allowed
    try:
        table = _read(data, convert, ragged, careful=True)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError([Problem(_read_error(exc), name)]) from None
    if ragged.count:
        raise InputError([_ragged_problem(ragged, len(header), name)])
    return table, header


def _read(data: bytes | str, convert: pacsv.ConvertOptions, ragged: _Ragged, careful: bool) -> pa.Table:
    source = pa.py_buffer(data) if isinstance(data, bytes) else data
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=not careful, block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(newlines_in_values=careful, invalid_row_handler=ragged),
        convert_options=convert,
    )


def _name_of(source: Source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    return Path(str(getattr(source, "name", ""))).name


def _bytes_or_path(source: Source, name: str, max_bytes: int | None) -> bytes | str:
    """A path stays a path (Arrow reads the file itself); a file object is read, within ``max_bytes``."""
    if isinstance(source, (str, Path)):
        try:
            size = os.path.getsize(source)
        except OSError as exc:
            raise InputError([Problem(f"cannot read the CSV: {exc.strerror or exc}", name)]) from None
        _check_size(size, name, max_bytes)
        return str(source)
    if isinstance(source, bytes):
        _check_size(len(source), name, max_bytes)
        return source
    limit = None if max_bytes is None else max_bytes + 1
    data = source.read(-1 if limit is None else limit)
    _check_size(len(data), name, max_bytes)
    return data


def _check_size(size: int, name: str, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise InputError([Problem(f"the CSV is larger than {max_bytes / 1e6:g} MB; score it with the command line "
                                  "(python -m assessment batch), which has no size limit", name)])


def _header(data: bytes | str, name: str) -> list[str]:
    """The header row's column names, checked for being there and distinct."""
    try:
        with open(data, "rb") if isinstance(data, str) else io.BytesIO(data) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            header = next(csv.reader(text), [])
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise InputError([Problem(_read_error(exc), name, line=1)]) from None
    if not any(c.strip() for c in header):
        raise InputError([Problem("the CSV is empty: the first row must name the columns (business, question ids)", name)])
    seen: set[str] = set()
    twice = sorted({c for c in header if c in seen or seen.add(c)})
    if twice:
        raise InputError([Problem(f"column(s) named twice in the header: {', '.join(map(repr, twice))}", name, line=1)])
    return header


def _read_error(exc: Exception) -> str:
    message = str(exc)
    if isinstance(exc, UnicodeDecodeError) or "UTF8" in message or "UTF-8" in message:
        return "the CSV is not UTF-8 text: save it as 'CSV UTF-8'"
    return f"cannot read the CSV: {message.splitlines()[0] if message else type(exc).__name__}"


def _ragged_problem(ragged: _Ragged, expected: int, name: str) -> Problem:
    listed = ", ".join(f"row {number} ({actual} field{'s' if actual != 1 else ''})" for number, actual in ragged.rows)
    more = f" and {ragged.count - len(ragged.rows)} more" if ragged.count > len(ragged.rows) else ""
    return Problem(f"{ragged.count} row(s) do not have the header's {expected} fields: {listed}{more}; "
                   "every row needs one value per column (leave a cell empty for no answer)", name)
