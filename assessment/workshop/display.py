"""The facilitator's tables, built from a :class:`FacilitatorView` (no Streamlit here).

The agenda and the participants are computed once in the core so the app, the
exports and the tests agree on them; the heatmap is a chart
(:func:`assessment.charts.heatmap_chart`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from assessment.i18n import t
from assessment.localise import class_label
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.vocabulary import ClassCode
from assessment.workshop.aggregate import FacilitatorView

SHORT_LABEL = 40


def agenda_table(view: FacilitatorView, rubric: RubricSet, lang: str = "en", limit: int | None = None) -> pd.DataFrame:
    """The discussion agenda: most disputed questions first, with the median and the spread."""
    questions = view.questions.set_index("question_id")
    counts = view.distribution.pivot_table(index="question_id", columns="option_id", values="count", aggfunc="sum")
    rows = []
    for question_id in view.agenda[:limit]:
        question = rubric.question(question_id)
        assert question is not None  # the agenda holds this rubric's question ids
        row = questions.loc[question_id]
        rows.append({
            t("ws_col_question", lang): text(question.text, lang),
            t("ws_col_median", lang): _median_label(question, row["median"], lang),
            t("ws_col_iqr", lang): row["iqr"],
            t("ws_col_range", lang): row["range"],
            t("ws_col_answers", lang): _spread(question, counts, question_id, lang),
        })
    return pd.DataFrame(rows)


def participants_table(view: FacilitatorView, rubric: RubricSet, lang: str = "en",
                       finished: Collection[int] | None = None) -> pd.DataFrame:
    """Who has joined, how far each has got, whether they said they are done (when ``finished``, their
    numbers, is given), and where their own answers land."""
    people = view.participants
    labels = {code.value: class_label(rubric, code, lang) for code in ClassCode}
    columns = {
        t("ws_col_participant", lang): people["label"],
        t("ws_col_role", lang): people["role"].fillna(""),
        t("ws_col_progress", lang): [f"{a}/{n}" for a, n in zip(people["answered"], people["total"], strict=True)],
    }
    if finished is not None:
        columns[t("ws_col_done", lang)] = people["number"].isin(list(finished)).astype(bool)
    columns[t("overall", lang)] = people["overall"].round(1)
    columns[t("ws_col_class", lang)] = [labels.get(code, "—") for code in people["class_code"]]
    return pd.DataFrame(columns)


def local_time(moment: dt.datetime | None, timezone: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC moment as the reader's wall-clock time with the zone's abbreviation (``timezone``: an IANA
    name, e.g. the browser's); UTC when the zone is unknown. Empty for no moment."""
    if moment is None:
        return ""
    try:
        zone: dt.tzinfo = ZoneInfo(timezone) if timezone else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    local = moment.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname() or ''}".rstrip()


def _median_label(question, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(question, ChoiceQuestion):
        option = question.option(str(value))
        return text(option.label, lang) if option else str(value)
    return f"{float(value):,.0f}"


def _spread(question, counts: pd.DataFrame, question_id: str, lang: str) -> str:
    """'option label: count' for each chosen option, lowest option first (long labels shortened)."""
    if not isinstance(question, ChoiceQuestion) or question_id not in counts.index:
        return ""
    row = counts.loc[question_id].to_dict()
    return "; ".join(f"{short_text(text(o.label, lang))}: {int(row[o.id])}"
                     for o in question.options if o.id in row and row[o.id] > 0)


def short_text(value: str, limit: int = SHORT_LABEL) -> str:
    """A long label cut at a word to fit a table cell or an axis, with an ellipsis."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;:") + "…"
