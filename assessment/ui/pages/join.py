"""Join a workshop (participant): give a name, answer on your own, come back by your link.

Every answer is saved to the database as it changes, so closing the tab, a
reload or a reconnected WebSocket (a fresh Streamlit session) loses nothing:
the personal link (``?token=…``) finds the answers again. The room reaches the
page on its own: a fragment polls the workshop's state every few seconds (one
small read), shows the question on the projector, its timer and, once
revealed, how the room answered it, and redraws the page when the workshop
closes or its results are revealed.
"""

from __future__ import annotations

import contextlib
from typing import Any

import streamlit as st

from assessment.i18n import t
from assessment.localise import class_label
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.ui import faults, questions, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import DatabaseUnavailable, ParticipantInfo, WorkshopError, facilitator_view
from assessment.workshop.aggregate import QuestionTally, tally
from assessment.workshop.display import agenda_table
from assessment.workshop.records import RoomState

TOKEN = "token"
PREFIX = "w"
SHOWN = "join_room_shown"
"""What the page was last drawn for (open or not, results revealed or not): a change redraws it."""
LIVE_SECONDS = 3


def _page(lang: str) -> None:
    token = st.query_params.get(TOKEN) or st.session_state.get(TOKEN)
    participant = None
    if token:
        participant = faults.last_known("participant", token, lambda: workshop_state.store().resume(token))
    if participant is None or not token:
        st.title(t("join_title", lang))
        if token:
            st.error(t("join_bad_token", lang))
        _join_form(lang)
        return
    st.session_state[TOKEN] = token
    if st.query_params.get(TOKEN) != token:
        st.query_params[TOKEN] = token
    business = participant.workshop.business
    st.set_page_config(page_title=t("join_page_title", lang, business=business))  # the browser tab names it
    st.title(t("join_workshop_title", lang, business=md(business)), anchor=False)
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
        joined = throttle.attempt(workshop_state.this_client(), code, lambda: store.join(code, name, role or None))
    except WorkshopError as exc:
        st.error(md(exc.message(lang)))
        return
    st.session_state[TOKEN] = joined.resume_token
    st.query_params.pop("code", None)
    st.query_params[TOKEN] = joined.resume_token
    questions.forget(PREFIX)
    st.rerun()


def _answer(participant: ParticipantInfo, token: str, lang: str) -> None:
    store = workshop_state.store()
    room = faults.last_known("room", token, lambda: store.room_state(token))
    st.session_state[SHOWN] = _shown(room)
    rubric = faults.last_known("rubric", token, lambda: workshop_state.rubric_for(participant.workshop))
    room_live(token, lang)
    st.markdown(t("join_you_are", lang, label=participant.label, name=md(participant.display_name)))
    error = st.session_state.pop("join_save_error", None)
    if error:
        st.error(md(error))
    if not room.accepting_answers:
        st.warning(t("join_closed", lang))
    # With what waits to be saved; while the database is away, as last read.
    answers = faults.overlay(faults.last_known("answers", token, lambda: store.participant_answers(token)), "answer")
    questions.progress(rubric, answers, lang)
    closed = not room.accepting_answers
    comments = faults.overlay(faults.last_known("why", token, lambda: store.participant_comments(token)), "why")
    faults.degraded(lang)
    why = questions.why_boxes(answers, comments, _commenter(token, lang), PREFIX, lang, closed)

    def after_question(question: Any) -> None:
        why(question)
        faults.notice(question.id, lang)

    questions.dimension_tabs(rubric, answers, lang, PREFIX, _saver(token, lang), disabled=closed,
                             after_question=after_question)
    faults.retry(_writer(token), lang)
    _done(room, token, lang)
    with st.expander(t("join_resume_title", lang), icon=":material/link:"):
        st.caption(t("join_resume_link", lang))
        st.code(workshop_state.link("join", token=token), language=None, wrap_lines=True)
    if room.revealed:
        with contextlib.suppress(DatabaseUnavailable):  # the results come back with the database
            _group_results(token, rubric, lang)


def _shown(room: RoomState) -> tuple[bool, bool]:
    return room.accepting_answers, room.revealed


@st.fragment(run_every=LIVE_SECONDS)
def room_live(token: str, lang: str) -> None:
    """The room as it is now: the question on the projector, its timer, its answers once revealed."""
    try:
        room = workshop_state.store().room_state(token)
    except DatabaseUnavailable as exc:  # the answers below stay as they are; this retries on its next run
        faults.fragment_waiting(exc, lang)
        return
    except WorkshopError:  # deleted meanwhile: the whole page says so
        st.rerun()
        return
    if _shown(room) != st.session_state.get(SHOWN):
        st.rerun()  # closed, reopened or revealed: the answers and the results below change too
    focus = room.focus_question
    if not focus:
        return
    participant = workshop_state.store().resume(token)
    if participant is None:
        return
    rubric = workshop_state.rubric_for(participant.workshop)
    question = rubric.question(focus)
    if question is None:
        return
    with st.container(border=True):
        st.markdown(t("join_now_discussing", lang, question=md(text(question.text, lang))))
        left = room.seconds_left()
        if left is not None:
            st.markdown(t("join_time_left", lang, time=f"{left // 60}:{left % 60:02d}"))
        if room.focus_revealed and isinstance(question, ChoiceQuestion):
            frame = workshop_state.store().question_answers(token, focus)
            if frame is not None:
                _bars(question, tally(frame, rubric, focus), lang)


def _bars(question: ChoiceQuestion, counted: QuestionTally, lang: str) -> None:
    """How the room answered, as one bar per option: light enough to redraw on every phone every few seconds."""
    st.markdown(f"**{t('ws_distribution_title', lang)}**")
    total = max(counted.answered, 1)
    for option in question.options:
        count = counted.counts.get(option.id, 0)
        st.progress(count / total, text=f"{md(text(option.label, lang))} · **{count}**")
    median = question.option(counted.median) if counted.median else None
    st.caption(t("ws_distribution_summary", lang, answered=counted.answered,
                 median=md(text(median.label, lang)) if median else "—"))


def _done(room: RoomState, token: str, lang: str) -> None:
    """ "I'm done": the facilitator sees who is; it can be taken back while the workshop is open."""
    if room.finished:
        st.success(t("join_done_thanks", lang))
        if st.button(t("join_not_done", lang), key="join_not_done", disabled=not room.accepting_answers):
            workshop_state.store().set_finished(token, False)
            st.rerun()
    elif st.button(t("join_done", lang), key="join_done", type="primary", icon=":material/check:"):
        workshop_state.store().set_finished(token, True)
        st.rerun()


def _writer(token: str) -> faults.Write:
    """Saves one change of this participant: an answer (None clears it) or a reason."""
    def write(kind: str, question_id: str, value: Any) -> None:
        store = workshop_state.store()
        if kind == "why":
            store.save_comment(token, question_id, str(value or ""))
        elif value is None:
            store.clear_answer(token, question_id)
        else:
            store.save_answer(token, question_id, value)
    return write


def _saving(token: str, lang: str, kind: str):
    """A widget's callback: save the change; a database fault keeps it (shown, retried), a refusal says why."""
    write = _writer(token)

    def save(question_id: str, value: Any) -> None:
        try:
            write(kind, question_id, value)
        except DatabaseUnavailable as exc:
            faults.keep(kind, question_id, value, exc, lang)
        except WorkshopError as exc:
            st.session_state["join_save_error"] = exc.message(lang)
            questions.forget(PREFIX)  # show what is really stored
        else:
            faults.saved(kind, question_id)
    return save


def _saver(token: str, lang: str):
    return _saving(token, lang, "answer")


def _commenter(token: str, lang: str):
    return _saving(token, lang, "why")


def _group_results(token: str, rubric: RubricSet, lang: str) -> None:
    """Shown once the facilitator reveals them: the group's verdict and the agenda (names hidden)."""
    frame = workshop_state.store().revealed_frame(token)
    if frame is None or frame.empty:
        return
    view = facilitator_view(frame, rubric, anonymous=True, lang=lang)
    st.header(t("join_group_title", lang), anchor=False)
    st.metric(t("ws_group_verdict", lang), md(class_label(rubric, view.group.class_code, lang)))
    agenda = agenda_table(view, rubric, lang, limit=10)
    if not agenda.empty:
        show_table(agenda)


faults.workshop_page(_page)
