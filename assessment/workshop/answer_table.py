"""The answers table: everyone's answers in long format, as the store reads them and the aggregates take them.

It lives beside :mod:`.aggregate` (its input) rather than in the store, and
imports neither, so reading answers does not load the scoring and the
aggregates do not load the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from assessment.workshop.values import decode_series

FRAME_COLUMNS = ("number", "display_name", "role", "question_id", "value", "updated_at")


def answers_table(rows: Sequence[tuple[Any, ...]], anonymous: bool) -> pd.DataFrame:
    """Rows of (number, name, role, question, value text, updated seconds) as the answers frame.

    Columns: ``FRAME_COLUMNS``; value is an option id or a float, updated_at a UTC timestamp.
    In an anonymous workshop display_name is P1…Pn and role is empty: names never reach the
    aggregates or the exports.
    """
    frame = pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))
    frame["number"] = frame["number"].astype("int64")
    if anonymous:
        frame["display_name"] = "P" + frame["number"].astype(str)
        frame["role"] = None
    frame["value"] = decode_series(frame["value"].astype(object))
    microseconds = (frame["updated_at"].astype(float) * 1e6).round()
    frame["updated_at"] = pd.to_datetime(microseconds, unit="us", utc=True)
    return frame
