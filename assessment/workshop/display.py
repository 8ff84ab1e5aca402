"""The facilitator's tables, built from a :class:`FacilitatorView` (no Streamlit here).

The agenda and the participants are computed once in the core so the app, the
exports and the tests agree on them; the heatmap is a chart
(:func:`assessment.charts.heatmap_chart`).
"""

from __future__ import annotations

import pandas as pd

from assessment.i18n import t
from assessment.localise import class_label
from assessment.vocabulary import ClassCode
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.workshop.aggregate import FacilitatorView


def agenda_table(view: FacilitatorView, rubric: RubricSet, lang: str = "en", limit: int | None = None) -> pd.DataFrame:
    """The discussion agenda: most disputed questions first, with the median and the spread."""
    questions = view.questions.set_index("question_id")
    counts = view.distribution.pivot_table(index="question_id", columns="option_id", values="count", aggfunc="sum")
    rows = []
    for question_id in view.agenda[:limit]:
        question = rubric.question(question_id)
        row = questions.loc[question_id]
        rows.append({
            t("ws_col_question", lang): text(question.text, lang),
            t("ws_col_median", lang): _median_label(question, row["median"], lang),
            t("ws_col_iqr", lang): row["iqr"],
            t("ws_col_range", lang): row["range"],
            t("ws_col_answers", lang): _spread(question, counts, question_id),
        })
    return pd.DataFrame(rows)


def participants_table(view: FacilitatorView, rubric: RubricSet, lang: str = "en") -> pd.DataFrame:
    """Who has joined, how far each has got, and where their own answers land."""
    people = view.participants
    labels = {code.value: class_label(rubric, code, lang) for code in ClassCode}
    return pd.DataFrame({
        t("ws_col_participant", lang): people["label"],
        t("ws_col_role", lang): people["role"].fillna(""),
        t("ws_col_progress", lang): [f"{a}/{n}" for a, n in zip(people["answered"], people["total"])],
        t("overall", lang): people["overall"].round(1),
        t("ws_col_class", lang): [labels.get(code, "—") for code in people["class_code"]],
    })


def _median_label(question, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(question, ChoiceQuestion):
        option = question.option(str(value))
        return text(option.label, lang) if option else str(value)
    return f"{float(value):,.0f}"


def _spread(question, counts: pd.DataFrame, question_id: str) -> str:
    """'option: count' for each chosen option, lowest option first."""
    if not isinstance(question, ChoiceQuestion) or question_id not in counts.index:
        return ""
    row = counts.loc[question_id]
    return ", ".join(f"{o.id}: {int(row[o.id])}" for o in question.options if o.id in row and row[o.id] > 0)
