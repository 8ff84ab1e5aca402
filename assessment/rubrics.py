"""Loading and cross-checking a rubric set, with every problem located.

Sources are plain ``{file name: bytes}`` mappings so a directory on disk, files
uploaded in the browser and a zip archive all go through the same checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from assessment.models import (
    ChoiceQuestion,
    CountQuestion,
    Dimension,
    Migration,
    RubricSet,
    RubricSetFile,
)
from assessment.problems import InputError, Problem, format_path, shown
from assessment.safe_yaml import MAX_BYTES, Document, read_document
from assessment.uploads import MAX_FILES as MAX_ZIP_FILES
from assessment.uploads import files_from_upload, files_from_zip
from assessment.vocabulary import SCORE_OVERALL

SET_FILE = "set.yaml"
DEFAULT_RUBRICS = Path(__file__).resolve().parent.parent / "rubrics" / "internet-plus"
_UNION_TAGS = {"choice", "count"}


def load_rubric_dir(directory: str | Path = DEFAULT_RUBRICS) -> RubricSet:
    """Load the rubric set in ``directory`` (``set.yaml`` plus its dimension files)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError([Problem("not a directory with a rubric set", str(directory))])
    sources: dict[str, bytes] = {}
    too_big: list[Problem] = []
    for path in sorted(directory.glob("*.y*ml")):
        if path.stat().st_size > MAX_BYTES:
            too_big.append(Problem(f"file is {path.stat().st_size:,} bytes; the limit is {MAX_BYTES:,} (1 MB)",
                                   path.name))
        else:
            sources[path.name] = path.read_bytes()
    if too_big:
        raise InputError(too_big)
    return load_rubric_sources(sources)


def load_rubric_sources(sources: Mapping[str, bytes | str]) -> RubricSet:
    """Parse, validate and cross-check a rubric set given as ``{file name: content}``."""
    problems: list[Problem] = []
    if SET_FILE not in sources:
        raise InputError([Problem(f"the rubric set has no {SET_FILE}", SET_FILE)])
    set_doc, meta = _parse(SET_FILE, sources[SET_FILE], RubricSetFile, problems)
    if meta is None:
        # Still check the dimension files, so one run reports every file's problems.
        for name in _dimension_files(set_doc.data, sources):
            _parse(name, sources[name], Migration if _is_migration(sources[name]) else Dimension, problems)
        raise InputError(problems)

    parsed: list[tuple[Document, Dimension]] = []
    for index, ref in enumerate(meta.dimensions):
        if ref.file not in sources:
            problems.append(_at(set_doc, ("dimensions", index, "file"), f"file '{ref.file}' is not in the rubric set"))
            continue
        doc, dimension = _parse(ref.file, sources[ref.file], Dimension, problems)
        if dimension is None:
            continue
        if dimension.id != ref.id:
            problems.append(_at(doc, ("id",), f"dimension id '{dimension.id}' does not match '{ref.id}' in {SET_FILE}"))
        parsed.append((doc, dimension))

    complete = len(parsed) == len(meta.dimensions)  # else roads and migrations would only echo the gap
    problems += _cross_check(meta, set_doc, parsed, complete)
    migrations = _migrations(meta, set_doc, sources, parsed, problems) if complete else []
    if problems:
        raise InputError(problems)
    digest = hashlib.sha256()
    for name in sorted(sources):
        content = sources[name]
        digest.update(name.encode() + b"\0" + (content.encode() if isinstance(content, str) else content))
    return RubricSet(meta=meta, dimensions=[d for _, d in parsed], migrations=migrations, digest=digest.hexdigest())


def _migrations(
    meta: RubricSetFile,
    set_doc: Document,
    sources: Mapping[str, bytes | str],
    parsed: list[tuple[Document, Dimension]],
    problems: list[Problem],
) -> list[Migration]:
    """The migration files set.yaml names, each checked against this version's questions."""
    questions = {q.id: q for _, d in parsed for q in d.questions}
    out: list[Migration] = []
    for index, ref in enumerate(meta.migrations):
        if ref.file not in sources:
            problems.append(_at(set_doc, ("migrations", index, "file"), f"file '{ref.file}' is not in the rubric set"))
            continue
        doc, migration = _parse(ref.file, sources[ref.file], Migration, problems)
        if migration is None:
            continue
        for old_id, mapping in migration.questions.items():
            if mapping is None:
                continue
            target = questions.get(mapping.to)
            if target is None:
                problems.append(_at(doc, ("questions", old_id, "to"), f"no question '{mapping.to}' in this version"))
                continue
            option_ids = {o.id for o in getattr(target, "options", [])}
            for old_option, new_option in (mapping.options or {}).items():
                if new_option is not None and new_option not in option_ids:
                    problems.append(
                        _at(doc, ("questions", old_id, "options", old_option),
                            f"'{new_option}' is not an option of '{mapping.to}'")
                    )
        out.append(migration)
    return out


def _is_migration(raw: bytes | str) -> bool:
    """A file that starts a mapping with ``from_version`` is a migration file (when set.yaml
    cannot say which files are which)."""
    head = raw[:2000].decode("utf-8", "replace") if isinstance(raw, bytes) else raw[:2000]
    return any(line.startswith("from_version:") for line in head.splitlines())


def _dimension_files(data: object, sources: Mapping[str, bytes | str]) -> list[str]:
    """The dimension files a (possibly invalid) set.yaml names, or every other YAML file."""
    named = []
    if isinstance(data, dict) and isinstance(data.get("dimensions"), list):
        named = [d.get("file") for d in data["dimensions"] if isinstance(d, dict)]
    files = [f for f in named if isinstance(f, str) and f in sources] or [f for f in sources if f != SET_FILE]
    return list(dict.fromkeys(files))


def _parse(file: str, raw: bytes | str, model: type[BaseModel], problems: list[Problem]) -> tuple[Document, Any]:
    try:
        doc = read_document(raw, file)
    except InputError as exc:
        problems.extend(exc.problems)
        return Document(None, file), None
    if not isinstance(doc.data, dict):
        problems.append(Problem("expected a mapping of fields at the top level", file, line=1))
        return doc, None
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc))
        return doc, None


def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """Turn pydantic's errors into problems with the file, the path and the line."""
    out = []
    for error in exc.errors(include_url=False):
        loc = _strip_union_tags(error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        elif isinstance(error.get("input"), (str, int, float, bool)) and error["type"] != "value_error":
            message += f" (got {shown(error['input'])})"
        out.append(Problem(message.removeprefix("Value error, "), doc.file, format_path(loc), doc.line_of(loc)))
    return out


def _strip_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for i, part in enumerate(loc):
        if part in _UNION_TAGS and i > 0 and isinstance(loc[i - 1], int):
            continue
        out.append(part)
    return tuple(out)


def _at(doc: Document, path: tuple[Any, ...], message: str) -> Problem:
    return Problem(message, doc.file, format_path(path), doc.line_of(path))


def _cross_check(
    meta: RubricSetFile, set_doc: Document, parsed: list[tuple[Document, Dimension]], complete: bool = True
) -> list[Problem]:
    """Checks that span fields or files: unique ids, a rule and roads that name what exists."""
    problems = _check_rule(meta, set_doc, parsed, complete)
    problems += _check_questions(parsed)
    for doc, dimension in parsed:
        problems += _check_groups(doc, dimension)
    return problems + _check_roads(meta, set_doc, parsed, complete)


def _check_rule(meta: RubricSetFile, set_doc: Document, parsed: list[tuple[Document, Dimension]],
                complete: bool) -> list[Problem]:
    problems = []
    dimension_ids = [ref.id for ref in meta.dimensions]
    for index, ref in enumerate(meta.dimensions):
        if dimension_ids.index(ref.id) != index:
            problems.append(_at(set_doc, ("dimensions", index, "id"), f"duplicate dimension id '{ref.id}'"))
    group_ids = [g.id for _, d in parsed for g in d.groups]
    known = [*dimension_ids, SCORE_OVERALL, *group_ids]
    for index, condition in enumerate(meta.classification.internet_plus_when):
        if condition.score in known or (not complete and condition.score not in dimension_ids):
            continue  # when a file failed to load, its own problems say why its groups are missing
        problems.append(_at(set_doc, ("classification", "internet_plus_when", index, "score"),
                            f"the rule names dimension '{condition.score}', which does not exist "
                            f"(known: {', '.join(known)})"))
    return problems


def _check_questions(parsed: list[tuple[Document, Dimension]]) -> list[Problem]:
    """Question ids unique across files, option ids unique within a question, one question per slot."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    slots: dict[tuple[str, str], str] = {}
    for doc, dimension in parsed:
        for qi, question in enumerate(dimension.questions):
            if question.id in first_seen:
                problems.append(_at(doc, ("questions", qi, "id"),
                                    f"duplicate question id '{question.id}' (first at {first_seen[question.id]})"))
            else:
                first_seen[question.id] = f"{doc.file}: {format_path(('questions', qi))}"
            if isinstance(question, ChoiceQuestion):
                problems += _duplicate_options(doc, qi, question)
                slot = (question.node, "kind") if question.node else None
            else:
                slot = (question.node, question.horizon)
            if slot and slot in slots:
                problems.append(_at(doc, ("questions", qi),
                                    f"a second question for {slot[0]} ({slot[1]}); first is '{slots[slot]}'"))
            elif slot:
                slots[slot] = question.id
    return problems


def _duplicate_options(doc: Document, qi: int, question: ChoiceQuestion) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for oi, option in enumerate(question.options):
        if option.id in seen:
            problems.append(_at(doc, ("questions", qi, "options", oi, "id"),
                                f"duplicate option id '{option.id}' (first at options[{seen[option.id]}])"))
        else:
            seen[option.id] = oi
    return problems


def _check_roads(meta: RubricSetFile, set_doc: Document, parsed: list[tuple[Document, Dimension]],
                 complete: bool) -> list[Problem]:
    problems = []
    all_questions = {q.id for _, d in parsed for q in d.questions}
    for index, road in enumerate(meta.roads if complete else []):
        for qi, question_id in enumerate(road.questions):
            if question_id not in all_questions:
                problems.append(_at(set_doc, ("roads", index, "questions", qi),
                                    f"no question '{question_id}' in the rubric set"))
    road_ids = [r.id for r in meta.roads]
    for index, road in enumerate(meta.roads):
        if road_ids.index(road.id) != index:
            problems.append(_at(set_doc, ("roads", index, "id"), f"duplicate road id '{road.id}'"))
    return problems


def _check_groups(doc: Document, dimension: Dimension) -> list[Problem]:
    """A group names choice questions of its own dimension, each in one group only; members
    take their weight from the group, and every other choice question needs its own."""
    problems: list[Problem] = []
    by_id = {q.id: (qi, q) for qi, q in enumerate(dimension.questions)}
    member_of: dict[str, str] = {}
    for gi, group in enumerate(dimension.groups):
        for mi, question_id in enumerate(group.questions):
            found = by_id.get(question_id)
            where = ("groups", gi, "questions", mi)
            if found is None or not isinstance(found[1], ChoiceQuestion):
                problems.append(_at(doc, where, f"no choice question '{question_id}' in this dimension"))
            elif question_id in member_of:
                problems.append(_at(doc, where, f"'{question_id}' is already in group '{member_of[question_id]}'"))
            else:
                member_of[question_id] = group.id
    for qi, question in enumerate(dimension.questions):
        if not isinstance(question, ChoiceQuestion):
            continue
        if question.id in member_of and question.weight is not None:
            problems.append(_at(doc, ("questions", qi, "weight"),
                                f"'{question.id}' is in group '{member_of[question.id]}', "
                                "which carries the weight: remove this one"))
        elif question.id not in member_of and question.weight is None:
            problems.append(_at(doc, ("questions", qi, "weight"), "required field is missing"))
    return problems


def rubric_json_schema() -> dict[str, Any]:
    """JSON Schema of both file kinds, so editors can check rubric files as they are typed."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Internet+ assessment rubric files",
        "description": f"{SET_FILE} follows RubricSetFile; each dimension file follows Dimension.",
        "oneOf": [{"$ref": "#/$defs/RubricSetFile"}, {"$ref": "#/$defs/Dimension"}],
        "$defs": _merged_defs(RubricSetFile, Dimension),
    }


def _merged_defs(*models: type[BaseModel]) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return defs


__all__ = [
    "DEFAULT_RUBRICS",
    "MAX_ZIP_FILES",
    "ChoiceQuestion",
    "CountQuestion",
    "files_from_upload",
    "files_from_zip",
    "load_rubric_dir",
    "load_rubric_sources",
    "rubric_json_schema",
    "validation_problems",
]
