"""Reading untrusted YAML (and JSON) without surprises, at a bounded cost.

Every pass runs in libyaml (PyYAML's pure-Python parser took minutes on a few
hostile kilobytes). First the event stream is checked, building nothing and
stopping at the first limit crossed: files over 1 MB, anchors and aliases
(nested aliases expand into millions of nodes), absurd nesting, too many
values or keys, complex keys, a second document, non-standard tags such as
``!!python/object``. Then the composed node tree gives each value its line and
reports duplicate keys (PyYAML keeps the last one without a word) and numbers
that are too long or not finite. Only then is the data built.

Scalars resolve as in YAML 1.1 except the silent conversions: ``012``,
``0x1F``, ``12:30``, ``1_000`` and dates stay text, so a count is never
read as 10, 31, 750 or 1000, and an impossible date is a validation message
rather than a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from assessment.document import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_KEYS,
    MAX_NODES,
    Document,
    KeyPath,
    number_problem,
)
from assessment.problems import InputError, Problem, format_path
from assessment.safe_json import parse_json

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_KEYS", "MAX_NODES", "Document", "read_document", "read_yaml"]

_TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}
_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}
_ANCHORS = "rubrics need no anchors or aliases"


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader with plain decimal numbers only, and values that fail to build located."""

    # Not a ClassVar: yaml's stubs declare it an instance attribute (PyYAML reads and copies it per class).
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value ({exc})",
                                                    node.start_mark) from None


def _resolvers() -> None:
    keep = {_TAG + "bool", _TAG + "null"}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        for tag, pattern in entries:
            if tag in keep:
                _Loader.add_implicit_resolver(tag, pattern, [first])
    number = r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    _Loader.add_implicit_resolver(_TAG + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    _Loader.add_implicit_resolver(
        _TAG + "float",
        re.compile(rf"^(?:{number}|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+0123456789."),
    )


_resolvers()


def read_document(raw: bytes | str, file: str) -> Document:
    """Parse a YAML or JSON file (by its name) into a :class:`Document`."""
    text = _decode(raw, file)
    if not text.strip():
        raise InputError([Problem("the file is empty", file, line=1)])
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
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", file)]) from None


def read_yaml(text: str, file: str) -> Document:
    """Check, locate, then build: each step only once the one before found nothing wrong."""
    problems = _Scanner(file).scan(text)
    if problems:
        raise InputError(problems)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        lines = _locate(root, file, problems)
        if problems:
            raise InputError(problems)
        return Document(None if root is None else loader.construct_document(root), file, lines)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(exc, file)]) from None
    finally:
        loader.dispose()


class _Scanner:
    """One pass over libyaml's events: builds nothing and stops at the first limit crossed."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.nodes = self.documents = 0
        self.open: list[list[int]] = []  # per open collection: [is a mapping, children so far]
        self.done = False

    def scan(self, text: str) -> list[Problem]:
        loader = _Loader(text)
        try:
            self._loop(loader.get_event)  # type: ignore[arg-type]  # None only after StreamEndEvent, where it stops
        except yaml.MarkedYAMLError as exc:
            self.problems.append(_syntax_problem(exc, self.file))
        except yaml.YAMLError as exc:
            self.problems.append(Problem(f"YAML syntax error: {exc}", self.file))
        finally:
            loader.dispose()
        return self.problems

    def _loop(self, next_event: Callable[[], yaml.Event]) -> None:
        """Plain scalars, nearly every event of a big file, take the short way."""
        scalar, open_ = yaml.ScalarEvent, self.open
        while not self.done:
            event = next_event()
            if type(event) is scalar and event.anchor is None and event.tag is None and self.nodes < MAX_NODES:
                self.nodes += 1
                if open_:
                    parent = open_[-1]
                    parent[1] += 1
                    if parent[0] and parent[1] % 2 and parent[1] > 2 * MAX_KEYS:
                        line = event.start_mark.line + 1  # type: ignore[union-attr]  # the parser marks every event
                        self._stop(f"a mapping with more than {MAX_KEYS:,} keys", line)
            else:
                self._feed(event)

    def _stop(self, message: str, line: int) -> None:
        self.problems.append(Problem(message, self.file, line=line))
        self.done = True

    def _feed(self, event: yaml.Event) -> None:
        kind, line = type(event), event.start_mark.line + 1  # type: ignore[union-attr]  # the parser marks every event
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            self.open.pop()
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
            self._node(event, line)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._stop("a second YAML document starts here; a file holds exactly one", line)
        elif kind is yaml.StreamEndEvent:
            if not self.documents:
                self._stop("the file is empty", 1)
            self.done = True

    def _node(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent | yaml.AliasEvent, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            return self._stop(f"more than {MAX_NODES:,} values in one file", line)
        collection = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if self.open and self._child(collection, line):
            return None
        if isinstance(event, yaml.AliasEvent):
            return self._add(f"alias '*{event.anchor}' is not allowed ({_ANCHORS})", line)
        if event.anchor:
            self._add(f"anchor '&{event.anchor}' is not allowed ({_ANCHORS})", line)
        if event.tag and event.tag != "!" and event.tag not in _STANDARD_TAGS:
            self._add(f"tag '{event.tag.replace(_TAG, '!!')}' is not allowed; nothing was run", line)
        if collection:
            self.open.append([isinstance(event, yaml.MappingStartEvent), 0])
            if len(self.open) > MAX_DEPTH:
                self._stop(f"nesting deeper than {MAX_DEPTH} levels", line)
        return None

    def _child(self, collection: bool, line: int) -> bool:
        """Count a child of the innermost collection; True when scanning must stop."""
        parent = self.open[-1]
        parent[1] += 1
        if not parent[0] or parent[1] % 2 == 0:
            return False
        if parent[1] // 2 + 1 > MAX_KEYS:
            self._stop(f"a mapping with more than {MAX_KEYS:,} keys", line)
            return True
        if collection:
            self._add("a list or mapping used as a key is not allowed; keys are plain names", line)
        return False

    def _add(self, message: str, line: int) -> None:
        self.problems.append(Problem(message, self.file, line=line))


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    if not isinstance(exc, yaml.constructor.ConstructorError):
        what = f"YAML syntax error: {what}"
    return Problem(what, file, line=mark.line + 1 if mark else None)


def _locate(root: yaml.Node | None, file: str, problems: list[Problem]) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    if root is not None:
        _walk(root, (), lines, problems, file)
    return lines


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], problems: list[Problem], file: str) -> None:
    """Record each value's line; report duplicate keys and numbers too long or not finite."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag in _NUMBER_TAGS:
            message = number_problem(node.value)
            if message:
                problems.append(Problem(message, file, format_path(path), node.start_mark.line + 1))
    elif isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key: object = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        f"duplicate key '{key}' (first at line {seen[key]}); YAML would silently keep the last one",
                        file,
                        path=format_path((*path, key)),
                        line=line,
                    )
                )
                continue
            seen[key] = line
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems, file)


def _read_json(text: str, file: str) -> Document:
    """JSON's data from ``json`` (C); lines and duplicate keys' lines from libyaml when it can read the file."""
    data, duplicates = parse_json(text, file)
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            lines = _locate(loader.get_single_node(), file, problems)
        finally:
            loader.dispose()
    except yaml.YAMLError:
        lines, problems = {}, []
    if duplicates:
        located = [p for p in problems if p.message.startswith("duplicate key")]
        raise InputError(located or [Problem(f"duplicate key '{k}'", file) for k in duplicates])
    return Document(data, file, lines)
