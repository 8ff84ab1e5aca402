"""Shared workshop plumbing for the pages: one store and one throttle per server, links, rubric sets, times.

A workshop is pinned to the rubric set it was created with (stored in the
database by digest), so every page of it, participants' included, resolves
the same questions whatever this browser session has uploaded.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit

import streamlit as st

from assessment.i18n import t
from assessment.models import RubricSet
from assessment.ui import cached
from assessment.workshop import JoinThrottle, WorkshopInfo, WorkshopSettings, WorkshopStore, clients
from assessment.workshop.display import local_time
from assessment.workshop.settings import is_loopback_host

ORGANISER = "organiser"
WORKSHOP_PAGES = frozenset({"workshops", "join", "facilitate", "present"})
"""Pages of the workshop feature: no founder's sidebar there."""


@st.cache_resource(show_spinner=False)
def settings() -> WorkshopSettings:
    return WorkshopSettings()


@st.cache_resource(show_spinner=False)
def store() -> WorkshopStore:
    """The app's store: SQLite under the data directory, or PostgreSQL when DATABASE_URL names one."""
    return WorkshopStore.from_environment(rubrics=[shipped_rubric()], settings=settings())


def throttle() -> JoinThrottle:
    """The join throttle: its counts live in the store, shared by every session and replica."""
    return JoinThrottle(store())


def this_client() -> str:
    """This browser's address as the join throttle counts it (the forwarded one behind a trusted proxy)."""
    headers = st.context.headers
    forwarded = {"x-forwarded-for": ", ".join(headers.get_all("X-Forwarded-For")),
                 "x-real-ip": headers.get("X-Real-IP") or ""}
    return clients.client_address(st.context.ip_address, forwarded, settings().proxy_networks())


def status_button(container, workshop_id: int, status: str, key: str, button_key: str, lang: str) -> None:
    """Close an open workshop or reopen a closed one: the one button both workshop pages show."""
    closed = status == "closed"
    if container.button(t("ws_reopen" if closed else "ws_close", lang), key=button_key):
        (store().reopen if closed else store().close)(workshop_id, key)
        st.rerun()


def shipped_rubric() -> RubricSet:
    return cached.rubric_from_sources(cached.shipped_sources())


def rubric_for(info: WorkshopInfo) -> RubricSet:
    """The rubric set this workshop is pinned to (the shipped one for workshops made before sets were stored)."""
    return store().workshop_rubric(info.rubric_id, info.rubric_version, info.rubric_digest) or shipped_rubric()


def public_base() -> str:
    """Where participants reach the app: the configured public URL, else the host in this browser's address bar."""
    configured = settings().public_url
    if configured:
        return configured
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{parts.scheme}://{parts.netloc}"


def link(page: str, **params: str | int) -> str:
    """An absolute link to another page of this app, as participants reach it."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{public_base()}/{page}{query}"


def link_warning(lang: str) -> None:
    """Say so when the links name an address only this machine reaches (the app opened as localhost
    and no public URL configured): handed out, they would open nothing."""
    if settings().public_url:
        return
    if is_loopback_host(urlsplit(st.context.url or "").hostname):
        st.warning(t("ws_loopback_warning", lang, host=urlsplit(st.context.url or "").netloc))


def when(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time in this browser's time zone (UTC when the browser does not say)."""
    return local_time(moment, st.context.timezone, fmt)


def organiser_key() -> str | None:
    """The organiser key from the link or this session (it lists the facilitator's workshops)."""
    key = st.query_params.get(ORGANISER) or st.session_state.get(ORGANISER)
    if key:
        st.session_state[ORGANISER] = key
    return key


def ensure_organiser_key() -> str:
    key = organiser_key() or WorkshopStore.new_organiser_key()
    use_organiser_key(key)
    return key


def use_organiser_key(key: str) -> None:
    """Make ``key`` this session's organiser key (and put it in the address, to bookmark)."""
    st.session_state[ORGANISER] = key
    st.query_params[ORGANISER] = key


def workshop_from_link() -> tuple[WorkshopInfo, str] | None:
    """The workshop and key of a facilitator's link (``?w=…&key=…``), or None when they open nothing."""
    raw, key = st.query_params.get("w"), st.query_params.get("key")
    workshop_id = int(raw) if raw and raw.isdigit() and len(raw) < 18 else None
    if workshop_id is None or not key:
        return None
    info = store().facilitator(workshop_id, key)
    return None if info is None else (info, key)
