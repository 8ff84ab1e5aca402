"""Database faults on the workshop pages: say what was not saved, keep it, retry, come back without a reload.

The store raises :class:`DatabaseUnavailable` (or :class:`DatabaseBusy`) when the
database is down, locked past its busy timeout, read-only or full. A
participant's answer or reason that could not be saved is kept in this session
(and on the page), marked under its question, and saved again every few
seconds by a fragment while any is waiting; a page that could not be drawn at
all waits in a fragment that redraws the whole page once the database answers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from assessment.i18n import t, tn
from assessment.ui import state, workshop_state
from assessment.ui.text import md
from assessment.workshop import DatabaseUnavailable, WorkshopError

RETRY_SECONDS = 3
UNSAVED = "workshop_unsaved"
"""``{(kind, question_id): value}``: what could not be saved, kind "answer" or "why" (value None: a cleared answer)."""
REASON = "workshop_unsaved_reason"
LAST_KNOWN = "workshop_last_known"
"""``{(what, key): value}``: the last reads that worked, drawn while the database is away."""
DEGRADED = "workshop_degraded"
_T = TypeVar("_T")
Write = Callable[[str, str, Any], None]
"""Saves one kept change: (kind, question_id, value)."""
_P = ParamSpec("_P")


def unsaved() -> dict[tuple[str, str], Any]:
    return st.session_state.setdefault(UNSAVED, {})


def last_known(what: str, key: str, read: Callable[[], _T]) -> _T:
    """``read()``, remembered; while the database is away, what it gave last time (the fault is noted, so the
    page says it waits). Raises DatabaseUnavailable when there is nothing to fall back on."""
    known: dict[tuple[str, str], Any] = st.session_state.setdefault(LAST_KNOWN, {})
    try:
        known[(what, key)] = read()
    except DatabaseUnavailable as exc:
        if (what, key) not in known:
            raise
        st.session_state[DEGRADED] = exc
    return known[(what, key)]


def degraded(lang: str) -> None:
    """If this run drew remembered reads, say so and come back on its own when the database answers."""
    error = st.session_state.pop(DEGRADED, None)
    if error is not None:
        st.warning(md(t("workshop_page_waiting", lang, reason=error.message(lang))), icon=":material/cloud_off:")
        _until_back()


def keep(kind: str, question_id: str, value: Any, error: DatabaseUnavailable, lang: str) -> None:
    """Remember a change the database refused for now; it is shown as not saved and retried."""
    unsaved()[(kind, question_id)] = value
    st.session_state[REASON] = error.reason(lang)


def saved(kind: str, question_id: str) -> None:
    """A change went through: an older kept value of the same field is no longer waiting."""
    unsaved().pop((kind, question_id), None)


def overlay(stored: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """``stored`` with the kept changes of ``kind`` on top (a kept None removes the answer)."""
    merged = dict(stored)
    for (held_kind, question_id), value in unsaved().items():
        if held_kind == kind:
            if value is None:
                merged.pop(question_id, None)
            else:
                merged[question_id] = value
    return merged


def notice(question_id: str, lang: str) -> None:
    """Under a question: "not saved, kept, retrying" while its answer or reason waits."""
    if any(question_id == held for _, held in unsaved()):
        reason = st.session_state.get(REASON) or t("workshop_db_unavailable_short", lang)
        st.error(t("workshop_not_saved", lang, reason=reason), icon=":material/cloud_off:")


def retry(write: Write, lang: str) -> None:
    """While changes wait, try them again every few seconds; when all are saved, redraw the page."""
    if unsaved():
        _retrying(write, lang)


@st.fragment(run_every=RETRY_SECONDS)
def _retrying(write: Write, lang: str) -> None:
    waiting = unsaved()
    for (kind, question_id), value in list(waiting.items()):
        try:
            write(kind, question_id, value)
        except DatabaseUnavailable as exc:
            st.session_state[REASON] = exc.reason(lang)
            st.caption(tn("workshop_unsaved_count", len(waiting), lang))
            return
        except WorkshopError as exc:  # refused for good meanwhile (closed, deleted): say so, stop retrying
            st.session_state["join_save_error"] = exc.message(lang)
        waiting.pop((kind, question_id), None)
    st.rerun(scope="app")  # all saved: the notices go, the page shows what is stored


def workshop_page(draw: Callable[[str], None]) -> None:
    """Draw a workshop page in the session's language; when the database cannot be reached, the waiting page."""
    lang = state.lang()
    try:
        draw(lang)
    except DatabaseUnavailable as exc:
        page_waiting(exc, lang)


def page_waiting(error: DatabaseUnavailable, lang: str) -> None:
    """The page could not be drawn: say why, what is kept, and come back on its own when the database answers."""
    st.warning(md(t("workshop_page_waiting", lang, reason=error.message(lang))), icon=":material/cloud_off:")
    if unsaved():
        st.info(tn("workshop_unsaved_count", len(unsaved()), lang))
    _until_back()


def fragment_waiting(error: DatabaseUnavailable, lang: str) -> None:
    """Inside a fragment that refreshes itself: a line saying it is waiting (it retries on its next run)."""
    st.warning(md(t("workshop_page_waiting", lang, reason=error.message(lang))), icon=":material/cloud_off:")


@st.fragment(run_every=RETRY_SECONDS)
def _until_back() -> None:
    try:
        workshop_state.store().ping()
    except DatabaseUnavailable:
        return
    st.rerun(scope="app")


def guarded(draw: Callable[_P, None]) -> Callable[_P, None]:
    """For a fragment that refreshes itself (put under ``st.fragment``): a database fault draws a line
    saying it waits, instead of an error; its next run tries again."""
    @functools.wraps(draw)
    def drawn(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            draw(*args, **kwargs)
        except DatabaseUnavailable as exc:
            fragment_waiting(exc, state.lang())
    return drawn


def guarded_click(act: Callable[_P, None]) -> Callable[_P, None]:
    """For a button's callback: a database fault is said in a toast (nothing changed; click again later)."""
    @functools.wraps(act)
    def acted(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            act(*args, **kwargs)
        except DatabaseUnavailable as exc:
            st.toast(exc.message(state.lang()), icon=":material/cloud_off:")
    return acted
