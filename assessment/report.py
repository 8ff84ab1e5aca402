"""The self-contained HTML report of one assessment: readable offline, printable to PDF.

Everything the Results page shows goes into one file — verdict, why, rule,
what would change it, recommendations, the charts with their text
alternatives, and every answer. plotly's JavaScript is embedded once, inline,
so the file needs no network; Jinja's autoescaping keeps user-typed text
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
import plotly.offline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from assessment.answers import AnswerSheet
from assessment.charts import Chart, results_charts
from assessment.examples import example_assessments
from assessment.i18n import t, tn
from assessment.models import RubricSet, text
from assessment.formatting import number_text, score_text
from assessment.headline import gap_words
from assessment.localise import AssessmentView

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The report has no toolbar: it is read and printed, and the modebar's icon
# links have no accessible names. Charts stay interactive (hover) and resize.
REPORT_CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
# URLs inside string literals of plotly.js (map attributions, the logo link)
# that look like markup to a naive offline check; see _plotly_js.
_URL_IN_MARKUP = re.compile(r"""((?:href|src)\s*=\s*\\?["'`])(https?:)//""", re.IGNORECASE)


def report_html(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet, others: list[AssessmentView] | None = None) -> str:
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
        dimensions=_dimension_answers(result),
        counts=_counts(sheet, rubric, lang),
        charts=[_chart_block(chart, lang) for chart in charts],
        plotly_js=Markup(_plotly_js()),
        num=number_text,
        score_text=score_text,
        gap_words=gap_words,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js, safe to inline: no ``</script`` can end the element early, and the
    few URLs in its string literals are written ``https:\\/\\/…`` (the same string in
    JavaScript) so no ``href="http…"`` appears anywhere in the file's text."""
    script = plotly.offline.get_plotlyjs()
    script = _URL_IN_MARKUP.sub(r"\1\2\\/\\/", script)
    return re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)


def _cell(value: Any, lang: str) -> str:
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
    figure = chart.figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.key}", config=REPORT_CHART_CONFIG)
    return {
        "key": chart.key,
        "title": chart.title,
        "summary": chart.summary,
        "figure": Markup(figure),  # plotly's own markup; every text inside the figure is escaped by charts.py
        "columns": [str(c) for c in chart.data.columns],
        "rows": [[(_cell(v, lang), _is_number(v)) for v in row] for row in _records(chart.data)],
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _records(frame: pd.DataFrame) -> list[list[Any]]:
    return [[None if v is pd.NA else v for v in row] for row in frame.itertuples(index=False, name=None)]


def _dimension_answers(result: AssessmentView) -> list[dict[str, Any]]:
    """Each dimension with its answer lines, in rubric order."""
    return [
        {"title": d.title, "lines": [line for line in result.lines if line.dimension == d.id]}
        for d in result.dimensions
    ]


def _counts(sheet: AnswerSheet, rubric: RubricSet, lang: str) -> list[dict[str, str]]:
    """The count questions and what the sheet answered to each."""
    rows = []
    for _, question in rubric.count_questions():
        value = sheet.answers.get(question.id)
        answered = isinstance(value, (int, float)) and not isinstance(value, bool)
        shown = _cell(value, lang) if answered else t("dont_know" if value == "dont_know" else "report_not_answered", lang)
        rows.append({"question": text(question.text, lang), "value": shown})
    return rows
