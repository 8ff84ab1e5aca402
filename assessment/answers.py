"""The answers file: one business's answers, as the app saves it and the CLI reads it.

Problems with individual answers (an unknown question id, a value that is not
one of the options, a different rubric version) do not stop the rest of the
file loading: they come back as :class:`Problem` records beside the answers
that were kept, so a user loses nothing that was valid.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from assessment.evidence import ANSWER_NOTE_MAX, check_evidence
from assessment.models import DONT_KNOW, ChoiceQuestion, Migration, RubricSet
from assessment.names import SOLO_NAME_MAX, clean_name
from assessment.problems import InputError, Problem, capped, shown
from assessment.rubrics import validation_problems
from assessment.safe_yaml import read_document

AnswerValue = str | float | int
ExpectedClass = Literal["plus_internet", "internet_plus"]  # an example's class is never "undetermined"
_NAME_FIELDS = {"business": "the business name", "sector": "the sector", "assessor": "the assessor"}


class RubricRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    version: str


class AnswerSheet(BaseModel):
    """A business's answers against one rubric set version (partial answers allowed)."""

    model_config = ConfigDict(extra="forbid")

    business: str = Field(min_length=1, max_length=200)
    sector: str | None = Field(None, max_length=200)
    assessor: str | None = Field(None, max_length=200)
    date: dt.date | None = None
    rubric: RubricRef
    language: str = "en"
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Question id → option id, or a number for counts; checked against the rubric by check_answers.",
    )
    notes: dict[str, str] = Field(default_factory=dict, description="Question id → why this answer (plain text).")
    evidence: dict[str, list[str]] = Field(
        default_factory=dict, description="Question id → links (http or https) to the evidence for this answer."
    )
    rationale: str | None = Field(None, max_length=5000, description="Why these answers (examples).")
    expected_class: ExpectedClass | None = Field(None, description="The class an example is meant to land in.")

    @field_validator("business", "sector", "assessor", mode="before")
    @classmethod
    def _names(cls, value: Any, info: ValidationInfo) -> Any:
        """The one rule for names (assessment.names): NFC, invisible characters removed, control, bidi and tag
        characters refused. An empty sector or assessor is no sector or assessor."""
        if value is None or not isinstance(value, str):
            return value  # pydantic's own check says what type it wanted
        name = str(info.field_name)
        return clean_name(value, _NAME_FIELDS[name], SOLO_NAME_MAX, required=name == "business") or None

    @field_validator("notes")
    @classmethod
    def _short_notes(cls, value: dict[str, str]) -> dict[str, str]:
        too_long = next((q for q, note in value.items() if len(note) > ANSWER_NOTE_MAX), None)
        if too_long is not None:
            raise ValueError(f"the note on '{too_long}' is longer than {ANSWER_NOTE_MAX} characters")
        return {q: note.strip() for q, note in value.items() if note.strip()}

    @field_validator("evidence")
    @classmethod
    def _links(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return check_evidence(value)

    @field_validator("answers", mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        """A question left blank in the template (``null``) is simply unanswered."""
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if v is not None and v != ""}
        return value


def blank_sheet(rubric: RubricSet, business: str = "", **fields: Any) -> AnswerSheet:
    return AnswerSheet.model_construct(
        business=business,
        sector=fields.get("sector"),
        assessor=fields.get("assessor"),
        date=fields.get("date"),
        rubric=RubricRef(id=rubric.id, version=rubric.version),
        language=fields.get("language", "en"),
        answers=dict(fields.get("answers", {})),
        notes=dict(fields.get("notes", {})),
        evidence={q: list(links) for q, links in fields.get("evidence", {}).items()},
        rationale=None,
        expected_class=None,
    )


def parse_answers(raw: bytes | str, file: str, rubric: RubricSet) -> tuple[AnswerSheet, list[Problem]]:
    """Read an answers file, keeping every valid answer and reporting the rest.

    Raises :class:`InputError` only when nothing usable can be read (bad syntax,
    no business name); per-answer problems come back as the second value.
    """
    doc = read_document(raw, file)
    if not isinstance(doc.data, dict):
        raise InputError([Problem("expected a mapping with 'business', 'rubric' and 'answers'", file, line=1)])
    try:
        sheet = AnswerSheet.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, doc)) from None
    answers = sheet.answers
    problems: list[Problem] = []
    migration = rubric.migration_from(sheet.rubric.version) if sheet.rubric.id == rubric.id else None
    if migration is not None:
        answers, problems = migrate_answers(sheet.answers, migration, rubric, file, doc.line_of)
        sheet = sheet.model_copy(update={"rubric": RubricRef(id=rubric.id, version=rubric.version)})
    kept, invalid = check_answers(answers, rubric, file, doc.line_of)
    problems += invalid
    if sheet.rubric.id != rubric.id:
        problems.append(
            Problem(
                f"answered against rubric set '{sheet.rubric.id}', checked against '{rubric.id}'",
                file, "rubric.id", doc.line_of(("rubric", "id")), "warning",
            )
        )
    elif sheet.rubric.version != rubric.version:
        problems.append(
            Problem(
                f"answered against version {sheet.rubric.version}, the rubric set is now version "
                f"{rubric.version}; answers to questions that still exist were kept",
                file, "rubric.version", doc.line_of(("rubric", "version")), "warning",
            )
        )
    return sheet.model_copy(update={"answers": kept}), capped(problems)


def migrate_answers(
    answers: dict[str, Any], migration: Migration, rubric: RubricSet, file: str = "", line_of: Any = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Carry answers of an older version through the rubric's explicit map.

    An answer carries when its question maps to a question of this version and
    its option is mapped (or kept by id); every other one is reported, and the
    questions of this version that nothing carried into are listed "to re-answer".
    """
    carried: dict[str, Any] = {}
    problems: list[Problem] = []
    for old_id, value in answers.items():
        line = line_of(("answers", old_id)) if line_of else None
        mapping = migration.questions.get(old_id, None) if old_id in migration.questions else _SAME
        if mapping is None:
            problems.append(Problem(f"'{old_id}' was dropped in version {rubric.version}", file, f"answers.{old_id}",
                                    line, "warning"))
            continue
        target = old_id if mapping is _SAME else mapping.to
        new_value = value
        if mapping is not _SAME and mapping.options is not None and isinstance(value, str) and value != DONT_KNOW:
            new_value = mapping.options.get(value)
            if new_value is None:
                problems.append(Problem(f"'{old_id}: {value}' has no equivalent in version {rubric.version}; answer "
                                        f"'{target}' again", file, f"answers.{old_id}", line, "warning"))
                continue
        carried[target] = new_value
    missing = [q.id for _, q in rubric.questions() if q.id not in carried]
    if missing:
        problems.append(Problem(f"carried {len(carried)} answers from version {migration.from_version} to "
                                f"{rubric.version}; to re-answer: {', '.join(missing)}", file, "rubric.version",
                                line_of(("rubric", "version")) if line_of else None, "warning"))
    return carried, problems


_SAME: Any = object()


def to_reanswer(problems: list[Problem]) -> list[str]:
    """The questions a migration left to answer again (from its warning)."""
    for problem in problems:
        if problem.path == "rubric.version" and "to re-answer: " in problem.message:
            return problem.message.split("to re-answer: ", 1)[1].split(", ")
    return []


def check_answers(
    answers: dict[str, Any], rubric: RubricSet, file: str = "", line_of: Any = None
) -> tuple[dict[str, AnswerValue], list[Problem]]:
    """Split answers into those the rubric accepts and a problem for each other one."""
    kept: dict[str, AnswerValue] = {}
    problems: list[Problem] = []
    for question_id, value in answers.items():
        path = f"answers.{question_id}"
        line = line_of(("answers", question_id)) if line_of else None
        question = rubric.question(question_id)
        if question is None:
            problems.append(Problem(f"unknown question id '{question_id}' "
                                    f"(not in rubric set {rubric.id} {rubric.version})", file, path, line))
            continue
        message = answer_problem(question, value)
        if message:
            problems.append(Problem(message, file, path, line))
        else:
            kept[question_id] = value if isinstance(question, ChoiceQuestion) or value == DONT_KNOW else float(value)
    return kept, problems


def answer_problem(question: Any, value: Any) -> str | None:
    """Why ``value`` is not a valid answer to ``question``, or None when it is."""
    if isinstance(value, str) and value == DONT_KNOW:
        return None
    if isinstance(question, ChoiceQuestion):
        if not isinstance(value, str) or question.option(value) is None:
            allowed = ", ".join([o.id for o in question.options] + [DONT_KNOW])
            return f"{shown(value)} is not an option of this question (allowed: {allowed})"
        return None
    return count_problem(value, question.max_value)


def count_problem(value: Any, max_value: float) -> str | None:
    """Why ``value`` is not a count from 0 to ``max_value``: counts are finite numbers,
    and text that YAML 1.1 would have turned into a number is named as such."""
    if isinstance(value, str) and _yaml11_number(value):
        return (
            f"{shown(value)} is not a plain decimal number (YAML 1.1 would read a leading 0 as octal, "
            "0x as hex, 12:30 as base 60 and drop underscores); write the count in digits, like 1200 or 1200.5"
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {shown(value)}"
    try:
        number = float(value)
    except OverflowError:
        return f"{shown(value)} is outside 0–{max_value:g}"
    if not math.isfinite(number):
        return f"expected a finite number, got {shown(value)}"
    if not 0 <= number <= max_value:
        return f"{number:g} is outside 0–{max_value:g}"
    return None


def _yaml11_number(text: str) -> bool:
    """Whether YAML 1.1 (PyYAML's default) would read ``text`` as an int or a float."""
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers.get(text[:1], [])
    return any(tag.endswith((":int", ":float")) and pattern.match(text) for tag, pattern in resolvers)


def load_answers_file(path: str | Path, rubric: RubricSet) -> tuple[AnswerSheet, list[Problem]]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}", str(path))]) from None
    return parse_answers(raw, path.name, rubric)


def dump_answers(sheet: AnswerSheet, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The answers file's text: what the app's 'Save answers' downloads."""
    data = sheet.model_dump(mode="json", exclude_none=True)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
