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
from assessment.ui.choices import keep_choice
from assessment.ui.text import md
from assessment.vocabulary import DONT_KNOW

OnAnswer = Callable[[str, Any], None]
AfterQuestion = Callable[[ChoiceQuestion | CountQuestion], None]
OnComment = Callable[[str, str], None]
WHY_MAX = 500


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
    for col, dimension in zip(st.columns(len(rubric.dimensions)), rubric.dimensions, strict=True):
        count = sum(1 for q in dimension.questions if q.id in answers)
        col.caption(t("progress_dimension", lang, title=md(text(dimension.title, lang)), done=count,
                      total=len(dimension.questions)))


def dimension_tabs(rubric: RubricSet, answers: Mapping[str, Any], lang: str, prefix: str, on_answer: OnAnswer,
                   disabled: bool = False, refresh: tuple[str, ...] | None = None,
                   after_question: AfterQuestion | None = None) -> None:
    """One tab per dimension; ``after_question`` draws what goes under each question (the founder's notes).
    With ``refresh`` (fragment keys), each dimension's questions are a fragment of their own: an answer reruns
    that dimension and the ``refresh`` fragments only, not the whole app."""
    # Stable tab labels: a label that changed with every answer would send the user back to the first tab.
    tabs = st.tabs([md(text(d.title, lang)) for d in rubric.dimensions], key=f"{prefix}_tabs")
    for tab, dimension in zip(tabs, rubric.dimensions, strict=True):
        with tab:
            if refresh is None:
                _dimension(dimension, answers, lang, prefix, on_answer, disabled, after_question)
            else:
                key = f"{prefix}_{dimension.id}_fragment"
                rerun = _rerunning(on_answer, (key, *refresh))
                st.fragment(_dimension, key=key)(dimension, answers, lang, prefix, rerun, disabled, after_question)


def _rerunning(on_answer: OnAnswer, keys: tuple[str, ...]) -> OnAnswer:
    """``on_answer``, then a rerun of just the fragments ``keys`` (this dimension's and those showing the answers)."""
    def store_and_refresh(question_id: str, value: Any) -> None:
        on_answer(question_id, value)
        st.rerun(list(keys))

    return store_and_refresh


def _dimension(dimension: Dimension, answers: Mapping[str, Any], lang: str, prefix: str, on_answer: OnAnswer,
               disabled: bool, after_question: AfterQuestion | None) -> None:
    st.caption(md(text(dimension.description, lang)))
    for number, question in enumerate(dimension.questions, 1):
        key = _seed(question, answers, prefix)
        unknown_key = f"{key}_dont_know"
        if isinstance(question, CountQuestion) and unknown_key not in st.session_state:
            st.session_state[unknown_key] = answers.get(question.id) == DONT_KNOW
        count_unknown = isinstance(question, CountQuestion) and bool(st.session_state[unknown_key])
        answer_input(question, lang, key, label=f"{number}. {md(text(question.text, lang))}", on_change=_changed,
                     args=(key, question.id, on_answer), disabled=disabled or count_unknown)
        if isinstance(question, CountQuestion):
            st.checkbox(t("dont_know", lang), key=unknown_key, disabled=disabled,
                        on_change=_count_unknown, args=(unknown_key, key, question.id, on_answer))
        st.caption(md(text(question.help, lang)))  # shown once, under the question (no tooltip repeating it)
        if after_question is not None:
            after_question(question)


def answer_input(question: ChoiceQuestion | CountQuestion, lang: str, key: str, *, label: str | None = None,
                 compact: bool = False, on_change: Callable[..., None] | None = None, args: tuple = (),
                 disabled: bool = False) -> Any:
    """The one widget for answering a question, wherever answers are given: Assess, a participant's
    page, the room's agreed form. Its value lives in ``st.session_state[key]`` (seed it first)."""
    label = label or md(text(question.text, lang))
    events: dict[str, Any] = {"on_change": on_change, "args": args} if on_change else {}
    if isinstance(question, ChoiceQuestion):
        keep_choice(key, lang)  # its labels are words: keep the option across a language switch
        labels = {o.id: text(o.label, lang) for o in question.options} | {DONT_KNOW: t("dont_know", lang)}
        if compact:  # a select box shows its options as plain text; a radio's options are markdown
            return st.selectbox(label, list(labels), format_func=labels.__getitem__, key=key, index=None,
                                disabled=disabled, **events)
        return st.radio(label, list(labels), format_func=lambda option: md(labels[option]), key=key, index=None,
                        disabled=disabled, **events)
    return st.number_input(label, min_value=0.0, max_value=float(question.max_value), step=1.0, format="%.0f",
                           key=key, value=None, placeholder=t("count_placeholder", lang), disabled=disabled, **events)


def widget_value(question: ChoiceQuestion | CountQuestion, value: Any) -> Any:
    """A stored answer as the answer widget holds it: an option id (or "don't know"), a float, or None."""
    if isinstance(question, ChoiceQuestion):
        return value if value == DONT_KNOW or question.option(str(value)) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def seed(key: str, question: ChoiceQuestion | CountQuestion, value: Any) -> str:
    """Put a stored answer into a widget's state once, so the widget opens showing it."""
    if key not in st.session_state:
        st.session_state[key] = widget_value(question, value)
    return key


def follow(key: str, question: ChoiceQuestion | CountQuestion, value: Any) -> str:
    """Make ``value`` the widget's value (before the widget is drawn): a default that moves with the
    data, for a field the user has not changed. Set only when it differs: a value set by the script
    overrides the browser's, so setting it on every periodic redraw could undo a choice being made."""
    wanted = widget_value(question, value)
    if key not in st.session_state or st.session_state[key] != wanted:
        st.session_state[key] = wanted
    return key


def why_boxes(answers: Mapping[str, Any], given: Mapping[str, str], on_comment: OnComment, prefix: str, lang: str,
              disabled: bool) -> AfterQuestion:
    """For :func:`dimension_tabs`: under each answered question (or one with a reason already), a box for *why*
    (a workshop participant's page)."""
    def why(question: ChoiceQuestion | CountQuestion) -> None:
        if question.id in answers or question.id in given:
            _comment(question.id, widget_key(prefix, question.id), (given, on_comment), lang, disabled)

    return why


def _comment(question_id: str, key: str, comments: tuple[Mapping[str, str], OnComment], lang: str,
             disabled: bool) -> None:
    """The optional "why" under a question, saved when it changes (Enter or leaving the box)."""
    given, on_comment = comments
    comment_key = f"{key}_why"
    if comment_key not in st.session_state:
        st.session_state[comment_key] = given.get(question_id, "")
    st.text_input(t("join_why", lang), key=comment_key, max_chars=WHY_MAX, disabled=disabled,
                  placeholder=t("join_why_placeholder", lang), on_change=_commented,
                  args=(comment_key, question_id, on_comment))


def _commented(comment_key: str, question_id: str, on_comment: OnComment) -> None:
    on_comment(question_id, str(st.session_state.get(comment_key) or ""))


def _seed(question: Any, answers: Mapping[str, Any], prefix: str) -> str:
    return seed(widget_key(prefix, question.id), question, answers.get(question.id))


def _changed(key: str, question_id: str, on_answer: OnAnswer) -> None:
    on_answer(question_id, st.session_state.get(key))


def _count_unknown(unknown_key: str, key: str, question_id: str, on_answer: OnAnswer) -> None:
    """A count's "don't know" box: checked stores the answer, unchecked restores the number (if any)."""
    on_answer(question_id, DONT_KNOW if st.session_state.get(unknown_key) else st.session_state.get(key))
