"""Workshops (facilitator): create a workshop on the shipped rubric set or one's own, hand out its links,
keep the organiser key safe, list, close and delete them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from assessment.i18n import t
from assessment.models import LANGUAGES, RubricSet
from assessment.problems import InputError, Problem
from assessment.rubrics import files_from_upload
from assessment.ui import cached, state, widgets, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import WorkshopError, WorkshopInfo
from assessment.workshop.tokens import organiser_key_file, read_organiser_key

SHIPPED, UPLOAD, SESSION = "shipped", "upload", "session"


def page() -> None:
    lang = state.lang()
    st.title(t("ws_title", lang))
    st.markdown(t("ws_intro", lang))
    _create(lang)
    _created_links(lang)
    _list(lang)
    _recover(lang)


def _create(lang: str) -> None:
    choices = [SHIPPED, UPLOAD] + ([SESSION] if state.CUSTOM_SOURCES in st.session_state else [])
    with st.form("ws_create", border=True):
        st.subheader(t("ws_create_title", lang), anchor=False)
        business = st.text_input(t("field_business", lang), max_chars=200, key="ws_business")
        sector = st.text_input(t("field_sector", lang), max_chars=200, key="ws_sector")
        cols = st.columns(2)
        language = cols[0].selectbox(t("ws_language", lang), list(LANGUAGES), format_func=lambda code: LANGUAGES[code],
                                     index=list(LANGUAGES).index(lang), key="ws_language")
        hours = cols[1].number_input(t("ws_deadline_hours", lang), min_value=1, max_value=24 * 90, value=None,
                                     step=1, key="ws_deadline_hours", help=t("ws_deadline_help", lang))
        anonymous = st.checkbox(t("ws_anonymous", lang), key="ws_anonymous", help=t("ws_anonymous_help", lang))
        source = st.radio(t("ws_rubric_choice", lang), choices, key="ws_rubric_source",
                          format_func=lambda choice: t(f"ws_rubric_{choice}", lang))
        files = st.file_uploader(t("ws_rubric_files", lang), type=["yaml", "yml", "zip"], accept_multiple_files=True,
                                 key="ws_rubric_files", help=t("rubric_upload_help", lang))
        st.caption(t("ws_rubric_note", lang))
        if not st.form_submit_button(t("ws_create", lang), type="primary"):
            return
    try:
        rubric = workshop_state.store().save_rubric(_sources(source, files, lang))
    except InputError as exc:
        widgets.problems(exc.problems, lang, "ws_rubric_problems")
        return
    try:
        created = workshop_state.store().create_workshop(
            workshop_state.ensure_organiser_key(), business, rubric.id, rubric.version, rubric_digest=rubric.digest,
            sector=sector or None, language=language, anonymous=anonymous,
            deadline=dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours) if hours else None,
        )
    except WorkshopError as exc:
        st.error(md(exc.message(lang)))
    else:
        st.session_state["ws_created"] = created
        st.session_state["ws_created_rubric"] = (rubric.id, rubric.version, rubric.digest)


def _sources(source: str, files: list | None, lang: str) -> dict[str, bytes]:
    """The files of the chosen rubric set (InputError when an upload is chosen but missing or broken)."""
    if source == UPLOAD:
        if not files:
            raise InputError([Problem(t("ws_rubric_missing", lang), "upload")])
        return files_from_upload([(f.name, f.getvalue()) for f in files])
    if source == SESSION and state.CUSTOM_SOURCES in st.session_state:
        return dict(st.session_state[state.CUSTOM_SOURCES])
    return cached.shipped_sources()


def _created_links(lang: str) -> None:
    created = st.session_state.get("ws_created")
    if created is None:
        return
    st.success(t("ws_created", lang, code=created.join_code))
    rubric_id, version, digest = st.session_state.get("ws_created_rubric", ("", "", ""))
    st.caption(t("ws_created_rubric", lang, id=md(rubric_id), version=md(version), digest=digest[:12]))
    workshop_state.link_warning(lang)
    st.markdown(t("ws_join_link", lang))
    st.code(workshop_state.link("join", code=created.join_code), language=None, wrap_lines=True)
    st.markdown(t("ws_facilitator_link", lang))
    st.code(workshop_state.link("facilitate", w=created.workshop_id, key=created.facilitator_key), language=None,
            wrap_lines=True)
    st.page_link(state.PAGE_FILES["facilitate"], label=t("ws_open_live", lang), icon=":material/monitoring:",
                 query_params={"w": str(created.workshop_id), "key": created.facilitator_key})


def _list(lang: str) -> None:
    key = workshop_state.organiser_key()
    if not key:
        return
    workshops = workshop_state.store().list_workshops(key)
    st.subheader(t("ws_list_title", lang), anchor=False)
    link = workshop_state.link("workshops", organiser=key)
    st.caption(t("ws_list_link", lang))
    st.code(link, language=None, wrap_lines=True)
    st.download_button(t("ws_key_download", lang), organiser_key_file(key, link), file_name="organiser-key.txt",
                       mime="text/plain", key="ws_key_download", on_click="ignore", icon=":material/key:",
                       help=t("ws_key_download_help", lang))
    if not workshops:
        st.write(t("ws_list_empty", lang))
        return
    show_table(pd.DataFrame([_row(w, lang) for w in workshops]))
    for workshop in workshops:
        _actions(workshop, key, lang)


def _row(workshop: WorkshopInfo, lang: str) -> dict[str, object]:
    rubric: RubricSet = workshop_state.rubric_for(workshop)
    return {
        t("ws_col_business", lang): workshop.business,
        t("ws_col_code", lang): workshop.join_code,
        t("ws_col_participants", lang): workshop.participants,
        t("ws_col_status", lang): t(f"ws_status_{workshop.status}", lang),
        t("ws_col_rubric", lang): f"{rubric.id} {rubric.version}",
        t("ws_col_created", lang): workshop_state.when(workshop.created_at),
    }


def _actions(workshop: WorkshopInfo, key: str, lang: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(workshop.business)}** · {md(workshop.join_code)}")
        cols = st.columns(4)
        _single_workshop_links(workshop, key, cols[0], cols[1], lang)
        workshop_state.status_button(cols[2], workshop.id, workshop.status, key, f"ws_toggle_{workshop.id}", lang)
        if cols[3].button(t("ws_delete", lang), key=f"ws_delete_{workshop.id}", icon=":material/delete:"):
            st.session_state["ws_confirm_delete"] = workshop.id
        if st.session_state.get("ws_confirm_delete") == workshop.id:
            _confirm_delete(workshop, key, lang)


def _single_workshop_links(workshop: WorkshopInfo, key: str, live, present, lang: str) -> None:
    """Links to one workshop carry its facilitator key, never the organiser key (which opens them all)."""
    facilitator_key = workshop_state.store().facilitator_key_for(workshop.id, key)
    if facilitator_key is None:  # made before facilitator keys were derived: only a new one can be had
        if live.button(t("ws_reissue_key", lang), key=f"ws_reissue_{workshop.id}", icon=":material/key:",
                       help=t("ws_reissue_key_help", lang)):
            workshop_state.store().facilitator_key_for(workshop.id, key, reissue=True)
            st.rerun()
        return
    params = {"w": str(workshop.id), "key": facilitator_key}
    live.page_link(state.PAGE_FILES["facilitate"], label=t("ws_open_live", lang), icon=":material/monitoring:",
                   query_params=params)
    present.page_link(state.PAGE_FILES["present"], label=t("ws_open_presenter_short", lang),
                      icon=":material/co_present:", query_params=params)


def _confirm_delete(workshop: WorkshopInfo, key: str, lang: str) -> None:
    """Deleting needs a second, explicit click: the answers cannot be recovered."""
    st.warning(t("ws_delete_warning", lang, business=md(workshop.business), participants=workshop.participants))
    confirm, cancel = st.columns(2)
    if confirm.button(t("ws_delete_confirm", lang), type="primary", key="ws_delete_confirm"):
        workshop_state.store().delete(workshop.id, key)
        st.session_state.pop("ws_confirm_delete", None)
        created = st.session_state.get("ws_created")
        if created is not None and created.workshop_id == workshop.id:
            st.session_state.pop("ws_created")
        st.rerun()
    if cancel.button(t("ws_delete_cancel", lang), key="ws_delete_cancel"):
        st.session_state.pop("ws_confirm_delete", None)
        st.rerun()


def _recover(lang: str) -> None:
    """Lost the organiser link? The key file (or the key, or the link, pasted) opens the workshops again."""
    with st.expander(t("ws_recover_title", lang), icon=":material/key:"):
        with st.form("ws_recover", border=False):
            pasted = st.text_input(t("ws_recover_paste", lang), key="ws_recover_text", type="password")
            uploaded = st.file_uploader(t("ws_recover_file", lang), type=["txt"], key="ws_recover_file")
            if not st.form_submit_button(t("ws_recover_button", lang)):
                return
        text = uploaded.getvalue()[:4096].decode("utf-8", errors="replace") if uploaded else pasted or ""
        key = read_organiser_key(text)
        if key is None or not workshop_state.store().list_workshops(key):
            st.error(t("ws_recover_failed", lang))
            return
        workshop_state.use_organiser_key(key)
        st.rerun()


page()
