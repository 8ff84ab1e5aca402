"""The example businesses shipped in ``data/examples``: answer files with their rationale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assessment.answers import AnswerSheet, load_answers_file
from assessment.localise import AssessmentView, localise
from assessment.models import RubricSet
from assessment.scoring import assess

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "examples"


@dataclass(frozen=True)
class Example:
    key: str  # the file's stem, stable: used in links (?example=cake-shop)
    sheet: AnswerSheet


def load_examples(rubric: RubricSet, directory: Path = EXAMPLES_DIR) -> list[Example]:
    """Every example that loads cleanly against ``rubric`` (others are skipped)."""
    examples = []
    for path in sorted(directory.glob("*.yaml")):
        sheet, problems = load_answers_file(path, rubric)
        if not [p for p in problems if p.severity == "error"]:
            examples.append(Example(path.stem, sheet))
    return examples


def example_assessments(rubric: RubricSet, lang: str = "en") -> list[AssessmentView]:
    return [localise(assess(example.sheet, rubric), rubric, lang) for example in load_examples(rubric)]
