"""The tool's own words (not the rubric's) in each language, from ``data/labels/*.yaml``.

Each area keeps its own file (core, charts, report, app, workshop); a key may
be defined in one file only.

Every entry is validated as strictly as a rubric: one non-empty text in each
language of :data:`assessment.models.LANGUAGES`, nothing else. A comma inside
a flow mapping (``{en: Start here, or there, zh: …}``) silently splits the
English text and makes ``or there`` a key of its own; the strict model turns
that into a refusal with the file and line instead of a label cut short.

Templates use ``str.format`` fields; values typed by users are passed as
arguments, never as templates, so they are inserted literally.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, create_model, model_validator
from pydantic_core import ErrorDetails

from assessment.models import LANGUAGES
from assessment.problems import InputError, Problem, format_path
from assessment.safe_yaml import Document, read_document

LABELS_DIR = Path(__file__).resolve().parent.parent / "data" / "labels"

LabelText = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


class _LabelBase(BaseModel):
    """One label: a text per language, the same ``{fields}`` in each."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="after")
    def _same_fields(self) -> _LabelBase:
        fields = {lang: _template_fields(text) for lang, text in self.model_dump().items()}
        if len({frozenset(names) for names in fields.values()}) > 1:
            shown = "; ".join(f"{lang}: {', '.join(sorted(names)) or 'none'}" for lang, names in fields.items())
            raise ValueError(f"the languages fill in different {{fields}} ({shown})")
        return self


_LABEL_FIELDS: dict[str, Any] = dict.fromkeys(LANGUAGES, (LabelText, ...))
Label: type[_LabelBase] = create_model("Label", __base__=_LabelBase, **_LABEL_FIELDS)
"""A label entry: its fields are exactly the language codes of :data:`LANGUAGES`, all required."""


def _template_fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"not a valid template ({exc}); write a literal brace as {{{{ or }}}}") from None


_KNOWN = ", ".join(LANGUAGES)
_MESSAGES = {
    "missing": f"no text in this language; every label needs one in each of {_KNOWN}",
    "string_too_short": "empty text",
    "string_pattern_mismatch": "empty text",
    "model_type": f"expected a mapping of language to text ({_KNOWN})",
    "string_type": "expected a text (quote it)",
}


def _entry_problems(key: object, entry: object, doc: Document) -> list[Problem]:
    """What is wrong with one entry, in words a label author can act on, each with its line."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return [Problem("a label key is lower-case letters, digits and '_', starting with a letter",
                        doc.file, str(key), doc.line_of((key,)))]
    try:
        Label.model_validate(entry)
    except ValidationError as exc:
        return [
            Problem(_message(error), doc.file, format_path((key, *error["loc"])), doc.line_of((key, *error["loc"])))
            for error in exc.errors(include_url=False)
        ]
    return []


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        name = str(error["loc"][-1])
        message = f"unknown language '{name}' (known: {_KNOWN})"
        if not name.isalpha():  # not a language code at all: most likely the rest of a text cut at a comma
            message += "; a comma inside {…} ends the text before it: quote a text that holds a comma"
        return message
    if error["type"] == "string_type" and error["input"] is None:
        return "empty text"
    return _MESSAGES.get(error["type"], error["msg"].removeprefix("Value error, "))


def read_labels(path: Path) -> tuple[Document, dict[str, dict[str, str]]]:
    """One label file, validated: raises :class:`InputError` with every problem located by file and line."""
    doc = read_document(path.read_bytes(), path.name)
    if not isinstance(doc.data, dict):
        raise InputError([Problem("expected a mapping of label keys at the top level", doc.file, line=1)])
    problems = [p for key, entry in doc.data.items() for p in _entry_problems(key, entry, doc)]
    if problems:
        raise InputError(problems)
    return doc, doc.data


def load_catalog(directory: Path = LABELS_DIR) -> dict[str, dict[str, str]]:
    """Every label of every file in ``directory``; a key defined in two files is refused."""
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            doc, labels = read_labels(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for key, entry in labels.items():
            if key in catalog:
                problems.append(Problem(f"label '{key}' is also defined in {origin[key]}", doc.file, key,
                                        doc.line_of((key,))))
                continue
            catalog[key], origin[key] = entry, path.name
    if problems:
        raise InputError(problems)
    return catalog


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict[str, str]]:
    return load_catalog(LABELS_DIR)


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The label ``key`` in ``lang`` (English for a language the tool does not know), with ``values`` filled in."""
    entry = _catalog()[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def missing_translations() -> dict[str, list[str]]:
    """Keys without a text in each non-English language (the strict model keeps this empty)."""
    return {
        lang: sorted(k for k, v in _catalog().items() if lang not in v)
        for lang in LANGUAGES
        if lang != "en"
    }


def tn(key: str, count: int, lang: str = "en", **values: Any) -> str:
    """``t`` for a sentence about ``count`` things: the ``<key>_one`` label when there is one thing."""
    one = f"{key}_one"
    return t(one if count == 1 and one in _catalog() else key, lang, count=count, **values)
