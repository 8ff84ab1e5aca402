"""Answer values and user-typed texts as the database holds them.

An answer is stored as text: the option id of a choice question, or the
number of a count question in ``repr`` form. Option ids start with a letter
(``ID_PATTERN``) and numbers with a digit, so the text alone says which it is,
even "nan" or "inf" (which are valid ids, never stored numbers).
"""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

from assessment.models import ID_PATTERN
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


_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def clean_text(value: object, field: str, max_length: int, required: bool = True) -> str | None:
    """A name, role or business as typed: whitespace collapsed, NFC. Raises :class:`InvalidText`
    when empty (and required), too long, or holding control or bidirectional-override characters
    that could make one name pass for another. An empty optional text is None."""
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InvalidText(field=field, max=max_length)
        return None
    if not isinstance(value, str):
        raise InvalidText(field=field, max=max_length)
    cleaned = unicodedata.normalize("NFC", " ".join(value.split()))
    if (
        not cleaned
        or len(cleaned) > max_length
        or any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in cleaned)
    ):
        raise InvalidText(field=field, max=max_length)
    return cleaned
