"""The one rule for names people type: a business, its sector and assessor, a participant's name and role.

A name is shown to other people (the facilitator's list, the projector, exports), so it must not pass for
another name or for nothing. The rule, for every path (answers files, the founder's form, the workshop):

- normalised to NFC, whitespace collapsed;
- invisible characters (zero-width space and joiners, word joiner, invisible operators, BOM, soft hyphen,
  Hangul fillers, braille blank…) are *removed*: ``Al\u200bice`` is the name ``Alice``, the same name and
  not a second one that looks like it;
- refused when nothing visible is left (a name of only U+200B or U+3164), and when it holds a control
  character (C0, DEL, C1: NUL, BEL, CR…), a bidirectional control (RLO and friends, U+200E/F, U+061C) or a
  tag character (U+E0000–U+E007F): these change how the text around them reads, so they are refused, not
  silently dropped.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from assessment.i18n import t

SOLO_NAME_MAX = 200  # characters of a business, sector or assessor name

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset(
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u2800\u3164\ufeff\uffa0"
)
_TAGS = range(0xE0000, 0xE0080)
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))  # variation selectors: nothing on their own


class NameRefused(ValueError):
    """A name the rule refuses; ``message(lang)`` says why, naming the field and the character."""

    def __init__(self, key: str, **values: Any):
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)


def clean_name(value: object, field: str, max_length: int, required: bool = True) -> str:
    """``value`` as the name to keep (NFC, whitespace collapsed, invisible characters removed), or
    :class:`NameRefused`. An optional name left empty is ``""``; one typed but all invisible is refused."""
    if not isinstance(value, str):
        raise NameRefused("name_not_text", field=field)
    text = unicodedata.normalize("NFC", value.strip())
    for char in text:
        key = _refusal(char)
        if key is not None:
            raise NameRefused(key, field=field, char=f"U+{ord(char):04X}")
    text = " ".join("".join(char for char in text if char not in _INVISIBLE).split())
    if not any(_visible(char) for char in text):
        if required or value.strip():  # typed, but nothing of it shows: refused even where a name is optional
            raise NameRefused("name_empty", field=field)
        return ""
    if len(text) > max_length:
        raise NameRefused("name_too_long", field=field, max=max_length)
    return text


def _refusal(char: str) -> str | None:
    if unicodedata.category(char) == "Cc":
        return "name_control"
    if char in _BIDI_CONTROLS:
        return "name_bidi"
    if ord(char) in _TAGS:
        return "name_tag"
    return None


def _visible(char: str) -> bool:
    return not char.isspace() and not any(ord(char) in selectors for selectors in _SELECTORS)
