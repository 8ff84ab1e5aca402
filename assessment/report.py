"""The self-contained HTML report of one assessment: readable offline, printable to PDF.

Everything the Results page shows goes into one file — verdict, why, rule,
what would change it, recommendations, the charts with their text
alternatives, and every answer. plotly's JavaScript is embedded once, inline,
so the file needs no network: a partial bundle of plotly.js holding only the
trace types the report draws (1.2 MB instead of 4.8 MB, built by
``tools/plotly-bundle/build.sh``). Jinja's autoescaping keeps user-typed text
(business, sector, assessor) text, and the charts escape it inside figures.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from assessment.answers import AnswerSheet
from assessment.charts import Chart, results_charts
from assessment.examples import example_assessments
from assessment.formatting import number_text, score_text
from assessment.headline import gap_words
from assessment.i18n import t, tn
from assessment.localise import AssessmentView
from assessment.models import RubricSet, text

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLOTLY_BUNDLE = Path(__file__).resolve().parent / "static" / "plotly-report.min.js"
# The trace types in PLOTLY_BUNDLE (tools/plotly-bundle/entry.js); a chart of any other type would not draw.
REPORT_TRACES = frozenset({"scatter", "bar", "scatterpolar"})
# The report has no toolbar: it is read and printed, and the modebar's icon
# links have no accessible names. Charts stay interactive (hover) and resize.
REPORT_CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
# URLs inside string literals of plotly.js (map attributions, the logo link)
# that look like markup to a naive offline check; see _plotly_js.
_URL_IN_MARKUP = re.compile(r"""((?:href|src)\s*=\s*\\?["'`])(https?:)//""", re.IGNORECASE)


def report_html(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet,
                others: list[AssessmentView] | None = None) -> str:
    """The whole report as one HTML document, in ``result.language``."""
    lang = result.language
    if others is None:
        others = example_assessments(rubric, lang)
    charts = results_charts(result, rubric, others, lang)
    return _environment().get_template("report.html.j2").render(
        lang=lang,
        tr=lambda key, **values: t(key, lang, **values),
        trn=lambda key, count, **values: tn(key, count, lang, **values),
        sheet=sheet,
        result=result,
        rubric_title=text(rubric.meta.title, lang),
        borderline_within=f"{rubric.meta.classification.borderline_within:g}",
        internet_plus=rubric.class_label("internet_plus", lang),
        plus_internet=rubric.class_label("plus_internet", lang),
        dimensions=dimension_answers(result),
        counts=count_rows(sheet, rubric, lang),
        charts=[_chart_block(chart, lang) for chart in charts],
        plotly_js=Markup(_plotly_js()),
        num=number_text,
        score_text=score_text,
        gap_words=gap_words,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """The partial plotly.js bundle, safe to inline: no ``</script`` can end the element early,
    and the few URLs in its string literals are written ``https:\\/\\/…`` (the same string in
    JavaScript) so no ``href="http…"`` appears anywhere in the file's text."""
    script = PLOTLY_BUNDLE.read_text(encoding="utf-8")
    script = _URL_IN_MARKUP.sub(r"\1\2\\/\\/", script)
    return re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)


def cell_text(value: Any, lang: str) -> str:
    """A data-table cell: booleans as ✓/✗ with the word, numbers trimmed, missing values as a dash."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return f"✓ {t('report_yes', lang)}" if value else f"✗ {t('report_no', lang)}"  # as the rule's table writes it
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, (int, float)):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _chart_block(chart: Chart, lang: str) -> dict[str, Any]:
    missing = {trace.type for trace in chart.figure.data} - REPORT_TRACES
    if missing:  # a developer's error, caught by the report tests: the bundle must be rebuilt with these traces
        raise ValueError(f"chart {chart.key!r} uses {sorted(missing)}, not in {PLOTLY_BUNDLE.name}: rebuild it")
    figure = chart.figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.key}",
                                  config=REPORT_CHART_CONFIG)
    return {
        "key": chart.key,
        "title": chart.title,
        "summary": chart.summary,
        "figure": Markup(figure),  # plotly's own markup; every text inside the figure is escaped by charts.py
        "columns": [str(c) for c in chart.data.columns],
        "rows": [[(cell_text(v, lang), is_number(v)) for v in row] for row in records(chart.data)],
    }


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def records(frame: pd.DataFrame) -> list[list[Any]]:
    return [[None if v is pd.NA else v for v in row] for row in frame.itertuples(index=False, name=None)]


def dimension_answers(result: AssessmentView) -> list[dict[str, Any]]:
    """Each dimension with its answer lines, in rubric order."""
    return [
        {"title": d.title, "lines": [line for line in result.lines if line.dimension == d.id]}
        for d in result.dimensions
    ]


def count_rows(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> list[dict[str, str]]:
    """The count questions and what the sheet answered to each."""
    rows = []
    for _, question in rubric.count_questions():
        value = sheet.answers.get(question.id)
        answered = isinstance(value, (int, float)) and not isinstance(value, bool)
        unknown = "dont_know" if value == "dont_know" else "report_not_answered"
        shown = cell_text(value, lang) if answered else t(unknown, lang)
        rows.append({"question": text(question.text, lang), "value": shown})
    return rows
