"""Join a workshop (participant): give a name, answer on your own, come back by your link.

Every answer is saved to the database as it changes, so closing the tab, a
reload or a reconnected WebSocket (a fresh Streamlit session) loses nothing:
the personal link (``?token=…``) finds the answers again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment.i18n import t
from assessment.localise import class_label
from assessment.ui import questions, state, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import ParticipantInfo, WorkshopError, facilitator_view
from assessment.workshop.display import agenda_table

TOKEN = "token"
PREFIX = "w"


def page() -> None:
    lang = state.lang()
    st.title(t("join_title", lang))
    token = st.query_params.get(TOKEN) or st.session_state.get(TOKEN)
    participant = workshop_state.store().resume(token) if token else None
    if participant is None:
        if token:
            st.error(t("join_bad_token", lang))
        _join_form(lang)
        return
    st.session_state[TOKEN] = token
    if st.query_params.get(TOKEN) != token:
        st.query_params[TOKEN] = token
    _answer(participant, token, lang)


def _join_form(lang: str) -> None:
    st.markdown(t("join_intro", lang))
    with st.form("join"):
        code = st.text_input(t("join_code", lang), value=st.query_params.get("code", ""), max_chars=20, key="join_code")
        name = st.text_input(t("join_name", lang), max_chars=80, key="join_name")
        role = st.text_input(t("join_role", lang), max_chars=80, key="join_role")
        if not st.form_submit_button(t("join_button", lang), type="primary"):
            return
    store, throttle = workshop_state.store(), workshop_state.throttle()
    try:
        joined = throttle.attempt(workshop_state.session_id(), lambda: store.join(code, name, role or None))
    except WorkshopError as exc:
        st.error(md(exc.message(lang)))
        return
    st.session_state[TOKEN] = joined.resume_token
    st.query_params.pop("code", None)
    st.query_params[TOKEN] = joined.resume_token
    questions.forget(PREFIX)
    st.rerun()


def _answer(participant: ParticipantInfo, token: str, lang: str) -> None:
    workshop = participant.workshop
    st.header(md(workshop.business), anchor=False)
    st.markdown(t("join_you_are", lang, label=participant.label, name=md(participant.display_name)))
    st.caption(t("join_resume_link", lang))
    st.code(workshop_state.link("join", token=token), language=None)
    error = st.session_state.pop("join_save_error", None)
    if error:
        st.error(md(error))
    if not workshop.accepting_answers:
        st.warning(t("join_closed", lang))
    rubric = workshop_state.shipped_rubric()
    answers = workshop_state.store().participant_answers(token)
    questions.progress(rubric, answers, lang)
    questions.dimension_tabs(rubric, answers, lang, PREFIX, _saver(token, lang), disabled=not workshop.accepting_answers)
    if workshop.revealed:
        _group_results(token, lang)


def _saver(token: str, lang: str):
    def save(question_id: str, value: Any) -> None:
        store = workshop_state.store()
        try:
            if value is None:
                store.clear_answer(token, question_id)
            else:
                store.save_answer(token, question_id, value)
        except WorkshopError as exc:
            st.session_state["join_save_error"] = exc.message(lang)
            questions.forget(PREFIX)  # show what is really stored
    return save


def _group_results(token: str, lang: str) -> None:
    """Shown once the facilitator reveals them: the group's verdict and the agenda (names hidden)."""
    frame = workshop_state.store().revealed_frame(token)
    if frame is None or frame.empty:
        return
    rubric = workshop_state.shipped_rubric()
    view = facilitator_view(frame, rubric, anonymous=True, lang=lang)
    st.header(t("join_group_title", lang), anchor=False)
    st.metric(t("ws_group_verdict", lang), class_label(rubric, view.group.class_code, lang))
    agenda = agenda_table(view, rubric, lang, limit=10)
    if not agenda.empty:
        show_table(agenda)


page()
