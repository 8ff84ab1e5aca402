"""Assess: name the business, answer the questions (with guidance, notes and evidence), save and load answers.

Everything typed here is saved as it changes (:mod:`assessment.ui.saved`); the private link opens it again.
"""

from __future__ import annotations

import streamlit as st

from assessment.answers import dump_answers, parse_answers
from assessment.i18n import t, tn
from assessment.models import RubricSet, slug
from assessment.problems import InputError
from assessment.ui import answer_notes, cached, questions, saved, saved_view, state, widgets
from assessment.ui.text import md
from assessment.ui.uploads import once_per_upload

PROGRESS_FRAGMENT = "assess_progress"


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("assess_title", lang))
    st.markdown(t("assess_intro", lang))
    saved_view.save_error(lang)
    saved_view.private_link(lang)
    _business(lang)
    _start_from(rubric, lang)
    st.fragment(questions.progress, key=PROGRESS_FRAGMENT)(rubric, state.answers(), lang)
    # An answer reruns its dimension, the progress and the sidebar's verdict: the rest of the page stays as it is.
    questions.dimension_tabs(rubric, state.answers(), lang, state.QUESTION_PREFIX, state.store_answer,
                             refresh=(PROGRESS_FRAGMENT, state.SIDEBAR_FRAGMENT),
                             after_question=lambda question: answer_notes.editor(question, lang))
    st.divider()
    _save(rubric, lang)
    st.page_link(state.PAGE_FILES["results"], label=t("see_results", lang), icon=":material/insights:")


def _business(lang: str) -> None:
    cols = st.columns([2, 1, 1])
    for col, field in zip(cols, state.META_FIELDS, strict=True):
        key = state.seed_meta(field)
        col.text_input(t(f"field_{field}", lang), key=key, max_chars=200, on_change=state.store_meta, args=(field,),
                       placeholder=t(f"field_{field}_placeholder", lang))
        refused = state.name_refused(field, lang)
        if refused:
            col.error(md(refused))


def _start_from(rubric: RubricSet, lang: str) -> None:
    with st.expander(t("start_from", lang), icon=":material/upload_file:"):
        examples = cached.examples(rubric)
        names = {e.key: e.sheet.business for e in examples}
        cols = st.columns([3, 1])
        choice = cols[0].selectbox(t("example_pick", lang), list(names), format_func=lambda key: names[key], index=None,
                                   key="example_choice", placeholder=t("example_placeholder", lang))
        if cols[1].button(t("example_load", lang), disabled=choice is None, key="example_load") and choice is not None:
            state.load_example(rubric, choice)
            st.rerun()
        uploaded = st.file_uploader(t("answers_upload", lang), type=["yaml", "yml", "json"], key="answers_upload",
                                    help=t("answers_upload_help", lang))
        if uploaded is not None:
            _load_uploaded(uploaded, rubric, lang)


def _load_uploaded(uploaded, rubric: RubricSet, lang: str) -> None:
    """Load an answers file once per upload; keep what is valid, list the rest."""
    def load() -> tuple[str | None, list]:
        try:
            loaded, problems = parse_answers(uploaded.getvalue(), uploaded.name, rubric)
        except InputError as exc:
            return None, exc.problems
        state.load_sheet(loaded, save_now=True)
        st.session_state["answers_just_loaded"] = True
        return tn("answers_loaded", len(loaded.answers), lang, business=loaded.business), problems

    message, problems = once_per_upload("answers_upload", uploaded, load, rubric.digest) or (None, [])
    if st.session_state.pop("answers_just_loaded", False):
        st.rerun()  # the sidebar, drawn before this page, shows the loaded answers too
    if message:
        st.success(md(message))
    widgets.problems(problems, lang, "answers_problems" if message else "answers_unreadable")


def _save(rubric: RubricSet, lang: str) -> None:
    name = slug(state.meta().get("business") or "business")
    # Written when clicked: answers change in fragments, without a rerun of this button. No rerun on the click
    # either: a rerun registers a new file and drops the one the click is fetching (a lost download under load).
    current = state.sheet_when_called(rubric)
    st.download_button(t("save_answers", lang), lambda: dump_answers(current()), file_name=f"{name}-answers.yaml",
                       mime="application/x-yaml", icon=":material/download:", key="save_answers",
                       help=t("save_answers_help", lang), on_click="ignore")
    _clear(lang)


def _clear(lang: str) -> None:
    """Clearing asks first (a second, explicit click) and can be undone."""
    undo = saved.undo_available()
    if undo is not None and st.button(t("undo_clear", lang, count=len(undo.answers), business=md(undo.business or "—")),
                                      key="undo_clear", icon=":material/undo:"):
        state.undo_clear()
        st.rerun()
    if not st.session_state.get("confirm_clear"):
        if st.button(t("clear_answers", lang), key="clear_answers", type="tertiary", disabled=saved.work().is_empty()):
            st.session_state["confirm_clear"] = True
            st.rerun()
        return
    st.warning(t("clear_warning", lang, count=len(state.answers())))
    confirm, cancel = st.columns(2)
    if confirm.button(t("clear_confirm", lang), key="clear_confirm", type="primary"):
        st.session_state.pop("confirm_clear", None)
        state.clear()
        st.rerun()
    if cancel.button(t("clear_cancel", lang), key="clear_cancel"):
        st.session_state.pop("confirm_clear", None)
        st.rerun()


page()
