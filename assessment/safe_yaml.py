"""Reading untrusted YAML (and JSON) without surprises.

``yaml.safe_load`` builds the data; before it runs we walk PyYAML's event stream
(which constructs no Python objects) to refuse what a rubric never needs and
what PyYAML lets through silently or dangerously: files over 1 MB, anchors and
aliases (nested aliases expand into millions of nodes), absurd nesting, any
non-standard tag such as ``!!python/object``, and duplicate keys (PyYAML keeps
the last one without a word). The composed node tree also gives each value its
line number, so later validation errors can say where they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from assessment.problems import InputError, Problem, format_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 24
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}

Path = tuple[object, ...]


@dataclass
class Document:
    """Parsed data plus the line (1-based) where each path's value starts."""

    data: Any
    file: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def read_document(raw: bytes | str, file: str) -> Document:
    """Parse a YAML or JSON file (by its name) into a :class:`Document`."""
    text = _decode(raw, file)
    if file.lower().endswith(".json"):
        return _read_json(text, file)
    return read_yaml(text, file)


def _decode(raw: bytes | str, file: str) -> str:
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_BYTES:
        raise InputError(
            [Problem(f"file is {size:,} bytes; the limit is {MAX_BYTES:,} (1 MB)", file)]
        )
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", file)]) from None


def read_yaml(text: str, file: str) -> Document:
    problems = _scan_events(text, file)
    if problems:
        raise InputError(problems)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Path, int] = {}
    _walk(root, (), lines, problems, file)
    if problems:
        raise InputError(problems)
    return Document(yaml.safe_load(text), file, lines)


def _scan_events(text: str, file: str) -> list[Problem]:
    """Refuse anchors, aliases, foreign tags and deep nesting, streaming (no expansion)."""
    problems: list[Problem] = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(f"alias '*{event.anchor}' is not allowed (rubrics need no anchors or aliases)", file, line=line)
                )
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                problems.append(
                    Problem(f"anchor '&{anchor}' is not allowed (rubrics need no anchors or aliases)", file, line=line)
                )
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag not in _STANDARD_TAGS:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(f"tag '{shown}' is not allowed; nothing was run", file, line=line))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(f"nesting deeper than {MAX_DEPTH} levels", file, line=line))
                    return problems
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, file))
    except yaml.YAMLError as exc:
        problems.append(Problem(f"YAML syntax error: {exc}", file))
    return problems


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(f"YAML syntax error: {what}", file, line=mark.line + 1 if mark else None)


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], problems: list[Problem], file: str) -> None:
    """Record each value's line and report duplicate mapping keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key: object = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        f"duplicate key '{key}' (first at line {seen[key]}); YAML would silently keep the last one",
                        file,
                        path=format_path(path + (key,)),
                        line=line,
                    )
                )
                continue
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, problems, file)


def _read_json(text: str, file: str) -> Document:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(f"JSON syntax error: {exc.msg}", file, line=exc.lineno)]) from None
    except RecursionError:
        raise InputError([Problem("nesting is too deep", file)]) from None
    if duplicates:
        raise InputError([Problem(f"duplicate key '{k}'", file) for k in duplicates])
    return Document(data, file)
