"""Workshops (facilitator): create a workshop, hand out its links, list, close and delete them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from assessment.i18n import t
from assessment.models import LANGUAGES
from assessment.ui import state, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import WorkshopError, WorkshopInfo


def page() -> None:
    lang = state.lang()
    st.title(t("ws_title", lang))
    st.markdown(t("ws_intro", lang))
    _create(lang)
    _created_links(lang)
    _list(lang)


def _create(lang: str) -> None:
    rubric = workshop_state.shipped_rubric()
    with st.form("ws_create", border=True):
        st.subheader(t("ws_create_title", lang), anchor=False)
        business = st.text_input(t("field_business", lang), max_chars=200, key="ws_business")
        sector = st.text_input(t("field_sector", lang), max_chars=200, key="ws_sector")
        cols = st.columns(2)
        language = cols[0].selectbox(t("ws_language", lang), list(LANGUAGES), format_func=LANGUAGES.get,
                                     index=list(LANGUAGES).index(lang), key="ws_language")
        hours = cols[1].number_input(t("ws_deadline_hours", lang), min_value=1, max_value=24 * 90, value=None,
                                     step=1, key="ws_deadline_hours", help=t("ws_deadline_help", lang))
        anonymous = st.checkbox(t("ws_anonymous", lang), key="ws_anonymous", help=t("ws_anonymous_help", lang))
        st.caption(t("ws_rubric_note", lang, id=rubric.id, version=rubric.version))
        if st.form_submit_button(t("ws_create", lang), type="primary"):
            try:
                created = workshop_state.store().create_workshop(
                    workshop_state.ensure_organiser_key(), business, rubric.id, rubric.version,
                    sector=sector or None, language=language, anonymous=anonymous,
                    deadline=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours) if hours else None,
                )
            except WorkshopError as exc:
                st.error(md(exc.message(lang)))
            else:
                st.session_state["ws_created"] = created


def _created_links(lang: str) -> None:
    created = st.session_state.get("ws_created")
    if created is None:
        return
    st.success(t("ws_created", lang, code=created.join_code))
    st.markdown(t("ws_join_link", lang))
    st.code(workshop_state.link("join", code=created.join_code), language=None)
    st.markdown(t("ws_facilitator_link", lang))
    st.code(workshop_state.link("facilitate", w=created.workshop_id, key=created.facilitator_key), language=None)
    st.page_link(state.PAGE_FILES["facilitate"], label=t("ws_open_live", lang), icon=":material/monitoring:",
                 query_params={"w": created.workshop_id, "key": created.facilitator_key})


def _list(lang: str) -> None:
    key = workshop_state.organiser_key()
    if not key:
        return
    workshops = workshop_state.store().list_workshops(key)
    st.subheader(t("ws_list_title", lang), anchor=False)
    st.caption(t("ws_list_link", lang))
    st.code(workshop_state.link("workshops", organiser=key), language=None)
    if not workshops:
        st.write(t("ws_list_empty", lang))
        return
    show_table(pd.DataFrame([_row(w, lang) for w in workshops]))
    for workshop in workshops:
        _actions(workshop, key, lang)


def _row(workshop: WorkshopInfo, lang: str) -> dict[str, object]:
    return {
        t("ws_col_business", lang): workshop.business,
        t("ws_col_code", lang): workshop.join_code,
        t("ws_col_participants", lang): workshop.participants,
        t("ws_col_status", lang): t(f"ws_status_{workshop.status}", lang),
        t("ws_col_created", lang): workshop.created_at.strftime("%Y-%m-%d %H:%M"),
    }


def _actions(workshop: WorkshopInfo, key: str, lang: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(workshop.business)}** · {md(workshop.join_code)}")
        cols = st.columns(3)
        with cols[0]:
            st.page_link(state.PAGE_FILES["facilitate"], label=t("ws_open_live", lang), icon=":material/monitoring:",
                         query_params={"w": workshop.id, "key": key})
        workshop_state.status_button(cols[1], workshop.id, workshop.status, key, f"ws_toggle_{workshop.id}", lang)
        if cols[2].button(t("ws_delete", lang), key=f"ws_delete_{workshop.id}", icon=":material/delete:"):
            st.session_state["ws_confirm_delete"] = workshop.id
        if st.session_state.get("ws_confirm_delete") == workshop.id:
            _confirm_delete(workshop, key, lang)


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


page()
