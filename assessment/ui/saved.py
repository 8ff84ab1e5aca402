"""The founder's assessment in this browser session, kept in the store as it changes.

The session holds the work being edited (:class:`SavedWork`); every change is
also sent to the store (one small, group-committed write), so a reload, a
closed tab or a restarted server loses nothing. The private link
``?a=<key>&n=<number>`` opens it again: the key is the founder's secret (only
its hash is stored) and opens every assessment made with it ("My
assessments"). The store is read only when the link names another assessment
than the one in the session, never on an ordinary rerun.

An example (``?example=…`` or *Load example*) opens a copy, saved as a new
assessment at its first change: an example never overwrites the founder's work.
"""

from __future__ import annotations

import streamlit as st

from assessment.history import Snapshot, certain_class
from assessment.models import RubricSet
from assessment.saved_work import SavedWork, WorkChange, apply_change
from assessment.ui import questions, workshop_state
from assessment.workshop import DatabaseUnavailable, WorkshopError
from assessment.workshop.errors import UnknownAssessment
from assessment.workshop.store.founders import SavedRecord

KEY, NUMBER = "a", "n"
WORK = "founder_work"
UNDO = "founder_undo"
CURRENT = "founder_current"  # (key, number or None): the assessment in the session, as its link names it
ERROR = "founder_save_error"
PENDING = "founder_unsaved_edits"
"""Edits the database refused for now (busy, down): kept in order and saved again before the next one."""
QUESTION_PREFIX = "q"
_WIDGET_PREFIXES = ("meta_", "note_", "links_", "plan_")
FOUNDER_PAGES = {"", "assess", "results", "export", "compare", "history", "plan", "mine"}


def work(rubric: RubricSet | None = None) -> SavedWork:
    """The work being edited in this session (a blank one for ``rubric`` at first)."""
    if WORK not in st.session_state:
        st.session_state[WORK] = SavedWork(rubric_id=rubric.id if rubric else "",
                                           rubric_version=rubric.version if rubric else "")
    return st.session_state[WORK]


def current_key() -> str | None:
    current = st.session_state.get(CURRENT)
    return current[0] if current else None


def current_number() -> int | None:
    current = st.session_state.get(CURRENT)
    return current[1] if current else None


def open_from_link() -> None:
    """Open the assessment the link names, when it is not the one already in the session (one indexed read)."""
    link_key = st.query_params.get(KEY)
    if not link_key:
        return
    wanted = _link_number()
    current = st.session_state.get(CURRENT)
    if current and current[0] == link_key and (wanted is None or wanted == current[1]):
        return
    record = workshop_state.store().open_saved(link_key, wanted)
    if record is None:
        st.session_state[ERROR] = UnknownAssessment()
        st.query_params.pop(KEY, None)
        st.query_params.pop(NUMBER, None)
        return
    _install(record.work, record.undo, (link_key, record.number))


def keep_link(page: str) -> None:
    """Keep the private link in the address bar of the founder's pages (navigation may drop it)."""
    current = st.session_state.get(CURRENT)
    if not current or page not in FOUNDER_PAGES:
        return
    if current[1] is None:  # a copy not saved yet: its key may open nothing so far
        st.query_params.pop(NUMBER, None)
        return
    if st.query_params.get(KEY) != current[0]:
        st.query_params[KEY] = current[0]
    if st.query_params.get(NUMBER) != str(current[1]):
        st.query_params[NUMBER] = str(current[1])


def _link_number() -> int | None:
    raw = st.query_params.get(NUMBER)
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def _install(new: SavedWork, undo: SavedWork | None, current: tuple[str, int | None]) -> None:
    st.session_state[WORK] = new
    st.session_state[UNDO] = undo
    st.session_state[CURRENT] = current
    forget_widgets()


def forget_widgets() -> None:
    """Drop the answer, name, note and plan widgets' state: they are drawn again from the work."""
    questions.forget(QUESTION_PREFIX)
    for name in [k for k in st.session_state if str(k).startswith(_WIDGET_PREFIXES)]:
        del st.session_state[name]


def start(new: SavedWork, save_now: bool) -> None:
    """Open ``new`` as a new assessment of this founder: saved at once, or at its first change (an example)."""
    _install(new, None, (current_key() or workshop_state.store().new_founder_key(), None))
    if save_now:
        _create()
    keep_link("assess")


def _create() -> None:
    founder_key = current_key() or workshop_state.store().new_founder_key()
    try:
        created = workshop_state.store().create_saved(founder_key, work())
    except WorkshopError as refused:
        st.session_state[ERROR] = refused
        return
    st.session_state[CURRENT] = (founder_key, created)
    st.query_params.pop("example", None)
    keep_link("assess")


def change(edit: WorkChange, rubric: RubricSet) -> None:
    """Apply an edit to the session's work and save it; a new certain verdict also takes a snapshot."""
    before = work(rubric)
    if not before.rubric_id:  # the work began before a rubric was at hand: it is answered against this one
        edit = edit.model_copy(update={"fields": {**edit.fields, "rubric_id": rubric.id,
                                                  "rubric_version": rubric.version}})
    after, undo = apply_change(before, st.session_state.get(UNDO), edit)
    if edit.undo:  # the session holds what a clear replaced (also before the copy was first saved)
        edit = edit.model_copy(update={"replace": after})
    verdict = certain_class(after.answers, rubric) if edit.answers or edit.replace or edit.clear or edit.undo else None
    snapshot_due = verdict is not None and before.verdict is not None and verdict != before.verdict
    if verdict is not None and verdict != after.verdict:
        edit = edit.model_copy(update={"fields": {**edit.fields, "verdict": verdict}})
        after = after.model_copy(update={"verdict": verdict})
    st.session_state[WORK], st.session_state[UNDO] = after, undo
    if current_number() is None:
        _create()
        return
    st.session_state.setdefault(PENDING, []).append(edit)
    if flush() and snapshot_due:
        try:
            workshop_state.store().take_snapshot(str(current_key()), int(current_number() or 0), "verdict")
        except WorkshopError as refused:
            st.session_state[ERROR] = refused


def unsaved_edits() -> int:
    """How many edits wait to be saved (the work in this session already has them)."""
    return len(st.session_state.get(PENDING) or [])


def flush() -> bool:
    """Save the waiting edits in order; whether all are saved. A database fault keeps them (to retry); any
    other refusal drops them (they can never be saved) and says why."""
    pending: list[WorkChange] = st.session_state.setdefault(PENDING, [])
    try:
        while pending:
            workshop_state.store().save_work(str(current_key()), int(current_number() or 0), pending[0])
            pending.pop(0)
    except DatabaseUnavailable as fault:
        st.session_state[ERROR] = fault
        return False
    except WorkshopError as refused:
        pending.clear()
        st.session_state[ERROR] = refused
        return False
    return True


def pop_error() -> WorkshopError | None:
    """Why the last save or link failed, shown once (the work stays in the session)."""
    return st.session_state.pop(ERROR, None)


def undo_available() -> SavedWork | None:
    return st.session_state.get(UNDO)


def ensure_saved() -> bool:
    """Save the work now if it is not saved yet (and holds something); whether it is saved."""
    if current_number() is None and not work().is_empty():
        _create()
    return current_number() is not None


def take_snapshot() -> Snapshot | None:
    """Keep the work as it stands now (saving it first if needed); None when there is nothing to keep."""
    if not ensure_saved():
        return None
    try:
        return workshop_state.store().take_snapshot(str(current_key()), int(current_number() or 0), "saved")
    except WorkshopError as refused:
        st.session_state[ERROR] = refused
        return None


def list_snapshots() -> list[Snapshot]:
    """The snapshots of the assessment being edited, oldest first (none while it is not saved)."""
    if current_number() is None:
        return []
    try:
        return workshop_state.store().snapshots(str(current_key()), int(current_number() or 0))
    except WorkshopError as refused:
        st.session_state[ERROR] = refused
        return []


def mine() -> list[SavedRecord]:
    """Every assessment saved under this session's key, the one changed last first."""
    return workshop_state.store().list_saved(str(current_key())) if current_key() else []


def stored(key: str, number: int) -> SavedRecord | None:
    """An assessment as last saved (safe from any thread: it reads the store, not the session)."""
    return workshop_state.store().open_saved(key, number)


def open_number(wanted: int) -> None:
    """Open another of the founder's assessments (the one being edited is already saved)."""
    record = workshop_state.store().open_saved(str(current_key()), wanted) if current_key() else None
    if record is None:
        st.session_state[ERROR] = UnknownAssessment()
        return
    _install(record.work, record.undo, (str(current_key()), record.number))
    keep_link("assess")
