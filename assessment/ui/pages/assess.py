"""Assess: name the business, answer the questions (with guidance), save and load answers."""

from __future__ import annotations

import streamlit as st

from assessment.answers import dump_answers, parse_answers
from assessment.i18n import t
from assessment.models import ChoiceQuestion, CountQuestion, Dimension, RubricSet, slug, text
from assessment.problems import InputError
from assessment.ui import cached, state, widgets
from assessment.ui.text import md


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("assess_title", lang))
    st.markdown(t("assess_intro", lang))
    _business(lang)
    _start_from(rubric, lang)
    _progress(rubric, lang)
    # Stable tab labels: a label that changed with every answer would send the user back to the first tab.
    tabs = st.tabs([text(d.title, lang) for d in rubric.dimensions], key="dimension_tabs")
    for tab, dimension in zip(tabs, rubric.dimensions):
        with tab:
            _dimension(dimension, lang)
    st.divider()
    _save(rubric, lang)
    st.page_link(state.PAGE_FILES["results"], label=t("see_results", lang), icon=":material/insights:")


def _business(lang: str) -> None:
    cols = st.columns([2, 1, 1])
    for col, field, required in zip(cols, state.META_FIELDS, (True, False, False)):
        key = state.seed_meta(field)
        col.text_input(t(f"field_{field}", lang), key=key, max_chars=200, on_change=state.store_meta, args=(field,),
                       placeholder=t(f"field_{field}_placeholder", lang))


def _start_from(rubric: RubricSet, lang: str) -> None:
    with st.expander(t("start_from", lang), icon=":material/upload_file:"):
        examples = cached.examples(rubric)
        names = {e.key: e.sheet.business for e in examples}
        cols = st.columns([3, 1])
        choice = cols[0].selectbox(t("example_pick", lang), list(names), format_func=names.get, index=None,
                                   key="example_choice", placeholder=t("example_placeholder", lang))
        if cols[1].button(t("example_load", lang), disabled=choice is None, key="example_load"):
            state.load_example(rubric, choice)
            st.rerun()
        uploaded = st.file_uploader(t("answers_upload", lang), type=["yaml", "yml", "json"], key="answers_upload",
                                    help=t("answers_upload_help", lang))
        if uploaded is not None:
            _load_uploaded(uploaded, rubric, lang)


def _load_uploaded(uploaded, rubric: RubricSet, lang: str) -> None:
    """Load an answers file once per upload; keep what is valid, list the rest."""
    marker = (uploaded.file_id, rubric.digest)
    if st.session_state.get("answers_upload_marker") != marker:
        st.session_state["answers_upload_marker"] = marker
        try:
            loaded, problems = parse_answers(uploaded.getvalue(), uploaded.name, rubric)
        except InputError as exc:
            st.session_state["answers_upload_report"] = (None, exc.problems)
        else:
            state.load_sheet(loaded)
            st.session_state["answers_upload_report"] = (t("answers_loaded", lang, count=len(loaded.answers), business=loaded.business), problems)
            st.rerun()
    message, problems = st.session_state.get("answers_upload_report", (None, []))
    if message:
        st.success(md(message))
    widgets.problems(problems, lang, "answers_problems" if message else "answers_unreadable")


def _progress(rubric: RubricSet, lang: str) -> None:
    """Answered / total, overall and per dimension."""
    answered = state.answers()
    total = len(rubric.questions())
    done = sum(1 for _, q in rubric.questions() if q.id in answered)
    st.progress(done / total, text=t("progress", lang, done=done, total=total))
    for col, dimension in zip(st.columns(len(rubric.dimensions)), rubric.dimensions):
        count = sum(1 for q in dimension.questions if q.id in answered)
        col.caption(t("progress_dimension", lang, title=text(dimension.title, lang), done=count, total=len(dimension.questions)))


def _dimension(dimension: Dimension, lang: str) -> None:
    st.caption(text(dimension.description, lang))
    for number, question in enumerate(dimension.questions, 1):
        key = state.seed_question(question)
        label = f"{number}. {text(question.text, lang)}"
        if isinstance(question, ChoiceQuestion):
            labels = {o.id: text(o.label, lang) for o in question.options}
            st.radio(label, list(labels), format_func=labels.get, key=key, index=None,
                     on_change=state.store_answer, args=(question.id,), help=text(question.help, lang))
        elif isinstance(question, CountQuestion):
            st.number_input(label, min_value=0.0, max_value=float(question.max_value), step=1.0, format="%.0f",
                            key=key, value=None, on_change=state.store_answer, args=(question.id,),
                            help=text(question.help, lang), placeholder=t("count_placeholder", lang))
        st.caption(md(text(question.help, lang)))


def _save(rubric: RubricSet, lang: str) -> None:
    sheet = state.sheet(rubric)
    name = slug(state.meta().get("business") or "business")
    st.download_button(t("save_answers", lang), dump_answers(sheet), file_name=f"{name}-answers.yaml",
                       mime="application/x-yaml", icon=":material/download:", key="save_answers",
                       help=t("save_answers_help", lang))
    if st.button(t("clear_answers", lang), key="clear_answers", type="tertiary"):
        state.clear()
        st.rerun()


page()
