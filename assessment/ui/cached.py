"""Everything the pages compute, cached by content: nothing is recomputed when nothing changed.

Rubric sets are cached by their files' bytes; results by the rubric's digest
and the answers, in no language; their words per language (cheap) on top, so a
language switch never re-runs the scoring. The functions are thin: the work is
in the core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment import scoring
from assessment.answers import AnswerSheet
from assessment.charts import Chart, conditions_chart, results_charts
from assessment.examples import Example, load_examples
from assessment.localise import AssessmentView, localise
from assessment.models import RubricSet
from assessment.report import report_html
from assessment.results import Assessment
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_sources
from assessment.scoring import Standing, assess

# Cache keys: a rubric set by its files' digest, answers by their content.
_BY_DIGEST: dict[str | type[Any], Callable[[Any], Any]] = {RubricSet: lambda rubric: rubric.digest}
_BY_CONTENT: dict[str | type[Any], Callable[[Any], Any]] = {RubricSet: lambda rubric: rubric.digest,
                                                           AnswerSheet: lambda sheet: sheet.model_dump_json()}


def shipped_sources() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(DEFAULT_RUBRICS.glob("*.y*ml"))}


@st.cache_data(show_spinner=False, max_entries=64)
def rubric_from_sources(sources: dict[str, bytes]) -> RubricSet:
    """Parse and validate a rubric set; raises InputError (not cached) when broken."""
    return load_rubric_sources(sources)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=_BY_DIGEST)
def examples(rubric: RubricSet) -> list[Example]:
    return load_examples(rubric)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=_BY_DIGEST)
def example_results(rubric: RubricSet, lang: str) -> list[AssessmentView]:
    return [localise(_assess(example.sheet, rubric), rubric, lang) for example in examples(rubric)]


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_CONTENT)
def _assess(sheet: AnswerSheet, rubric: RubricSet) -> Assessment:
    return assess(sheet, rubric)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_CONTENT)
def verdict_so_far(sheet: AnswerSheet, rubric: RubricSet) -> Standing:
    return scoring.standing(sheet, rubric)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_CONTENT)
def assessment(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> AssessmentView:
    return localise(_assess(sheet, rubric), rubric, lang)


# Charts are kept as they are, not pickled: unpickling a plotly figure re-validates every property, which cost
# the Results page more on every rerun than drawing it. They are built without a title (the page's heading
# names each chart) and never changed afterwards, so sessions can share them.
@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_BY_CONTENT)
def charts(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> list[Chart]:
    built = results_charts(assessment(sheet, rubric, lang), rubric, example_results(rubric, lang), lang)
    return [_untitled(chart) for chart in built]


def _untitled(chart: Chart) -> Chart:
    chart.figure.update_layout(title=None)  # a figure just built, not yet shared
    return chart


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_BY_CONTENT)
def conditions(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> Chart:
    return _untitled(conditions_chart(assessment(sheet, rubric, lang), lang))


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=_BY_CONTENT)
def report(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> str:
    return report_html(sheet, assessment(sheet, rubric, lang), rubric, example_results(rubric, lang))
