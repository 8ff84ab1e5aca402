"""A parsed file and the limits every reader applies before building anything.

The limits bound the cost of a hostile upload: with at most 20,000 values per
file and 2,000 keys per mapping, refusing one takes milliseconds, and nothing
downstream (pydantic, the scorer) ever sees more than a rubric could need.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_NODES = 20_000
MAX_KEYS = 2_000
MAX_NUMBER_CHARS = 32
"""Longest number written in a file; a count or weight needs under 20 characters."""

KeyPath = tuple[object, ...]

_DECIMAL = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


@dataclass
class Document:
    """Parsed data plus the line (1-based) where each path's value starts."""

    data: Any
    file: str
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def number_problem(text: str) -> str | None:
    """Why the number written as ``text`` is refused, or None: only short, finite, plain decimals pass."""
    if len(text) > MAX_NUMBER_CHARS:
        return f"a number {len(text):,} characters long; at most {MAX_NUMBER_CHARS}"
    if not _DECIMAL.fullmatch(text):
        if text.lstrip("+-").lower() in (".inf", ".nan", "infinity", "nan"):
            return f"'{text}' is not a finite number"
        return f"'{text}' is not a plain decimal number; write numbers like 1200 or 0.5"
    if not math.isfinite(float(text)):
        return f"'{text}' is not a finite number (too large)"
    return None
