"""Shared workshop plumbing for the pages: one store and one throttle per server, links.

Workshops always use the shipped rubric set: every participant's browser must
resolve the same questions, and an uploaded set lives in one session only.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode, urlsplit

import streamlit as st

from assessment.i18n import t
from assessment.models import RubricSet
from assessment.ui import cached
from assessment.workshop import JoinThrottle, WorkshopStore

ORGANISER = "organiser"


@st.cache_resource(show_spinner=False)
def store() -> WorkshopStore:
    """The app's store: SQLite under the data directory, or PostgreSQL when DATABASE_URL names one."""
    return WorkshopStore.from_environment(rubrics=[shipped_rubric()])


@st.cache_resource(show_spinner=False)
def throttle() -> JoinThrottle:
    return JoinThrottle()


def status_button(container, workshop_id: int, status: str, key: str, button_key: str, lang: str) -> None:
    """Close an open workshop or reopen a closed one: the one button both workshop pages show."""
    closed = status == "closed"
    if container.button(t("ws_reopen" if closed else "ws_close", lang), key=button_key):
        (store().reopen if closed else store().close)(workshop_id, key)
        st.rerun()


def shipped_rubric() -> RubricSet:
    return cached.rubric_from_sources(cached.shipped_sources())


def session_id() -> str:
    """A random id for this browser session (the throttle's key)."""
    return st.session_state.setdefault("workshop_session_id", secrets.token_hex(16))


def link(page: str, **params: str | int) -> str:
    """An absolute link to another page of this app, as the user's browser reaches it."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    query = f"?{urlencode(params)}" if params else ""
    return f"{parts.scheme}://{parts.netloc}/{page}{query}"


def organiser_key() -> str | None:
    """The organiser key from the link or this session (it lists the facilitator's workshops)."""
    key = st.query_params.get(ORGANISER) or st.session_state.get(ORGANISER)
    if key:
        st.session_state[ORGANISER] = key
    return key


def ensure_organiser_key() -> str:
    key = organiser_key() or WorkshopStore.new_organiser_key()
    st.session_state[ORGANISER] = key
    st.query_params[ORGANISER] = key
    return key
