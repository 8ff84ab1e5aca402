"""Problems found in user input, located as precisely as we can.

Every loader collects *all* problems of a file and raises them together, so a
rubric author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal, Sequence

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


class InputError(Exception):
    """Bad input: carries every problem found, for a message per problem."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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
