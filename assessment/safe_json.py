"""Reading untrusted JSON with the same limits as YAML.

``json.loads`` runs in C; its hooks refuse what Python would otherwise accept
or choke on: NaN and Infinity, numbers too long (past 4,300 digits ``int()``
raises ``ValueError``), objects with too many keys. Nesting and the number of
values are checked on the result, stopping at the first limit crossed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assessment.document import MAX_DEPTH, MAX_KEYS, MAX_NODES, number_problem
from assessment.problems import InputError, Problem


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def parse_json(text: str, file: str) -> tuple[Any, list[str]]:
    """The data of a JSON file and its duplicate keys; InputError for anything refused."""
    hooks = _Hooks(text, file)
    try:
        data = json.loads(
            text,
            object_pairs_hook=hooks.mapping,
            parse_int=hooks.integer,
            parse_float=hooks.decimal,
            parse_constant=hooks.constant,
        )
    except _Refused as exc:
        raise InputError([exc.problem]) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(f"JSON syntax error: {exc.msg}", file, line=exc.lineno)]) from None
    except RecursionError:
        raise InputError([Problem(f"nesting deeper than {MAX_DEPTH} levels", file)]) from None
    _check_shape(data, file)
    return data, hooks.duplicates


class _Hooks:
    """Callbacks for ``json.loads``: each refuses by raising, with the line when it can be found."""

    def __init__(self, text: str, file: str):
        self.text, self.file = text, file
        self.duplicates: list[str] = []

    def _refuse(self, message: str, literal: str) -> _Refused:
        return _Refused(Problem(message, self.file, line=_line_of_literal(self.text, literal)))

    def mapping(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len(items) > MAX_KEYS:
            key = items[MAX_KEYS][0]
            raise self._refuse(f"an object with {len(items):,} keys; at most {MAX_KEYS:,}", json.dumps(key))
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                self.duplicates.append(key)
            out[key] = value
        return out

    def integer(self, text: str) -> int:
        self._check(text)
        return int(text)

    def decimal(self, text: str) -> float:
        self._check(text)
        return float(text)

    def constant(self, text: str) -> float:
        raise self._refuse(f"'{text}' is not a finite number", text)

    def _check(self, text: str) -> None:
        problem = number_problem(text)
        if problem:
            raise self._refuse(problem, text)


def _line_of_literal(text: str, literal: str) -> int | None:
    """The line where ``literal`` first stands alone (not inside a longer number or word)."""
    found = re.search(rf"(?<![\w.]){re.escape(literal)}(?![\w.])", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _check_shape(data: Any, file: str) -> None:
    """Refuse more than MAX_NODES values or MAX_DEPTH levels, walking no further than the limit."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise InputError([Problem(f"more than {MAX_NODES:,} values in one file", file)])
        if not isinstance(value, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            raise InputError([Problem(f"nesting deeper than {MAX_DEPTH} levels", file)])
        if isinstance(value, dict):
            nodes += len(value)  # the keys
            value = value.values()
        stack.extend((v, depth + 1) for v in value)
