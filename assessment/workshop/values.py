"""Answer values and user-typed texts as the database holds them.

An answer is stored as text: the option id of a choice question, or the
number of a count question in ``repr`` form. Option ids start with a letter
(``ID_PATTERN``) and numbers with a digit, so the text alone says which it is,
even "nan" or "inf" (which are valid ids, never stored numbers).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from assessment.models import ID_PATTERN
from assessment.names import NameRefused, clean_name
from assessment.workshop.errors import InvalidText
from assessment.workshop.schema import VALUE_MAX

StoredValue = str | float
_NUMBER = re.compile(r"^\d+(\.\d+)?([eE][+-]?\d+)?$")
_QUESTION_ID = re.compile(ID_PATTERN)


def encode(value: object) -> str | None:
    """The stored text of an answer, or None when it is neither an option id nor a count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number) or number < 0:
            return None
        return repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, str) and _QUESTION_ID.match(value) and len(value) <= VALUE_MAX:
        return value
    return None


def decode(text: str) -> StoredValue:
    """Back from the stored text: a float for a count, the option id otherwise."""
    return float(text) if _NUMBER.match(text) else text


def decode_series(values: pd.Series) -> pd.Series:
    """:func:`decode` over a whole column at once (object dtype: option ids and floats)."""
    out = values.astype(object)
    numeric = values.str.match(_NUMBER.pattern, na=False)
    if numeric.any():
        out[numeric] = pd.to_numeric(values[numeric]).astype(float).astype(object)
    return out


def valid_question_id(question_id: object) -> bool:
    return isinstance(question_id, str) and len(question_id) <= 64 and bool(_QUESTION_ID.match(question_id))


_FREE_TEXT = ("note", "comment")  # texts, not names: line breaks in them are whitespace, not control characters


def clean_text(value: object, field: str, max_length: int, required: bool = True) -> str | None:
    """A name, role or business as typed, by the one rule for names (:mod:`assessment.names`: NFC, invisible
    characters removed, control, bidi and tag characters refused). Raises :class:`InvalidText` with the
    rule's own message when it refuses; an empty optional text is None."""
    if value is None and not required:
        return None
    if field in _FREE_TEXT and isinstance(value, str):
        value = " ".join(value.split())  # a note or comment may have had lines: they become spaces, as before
    try:
        return clean_name(value, field, max_length, required=required) or None
    except NameRefused as refused:
        raise InvalidText(refused.key, **(refused.values | {"max": max_length})) from None
