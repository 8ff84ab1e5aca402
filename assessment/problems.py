"""Problems found in user input, located as precisely as we can.

Every loader collects *all* problems of a file and raises them together, so a
rubric author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem: which file, where inside it, which line, and what is wrong."""

    message: str
    file: str = ""
    path: str = ""
    line: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
        if self.path:
            where += f": {self.path}" if where else self.path
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.message}" if where else f"{prefix}{self.message}"


MAX_PROBLEMS = 50
"""Problems shown per refusal; a hostile file with thousands of errors must not flood the page."""


class InputError(Exception):
    """Bad input: carries the problems found (the first MAX_PROBLEMS, then how many more)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = capped(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def capped(problems: Sequence[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first ``limit`` problems, then one line saying how many more there are."""
    if len(problems) <= limit:
        return list(problems)
    rest = problems[limit:]
    files = {p.file for p in rest}
    more = Problem(f"and {len(rest):,} more problems not shown; fix these first",
                   files.pop() if len(files) == 1 else "")
    return [*problems[:limit], more]


def shown(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: short, and never via ``str()`` of a huge integer
    (past 4,300 digits that raises ``ValueError``)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


def format_path(loc: Iterable[object]) -> str:
    """Render a pydantic ``loc`` tuple as ``questions[3].options[1].score``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
