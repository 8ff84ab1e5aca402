"""Reading a responses CSV (a row per business, a column per question) with pyarrow.

Arrow's streaming reader parses the file block by block in a thread of its
own, so the caller scores and writes one group of rows while the next is being
read, and memory stays bounded whatever the file's size. Answer columns are
dictionary-encoded (a block of option ids becomes a few distinct strings and an
integer per cell, which batch scoring turns into option codes almost for free),
quoted values may span lines, and :class:`_Ragged` hears of every row whose
field count differs from the header's, with its row number. pandas' C reader
cannot do the last: it pads short rows, and a first row with extra fields
silently becomes the index.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
GROUP_ROWS = 131_072  # rows scored and written at a time: the per-group overhead is negligible, memory bounded

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


@dataclass
class Responses:
    """A responses CSV being read: its header, and its rows in groups (Arrow tables).

    Iterate ``groups`` to the end: a ragged row is known only once the whole
    file is read, and raises :class:`InputError` then.
    """

    header: list[str]
    groups: Iterator[pa.Table]


def open_responses(source: Source, name: str = "", columns: set[str] | None = None, text: Iterable[str] = (),
                   max_bytes: int | None = None) -> Responses:
    """Open a responses CSV: a path, bytes or a binary file, refused above ``max_bytes``.

    META_COLUMNS and ``text`` columns are read as text, every other column
    dictionary-encoded (only ``columns`` when given).
    """
    name = name or _name_of(source)
    data = _bytes_or_path(source, name, max_bytes)
    header = _header(data, name)
    wanted = [c for c in header if columns is None or c in columns or c in META_COLUMNS]
    plain = set(META_COLUMNS) | set(text)
    types = {c: pa.string() if c in plain else pa.dictionary(pa.int32(), pa.string()) for c in wanted}
    convert = pacsv.ConvertOptions(column_types=types, include_columns=wanted, null_values=NA_STRINGS,
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    return Responses(header, _groups(data, convert, name, len(header)))


def read_table(source: Source, name: str = "", columns: set[str] | None = None, text: Iterable[str] = (),
               max_bytes: int | None = None) -> tuple[pa.Table, list[str]]:
    """The whole responses CSV as one Arrow table, and the header's column names."""
    responses = open_responses(source, name, columns, text, max_bytes)
    return pa.concat_tables(list(responses.groups)), responses.header


def _groups(data: bytes | str, convert: pacsv.ConvertOptions, name: str, fields: int) -> Iterator[pa.Table]:
    """Tables of about GROUP_ROWS rows (at least one table, maybe empty), then the ragged rows' verdict."""
    ragged = _Ragged()
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(data) if isinstance(data, bytes) else data,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES),  # serial: exact row numbers
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=ragged),
            convert_options=convert,
        )
        group: list[pa.RecordBatch] = []
        rows = 0
        for batch in _read_ahead(reader):
            group.append(batch)
            rows += batch.num_rows
            if rows >= GROUP_ROWS:
                yield pa.Table.from_batches(group)
                group, rows = [], 0
        if group or not ragged.count:
            yield pa.Table.from_batches(group, schema=reader.schema)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError([Problem(_read_error(exc), name)]) from None
    if ragged.count:
        raise InputError([_ragged_problem(ragged, fields, name)])


def _read_ahead(reader: pacsv.CSVStreamingReader, ahead: int = 64) -> Iterator[pa.RecordBatch]:
    """The reader's batches, parsed by one thread up to ``ahead`` blocks ahead of the caller."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # one worker: the reads run in order
        pending = deque(pool.submit(_next_batch, reader) for _ in range(ahead))
        try:
            while (batch := pending.popleft().result()) is not None:
                pending.append(pool.submit(_next_batch, reader))
                yield batch
        finally:
            for future in pending:
                future.cancel()


def _next_batch(reader: pacsv.CSVStreamingReader) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


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
        raise InputError([Problem("the CSV is empty: the first row must name the columns (business, question ids)",
                                  name)])
    twice = sorted(c for c, n in Counter(header).items() if n > 1)
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
