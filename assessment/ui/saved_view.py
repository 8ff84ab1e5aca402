"""What the founder's pages show about saving: the private link, and a save that failed."""

from __future__ import annotations

import streamlit as st

from assessment.i18n import t
from assessment.ui import saved, workshop_state
from assessment.ui.faults import RETRY_SECONDS
from assessment.ui.text import md
from assessment.workshop import DatabaseUnavailable


def save_error(lang: str) -> None:
    """The last save or link that failed, once (the work itself stays in this session). Edits the database
    refused for now are said to be kept, and saved again every few seconds until they go through."""
    error = saved.pop_error()
    if saved.unsaved_edits():
        reason = error.reason(lang) if isinstance(error, DatabaseUnavailable) else t("workshop_db_unavailable_short",
                                                                                      lang)
        st.error(t("workshop_not_saved", lang, reason=reason), icon=":material/cloud_off:")
        _retry_edits()
    elif error is not None:
        st.error(md(error.message(lang)))


@st.fragment(run_every=RETRY_SECONDS)
def _retry_edits() -> None:
    if saved.flush():
        st.rerun(scope="app")  # saved: the message goes
    saved.pop_error()  # still waiting: the message above stays as it is


def private_link(lang: str) -> None:
    """Where the work is kept: the private link once it is saved, else when it will be."""
    key, number = saved.current_key(), saved.current_number()
    if key is None or number is None:
        st.caption(t("saved_not_yet", lang))
        return
    with st.container(border=True):
        st.markdown(t("saved_link_intro", lang))
        params: dict[str, str | int] = {saved.KEY: key, saved.NUMBER: number}
        st.code(workshop_state.link("", **params), language=None)
        st.caption(t("saved_link_private", lang))
