"""The room's agreed assessment leaving the live view: opened in Results, or downloaded as files.

Opening it in Results opens it as a new saved assessment of this browser's
founder key: the facilitator's own assessment stays saved and listed under
My assessments, so nothing is replaced and there is nothing to ask. The files
are built when the facilitator asks for them, from the database as it is then,
and kept in the session as bytes: a download built lazily on click (a callable)
is stored unreferenced, and Streamlit prunes such files after any two script
runs of any session, which in a room of polling pages happens within a second,
so the download would fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from assessment.answers import AnswerSheet
from assessment.export import answers_frame, to_csv_bytes
from assessment.i18n import t
from assessment.localise import localise
from assessment.models import RubricSet, slug
from assessment.scoring import assess
from assessment.ui import cached, state, workshop_state
from assessment.workshop import (
    AgreedAnswers,
    FacilitatorView,
    WorkshopInfo,
    aggregate_csv,
    agreed_sheet,
    answers_csv,
    facilitator_view,
)
from assessment.workshop.exports import agreed_summary_frame


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
    """The button that gives the agreed assessment the full Results page (as a new saved assessment)."""
    if st.button(t("ws_agreed_open", lang), key="ws_agreed_open", icon=":material/insights:",
                 help=t("ws_agreed_open_help", lang)):
        _open(info, key, rubric, room_now(info.id, key).sheet)


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
    state.load_sheet(sheet, save_now=True)
    st.switch_page(state.PAGE_FILES["results"])


FILES = "ws_files"


def exports(info: WorkshopInfo, key: str, lang: str) -> None:
    """The workshop's files: built on request from the database as it is then, then downloaded."""
    st.header(t("ws_exports_title", lang), anchor=False)
    prepared = st.session_state.get(FILES)
    if prepared is not None and prepared[0] != (info.id, lang):
        prepared = None
    label = "ws_files_prepare_again" if prepared else "ws_files_prepare"
    if st.button(t(label, lang), key="ws_files_prepare", icon=":material/inventory_2:"):
        with st.spinner(t("ws_files_preparing", lang)):
            prepared = ((info.id, lang), workshop_state.when(dt.datetime.now(dt.UTC), "%H:%M:%S"),
                        _files(info.id, key, lang))
        st.session_state[FILES] = prepared
    if prepared is None:
        st.caption(t("ws_files_intro", lang))
        return
    st.caption(t("ws_files_prepared", lang, time=prepared[1]))
    for label, (data, file_name, mime) in prepared[2].items():
        st.download_button(t(label, lang), data, file_name=file_name, mime=mime, key=label, on_click="ignore",
                           icon=":material/download:")


def _files(workshop_id: int, key: str, lang: str) -> dict[str, tuple[bytes, str, str]]:
    """Label key → (bytes, file name, MIME type) of every workshop file, from one read of the room."""
    room = room_now(workshop_id, key)
    name, sheet = slug(room.info.business), room.sheet
    result = localise(assess(sheet, room.rubric), room.rubric, lang)
    return {
        "ws_download_answers": (answers_csv(room.frame, room.rubric, room.info.anonymous, lang, room.comments),
                                f"{name}-workshop-answers.csv", "text/csv"),
        "ws_download_aggregate": (aggregate_csv(room.view, room.rubric, lang, room.agreed.values, room.agreed.notes,
                                                room.comments), f"{name}-workshop-questions.csv", "text/csv"),
        "ws_download_agreed_answers": (to_csv_bytes(answers_frame(sheet, result, room.rubric)),
                                       f"{name}-agreed-answers.csv", "text/csv"),
        "ws_download_agreed_summary": (to_csv_bytes(agreed_summary_frame(sheet, room.rubric, lang)),
                                       f"{name}-agreed-summary.csv", "text/csv"),
        "ws_download_agreed_report": (cached.report(sheet, room.rubric, lang).encode("utf-8"),
                                      f"{name}-agreed-report.html", "text/html"),
    }
