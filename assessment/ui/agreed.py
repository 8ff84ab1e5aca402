"""The room's agreed assessment leaving the live view: opened in Results, or downloaded as files.

Opening it in Results replaces the answers this browser session is editing,
so when there are answers of the facilitator's own it asks first (and offers
them as a file). Every download reads the database when it is clicked, so a
file holds what was agreed a moment ago, not when the page was drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from assessment.answers import AnswerSheet, dump_answers
from assessment.export import answers_frame, to_csv_bytes
from assessment.i18n import t
from assessment.localise import localise
from assessment.models import RubricSet, slug
from assessment.scoring import assess
from assessment.ui import cached, state, workshop_state
from assessment.ui.text import md
from assessment.workshop import AgreedAnswers, FacilitatorView, WorkshopInfo, aggregate_csv, agreed_sheet, answers_csv
from assessment.workshop import facilitator_view
from assessment.workshop.exports import agreed_summary_frame

CONFIRM = "agreed_confirm_replace"


@dataclass(frozen=True)
class RoomNow:
    """Everything the workshop's files are built from, read at one moment."""

    info: WorkshopInfo
    rubric: RubricSet
    frame: pd.DataFrame
    comments: pd.DataFrame
    agreed: AgreedAnswers

    @property
    def view(self) -> FacilitatorView:
        return facilitator_view(self.frame, self.rubric, self.info.anonymous, business=self.info.business)

    @property
    def sheet(self) -> AnswerSheet:
        return agreed_sheet(self.info, self.agreed, self.rubric, comments=self.comments)


def room_now(workshop_id: int, key: str) -> RoomNow:
    store = workshop_state.store()
    info = store.facilitator(workshop_id, key)
    if info is None:
        raise PermissionError("the facilitator link no longer opens this workshop")
    return RoomNow(info, workshop_state.rubric_for(info), store.workshop_answers(workshop_id, key),
                   store.workshop_comments(workshop_id, key), store.agreed(workshop_id, key))


def open_in_results(info: WorkshopInfo, key: str, rubric: RubricSet, lang: str) -> None:
    """The button that gives the agreed assessment the full Results page, asking before it replaces
    the facilitator's own answers."""
    if st.button(t("ws_agreed_open", lang), key="ws_agreed_open", icon=":material/insights:"):
        sheet = room_now(info.id, key).sheet
        if _would_replace_own_answers(sheet):
            st.session_state[CONFIRM] = info.id
        else:
            _open(info, key, rubric, sheet)
    if st.session_state.get(CONFIRM) != info.id:
        return
    own = state.sheet(state.active_rubric())
    st.warning(t("ws_agreed_replace_warning", lang, business=md(own.business), count=len(own.answers)))
    keep, replace, cancel = st.columns(3)
    keep.download_button(t("ws_agreed_keep_own", lang), dump_answers(own), file_name=f"{slug(own.business)}-answers.yaml",
                         mime="application/x-yaml", key="ws_agreed_keep_own", on_click="ignore",
                         icon=":material/download:")
    if replace.button(t("ws_agreed_replace", lang), type="primary", key="ws_agreed_replace"):
        st.session_state.pop(CONFIRM, None)
        _open(info, key, rubric, room_now(info.id, key).sheet)
    if cancel.button(t("ws_delete_cancel", lang), key="ws_agreed_cancel"):
        st.session_state.pop(CONFIRM, None)
        st.rerun()


def _would_replace_own_answers(agreed: AnswerSheet) -> bool:
    """True when this session holds answers (or a business name) of its own that differ from ``agreed``."""
    active = state.active_rubric()
    own = state.sheet(active)
    if not state.has_answers(active) and not state.meta().get("business"):
        return False
    return (own.business, own.answers) != (agreed.business, agreed.answers)


def _open(info: WorkshopInfo, key: str, rubric: RubricSet, sheet: AnswerSheet) -> None:
    """Make the workshop's rubric set this session's (an uploaded one as the session's custom set) and
    its agreed sheet the answers being edited, then show Results."""
    if rubric.digest != workshop_state.shipped_rubric().digest and info.rubric_digest:
        sources = workshop_state.store().rubric_sources(info.rubric_digest)
        if sources:
            state.set_custom_rubric(sources)
    elif state.rubric_choice() == state.UPLOADED:
        st.session_state[state.RUBRIC_CHOICE] = state.SHIPPED
        state.link_rubric()
    state.load_sheet(sheet)
    st.switch_page(state.PAGE_FILES["results"])


def exports(info: WorkshopInfo, key: str, lang: str) -> None:
    """The workshop's files, each built when its button is clicked."""
    st.header(t("ws_exports_title", lang), anchor=False)
    name = slug(info.business)
    downloads: list[tuple[str, Callable[[], bytes], str, str]] = [
        ("ws_download_answers", lambda: _answers(info.id, key, lang), f"{name}-workshop-answers.csv", "text/csv"),
        ("ws_download_aggregate", lambda: _aggregate(info.id, key, lang), f"{name}-workshop-questions.csv", "text/csv"),
        ("ws_download_agreed_answers", lambda: _agreed_answers(info.id, key, lang), f"{name}-agreed-answers.csv",
         "text/csv"),
        ("ws_download_agreed_summary", lambda: _agreed_summary(info.id, key, lang), f"{name}-agreed-summary.csv",
         "text/csv"),
        ("ws_download_agreed_report", lambda: _report(info.id, key, lang), f"{name}-agreed-report.html", "text/html"),
    ]
    for label, data, file_name, mime in downloads:
        st.download_button(t(label, lang), data, file_name=file_name, mime=mime, key=label, on_click="ignore",
                           icon=":material/download:")


def _answers(workshop_id: int, key: str, lang: str) -> bytes:
    room = room_now(workshop_id, key)
    return answers_csv(room.frame, room.rubric, room.info.anonymous, lang, room.comments)


def _aggregate(workshop_id: int, key: str, lang: str) -> bytes:
    room = room_now(workshop_id, key)
    return aggregate_csv(room.view, room.rubric, lang, room.agreed.values, room.agreed.notes, room.comments)


def _agreed_answers(workshop_id: int, key: str, lang: str) -> bytes:
    room = room_now(workshop_id, key)
    sheet = room.sheet
    return to_csv_bytes(answers_frame(sheet, localise(assess(sheet, room.rubric), room.rubric, lang), room.rubric))


def _agreed_summary(workshop_id: int, key: str, lang: str) -> bytes:
    room = room_now(workshop_id, key)
    return to_csv_bytes(agreed_summary_frame(room.sheet, room.rubric, lang))


def _report(workshop_id: int, key: str, lang: str) -> bytes:
    room = room_now(workshop_id, key)
    return cached.report(room.sheet, room.rubric, lang).encode("utf-8")
