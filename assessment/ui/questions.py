"""The question widgets, shared by Assess (answers kept in the session) and a workshop
participant's page (answers kept in the database).

Each widget is seeded from the stored answers when drawn and reports a change
through a callback, so answers survive page switches, reruns and reconnects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from assessment.i18n import t
from assessment.models import ChoiceQuestion, CountQuestion, Dimension, RubricSet, text
from assessment.ui.text import md
from assessment.vocabulary import DONT_KNOW

OnAnswer = Callable[[str, Any], None]


def widget_key(prefix: str, question_id: str) -> str:
    return f"{prefix}_{question_id}"


def forget(prefix: str) -> None:
    """Drop the widgets' own state, so they are re-seeded from the stored answers."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]


def progress(rubric: RubricSet, answers: Mapping[str, Any], lang: str) -> None:
    """Answered / total, overall and per dimension."""
    total = len(rubric.questions())
    done = sum(1 for _, q in rubric.questions() if q.id in answers)
    st.progress(done / total, text=t("progress", lang, done=done, total=total))
    for col, dimension in zip(st.columns(len(rubric.dimensions)), rubric.dimensions):
        count = sum(1 for q in dimension.questions if q.id in answers)
        col.caption(t("progress_dimension", lang, title=text(dimension.title, lang), done=count, total=len(dimension.questions)))


def dimension_tabs(rubric: RubricSet, answers: Mapping[str, Any], lang: str, prefix: str, on_answer: OnAnswer,
                   disabled: bool = False) -> None:
    # Stable tab labels: a label that changed with every answer would send the user back to the first tab.
    tabs = st.tabs([text(d.title, lang) for d in rubric.dimensions], key=f"{prefix}_tabs")
    for tab, dimension in zip(tabs, rubric.dimensions):
        with tab:
            _dimension(dimension, answers, lang, prefix, on_answer, disabled)


def _dimension(dimension: Dimension, answers: Mapping[str, Any], lang: str, prefix: str, on_answer: OnAnswer,
               disabled: bool) -> None:
    st.caption(text(dimension.description, lang))
    for number, question in enumerate(dimension.questions, 1):
        key = _seed(question, answers, prefix)
        label = f"{number}. {text(question.text, lang)}"
        callback = dict(on_change=_changed, args=(key, question.id, on_answer), disabled=disabled)
        if isinstance(question, ChoiceQuestion):
            labels = {o.id: text(o.label, lang) for o in question.options} | {DONT_KNOW: t("dont_know", lang)}
            st.radio(label, list(labels), format_func=labels.get, key=key, index=None,
                     help=text(question.help, lang), **callback)
        elif isinstance(question, CountQuestion):
            unknown_key = f"{key}_dont_know"
            if unknown_key not in st.session_state:
                st.session_state[unknown_key] = answers.get(question.id) == DONT_KNOW
            unknown = bool(st.session_state[unknown_key])
            st.number_input(label, min_value=0.0, max_value=float(question.max_value), step=1.0, format="%.0f",
                            key=key, value=None, help=text(question.help, lang),
                            placeholder=t("count_placeholder", lang), **(callback | {"disabled": disabled or unknown}))
            st.checkbox(t("dont_know", lang), key=unknown_key, disabled=disabled,
                        on_change=_count_unknown, args=(unknown_key, key, question.id, on_answer))
        st.caption(md(text(question.help, lang)))


def _seed(question: Any, answers: Mapping[str, Any], prefix: str) -> str:
    key = widget_key(prefix, question.id)
    if key not in st.session_state:
        value = answers.get(question.id)
        if isinstance(question, ChoiceQuestion):
            st.session_state[key] = value if value == DONT_KNOW or question.option(str(value)) else None
        else:
            st.session_state[key] = float(value) if isinstance(value, (int, float)) else None
    return key


def _changed(key: str, question_id: str, on_answer: OnAnswer) -> None:
    on_answer(question_id, st.session_state.get(key))


def _count_unknown(unknown_key: str, key: str, question_id: str, on_answer: OnAnswer) -> None:
    """A count's "don't know" box: checked stores the answer, unchecked restores the number (if any)."""
    on_answer(question_id, DONT_KNOW if st.session_state.get(unknown_key) else st.session_state.get(key))
