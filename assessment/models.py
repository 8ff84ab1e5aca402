"""The rubric format as pydantic models: what a rubric file may contain.

A rubric set is a directory: ``set.yaml`` (id, title, version, dimension
weights, the classification rule, the connection kinds) and one YAML file per
dimension (its questions). These models are the single definition of that
format; ``python -m assessment schema`` prints them as JSON Schema.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from itertools import pairwise
from typing import Annotated, Literal, TypeVar, cast

import cachetools
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from assessment.vocabulary import DONT_KNOW

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
"""Languages a text may be given in. English is required; others fall back to it."""

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

Law = Literal["sarnoff", "odlyzko_tilly", "metcalfe", "reed"]

# NFX's network-effects map (nfx.com/post/network-effects-manual and its bible).
NetworkEffect = Literal[
    "physical",
    "protocol",
    "personal_utility",
    "personal",
    "market_network",
    "marketplace",
    "platform",
    "asymptotic_marketplace",
    "data",
    "tech_performance",
    "language",
    "belief",
    "bandwagon",
    "expertise",
    "tribal",
    "hub_and_spoke",
]

Node = Literal["people", "businesses", "things"]
ClassKey = Literal["plus_internet", "internet_plus"]  # the two classes a rubric words (undetermined is the tool's)
NODES: tuple[Node, ...] = ("people", "businesses", "things")
Horizon = Literal["now", "reachable"]


def _as_translations(value: object) -> object:
    """A bare string is the English text; a mapping gives one text per language."""
    if isinstance(value, str):
        return {"en": value}
    return value


_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_FOLD = re.compile(f"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")


def _check_translations(value: dict[str, str]) -> dict[str, str]:
    """English required; YAML's line folding puts a space between Chinese lines: drop it."""
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(
            f"unknown language {', '.join(unknown)} (known: {', '.join(LANGUAGES)})"
        )
    if not value.get("en", "").strip():
        raise ValueError("an English text ('en') is required")
    return {lang: _CJK_FOLD.sub("", text).strip() for lang, text in value.items()}


LocalizedText = Annotated[
    dict[str, str],
    BeforeValidator(_as_translations),
    AfterValidator(_check_translations),
    Field(
        description="A text, or a mapping of language code to text; 'en' is required.",
        json_schema_extra={"examples": ["Plain English text", {"en": "Hello", "zh": "你好"}]},
    ),
]

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]


class StrictModel(BaseModel):
    """Refuses unknown fields, so a typo in a rubric is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(StrictModel):
    """One answer, anchored in something an assessor can observe."""

    id: Id
    label: LocalizedText
    score: float = Field(
        ge=0, le=1e6, strict=True, allow_inf_nan=False,
        description="Points for this answer; the highest option is 100 %.",
    )
    law: Law | None = Field(
        None, description="For connection-kind questions: the value law this kind follows."
    )


class ChoiceQuestion(StrictModel):
    """A scored question with ordered, evidence-anchored options (lowest first)."""

    type: Literal["choice"] = "choice"
    id: Id
    text: LocalizedText
    help: LocalizedText
    options: list[Option] = Field(min_length=2, max_length=50)
    weight: float | None = Field(
        None, gt=0, le=1e6, strict=True, allow_inf_nan=False,
        description="Weight within the dimension; omitted for a question in a group (the group has the weight).",
    )
    recommendation: LocalizedText
    recommend_below: float = Field(
        100,
        ge=0,
        le=100,
        description="Show the recommendation when the answer scores below this percentage.",
    )
    essay_idea: str | None = Field(None, description="The idea of the essay this question tests.")
    literature: str | None = Field(None, max_length=500, description="Published work the question rests on.")
    network_effect: NetworkEffect | None = Field(
        None, description="NFX network-effect type this question evidences."
    )
    node: Node | None = Field(
        None, description="Set on the connection-kind question for people, businesses or things."
    )

    @model_validator(mode="after")
    def _options_are_ordered(self) -> ChoiceQuestion:
        scores = [o.score for o in self.options]
        if any(o.id == DONT_KNOW for o in self.options):
            raise ValueError(f"'{DONT_KNOW}' is reserved: every question accepts it without an option")
        if any(b < a for a, b in pairwise(scores)):
            raise ValueError("options must be ordered from the lowest score to the highest")
        if scores[-1] <= 0:
            raise ValueError("the highest option must score more than 0")
        if self.node is not None and any(o.law is None for o in self.options):
            raise ValueError("a connection-kind question (with 'node') needs a 'law' on every option")
        return self

    @property
    def max_score(self) -> float:
        return self.options[-1].score

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class CountQuestion(StrictModel):
    """How many people, businesses or things the business connects: feeds the growth model."""

    type: Literal["count"]
    id: Id
    text: LocalizedText
    help: LocalizedText
    node: Node
    horizon: Horizon
    max_value: float = Field(1e12, gt=0, le=1e15, allow_inf_nan=False, description="The largest count accepted.")


def _question_type(value: object) -> str:
    """Questions are 'choice' unless they say otherwise."""
    if isinstance(value, dict):
        return str(value.get("type", "choice"))
    return str(getattr(value, "type", "choice"))


Question = Annotated[
    Annotated[ChoiceQuestion, Tag("choice")] | Annotated[CountQuestion, Tag("count")],
    Discriminator(_question_type),
]


class Group(StrictModel):
    """Questions scored together as one: ``best`` counts only the highest answer among them.

    The roads to Internet+ are such a group: a business needs to be far along one
    road, not along all of them, so a mean would penalise every road but one.
    """

    id: Id
    aggregate: Literal["best"] = "best"
    weight: float = Field(gt=0, le=1e6, strict=True, allow_inf_nan=False)
    title: LocalizedText
    help: LocalizedText
    essay_idea: str | None = None
    questions: list[Id] = Field(min_length=2, max_length=20)


class Dimension(StrictModel):
    """One dimension file: its questions, scored 0–100 together."""

    id: Id
    title: LocalizedText
    description: LocalizedText
    groups: list[Group] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)


class DimensionRef(StrictModel):
    id: Id
    file: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ya?ml$")
    weight: float = Field(gt=0, le=1e6, strict=True, allow_inf_nan=False)


class Condition(StrictModel):
    """One threshold of the rule: a dimension id (or 'overall') at least this score."""

    score: Id
    at_least: float = Field(ge=0, le=100, allow_inf_nan=False)


class Road(StrictModel):
    """One road to Internet+: the questions a path along it may move (its own measure first)."""

    id: Id
    title: LocalizedText
    description: LocalizedText
    literature: str | None = Field(None, max_length=500)
    questions: list[Id] = Field(min_length=1, max_length=30)


class MigrationRef(StrictModel):
    file: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ya?ml$")


class QuestionMap(StrictModel):
    """Where an older version's question carries its answer: all options by id, or those listed."""

    to: Id
    options: dict[str, Id | None] | None = None


class Migration(StrictModel):
    """A migration file: how answers to ``from_version`` carry into this version."""

    from_version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    questions: dict[str, QuestionMap | None]


class ClassLabel(StrictModel):
    label: LocalizedText
    summary: LocalizedText


class Classification(StrictModel):
    """'internet_plus' when every condition holds, else 'plus_internet'."""

    internet_plus_when: list[Condition] = Field(min_length=1)
    borderline_within: float = Field(
        ge=0, le=50, allow_inf_nan=False, description="A margin within this many points is flagged borderline."
    )
    classes: dict[ClassKey, ClassLabel]

    @field_validator("classes")
    @classmethod
    def _both_classes(cls, value: dict[str, ClassLabel]) -> dict[str, ClassLabel]:
        missing = {"plus_internet", "internet_plus"} - set(value)
        if missing:
            raise ValueError(f"missing class {', '.join(sorted(missing))}")
        return value



class RubricSetFile(StrictModel):
    """``set.yaml``: what ties the dimension files into one rubric set."""

    id: Id
    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    title: LocalizedText
    description: LocalizedText
    scope: LocalizedText | None = Field(None, description="What is judged: the business as a whole, and edge cases.")
    dimensions: list[DimensionRef] = Field(min_length=1)
    classification: Classification
    roads: list[Road] = Field(default_factory=list, description="The roads to Internet+ the rubric recognises.")
    migrations: list[MigrationRef] = Field(default_factory=list, description="Files that carry older answers over.")
    node_labels: dict[Node, LocalizedText] = Field(
        description="Names of the three kinds of node: people, businesses, things."
    )


class RubricSet(BaseModel):
    """A loaded, cross-checked rubric set: the set file and its dimensions, in order."""

    model_config = ConfigDict(frozen=True)

    meta: RubricSetFile
    dimensions: list[Dimension]
    migrations: list[Migration] = Field(default_factory=list)
    digest: str = Field(description="SHA-256 of the files' bytes: a cache key.")

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    def dimension_weight(self, dimension_id: str) -> float:
        return next(d.weight for d in self.meta.dimensions if d.id == dimension_id)

    def questions(self) -> list[tuple[Dimension, ChoiceQuestion | CountQuestion]]:
        return [(d, q) for d in self.dimensions for q in d.questions]

    def choice_questions(self) -> list[tuple[Dimension, ChoiceQuestion]]:
        return [(d, q) for d, q in self.questions() if isinstance(q, ChoiceQuestion)]

    def count_questions(self) -> list[tuple[Dimension, CountQuestion]]:
        return [(d, q) for d, q in self.questions() if isinstance(q, CountQuestion)]

    def question(self, question_id: str) -> ChoiceQuestion | CountQuestion | None:
        return next((q for _, q in self.questions() if q.id == question_id), None)

    def condition_name(self, score: str, lang: str = "en") -> str | None:
        """A dimension's or group's title (None for ``overall``, whose name is the tool's word)."""
        for dimension in self.dimensions:
            if dimension.id == score:
                return text(dimension.title, lang)
            for group in dimension.groups:
                if group.id == score:
                    return text(group.title, lang)
        return None

    def dimension_conditions(self) -> list[Condition]:
        """The rule's conditions on dimension scores (not overall, not a group)."""
        ids = {d.id for d in self.dimensions}
        return [c for c in self.meta.classification.internet_plus_when if c.score in ids]

    def groups(self) -> list[tuple[Dimension, Group]]:
        return [(d, g) for d in self.dimensions for g in d.groups]

    def group_of(self, question_id: str) -> Group | None:
        return next((g for _, g in self.groups() if question_id in g.questions), None)

    def road(self, road_id: str) -> Road | None:
        return next((r for r in self.meta.roads if r.id == road_id), None)

    def migration_from(self, version: str) -> Migration | None:
        return next((m for m in self.migrations if m.from_version == version), None)

    def class_label(self, code: str, lang: str = "en") -> str:
        return text(self.meta.classification.classes[cast(ClassKey, code)].label, lang)


_T = TypeVar("_T")


DIGEST_CACHE_SIZE = 32
"""Rubric sets whose derived data stay in memory: the shipped one and a workshop's or a session's uploads."""


def by_digest(build: Callable[[RubricSet], _T]) -> Callable[[RubricSet], _T]:
    """Cache what is derived from a rubric set by its files' digest (rubric sets are immutable).

    Bounded: every uploaded set would otherwise keep its compiled arrays until restart."""
    return cachetools.cached(cachetools.LRUCache(maxsize=DIGEST_CACHE_SIZE), key=lambda rubric: rubric.digest,
                             lock=threading.Lock())(build)


def text(value: dict[str, str] | None, lang: str = "en") -> str:
    """The text in ``lang``, or English when that translation is missing."""
    if not value:
        return ""
    return value.get(lang) or value.get("en", "")


def slug(value: str) -> str:
    """A file-name-safe form of a business name."""
    cleaned = re.sub(r"[^\w-]+", "-", value, flags=re.UNICODE).strip("-").lower()
    return cleaned[:60] or "business"
