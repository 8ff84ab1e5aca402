"""Shared fixtures: the shipped rubric set, copies of it to break, the examples."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.answers import AnswerSheet, blank_sheet
from assessment.models import RubricSet
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))


@pytest.fixture(autouse=True, scope="session")
def _data_dir_outside_the_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app's store in a throw-away folder per test process: never ``var/`` in the work tree, which
    tests running in parallel would share."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path_factory.mktemp("app-data")))
        yield


@pytest.fixture(scope="session")
def rubric() -> RubricSet:
    return load_rubric_dir(DEFAULT_RUBRICS)


@pytest.fixture
def rubric_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rubric set, to break on purpose."""
    target = tmp_path / "rubric"
    shutil.copytree(DEFAULT_RUBRICS, target)
    return target


def answers_at(rubric: RubricSet, level: dict[str, int] | int, **extra) -> dict[str, object]:
    """Answers picking option ``level`` (an index, negative from the top) in each dimension."""
    out: dict[str, object] = {}
    for dimension, question in rubric.choice_questions():
        index = level if isinstance(level, int) else level[dimension.id]
        out[question.id] = question.options[max(-len(question.options), min(index, len(question.options) - 1))].id
    out.update(extra)
    return out


def sheet_with(rubric: RubricSet, answers: dict[str, object], business: str = "Test business") -> AnswerSheet:
    return blank_sheet(rubric, business, answers=answers)


def assessed(sheet: AnswerSheet, rubric: RubricSet, lang: str | None = None, top: int = 5):
    """A sheet assessed and put into words, as every front end does (score once, then localise)."""
    from assessment.localise import localise
    from assessment.scoring import assess

    return localise(assess(sheet, rubric, top=top), rubric, lang)


@pytest.fixture(autouse=True, scope="session")
def _app_data_dir(tmp_path_factory):
    """The app's store (workshops and founders' saved assessments) lives in a throw-away directory in
    every test, never under the project's ``var/`` (a test that needs another sets its own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path_factory.mktemp("app-data")))
        yield
