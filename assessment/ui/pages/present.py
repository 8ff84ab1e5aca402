"""The presenter's screen, for the projector (opened from the facilitator's link, with its key).

First the way in: the join code in large type and a QR code of the join link,
with how many have joined and are done. Then the agenda one question at a
time: the question, a bar per option with how many chose it, the median and
spread, participants' comments beside it, a countdown, a reveal to the
participants, and the agreed answer with the room's note, saved right there.

Keyboard: → and ← move to the next and previous question (the buttons'
``shortcut``, shown on them; ignored while typing in a field); Tab reaches
every control. The question on screen is stored, so participants' pages
follow it within seconds.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.charts import distribution_chart
from assessment.i18n import t
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.ui import faults, questions, state, widgets, workshop_state
from assessment.ui.text import md
from assessment.workshop import FacilitatorView, WorkshopInfo, facilitator_view
from assessment.workshop.aggregate import view_tally
from assessment.workshop.exports import comment_lines
from assessment.workshop.qr import qr_svg
from assessment.workshop.records import RoomProgress

STAGE_SECONDS = 3
ORDER = "present_order"
TIMER = "present_timer_ends"
PRESENT_TOUCHED = "present_touched"
DEFAULT_MINUTES = 3
MINUTES = "present_minutes"


def _page(lang: str) -> None:
    opened = workshop_state.workshop_from_link()
    if opened is None:
        st.title(t("page_present", lang))
        st.error(t("ws_bad_link", lang))
        return
    info, key = opened
    st.set_page_config(page_title=t("present_page_title", lang, business=info.business))
    st.title(md(info.business), anchor=False)
    st.page_link(state.PAGE_FILES["facilitate"], label=t("present_back", lang), icon=":material/arrow_back:",
                 query_params={"w": str(info.id), "key": key})
    _way_in(info, key, lang)
    st.session_state.setdefault(TIMER, info.timer_ends_at)
    stage(info.id, key, lang)
    countdown(info.id, key, lang)


def _way_in(info: WorkshopInfo, key: str, lang: str) -> None:
    """The join code, big; the QR code of the join link; who has joined and who is done."""
    link = workshop_state.link("join", code=info.join_code)
    code, qr, numbers = st.columns([2, 1, 1], vertical_alignment="center")
    with code:
        st.markdown(t("present_join_at", lang))
        st.markdown(f"# {md(info.join_code)}")  # a heading: the largest type the page has
        st.code(link, language=None, wrap_lines=True)
        workshop_state.link_warning(lang)
    qr.image(qr_svg(link), alt=t("present_qr_alt", lang, link=link), width=264)
    with numbers:
        room_numbers(info.id, key, lang)


@st.fragment(run_every=STAGE_SECONDS)
@faults.guarded
def room_numbers(workshop_id: int, key: str, lang: str) -> None:
    progress = workshop_state.store().room_progress(workshop_id, key)
    st.metric(t("ws_participants", lang), progress.joined)
    st.metric(t("ws_finished", lang), len(progress.finished))


@st.fragment(run_every=STAGE_SECONDS)
@faults.guarded
def stage(workshop_id: int, key: str, lang: str) -> None:
    """The question on the projector, refreshed while the room answers; the controls that move it."""
    store = workshop_state.store()
    info = store.facilitator(workshop_id, key)
    if info is None:
        st.warning(t("ws_bad_link", lang))
        return
    rubric = workshop_state.rubric_for(info)
    view = facilitator_view(store.workshop_answers(workshop_id, key), rubric, info.anonymous, lang=lang)
    order = _order(view, rubric)
    position = order.index(info.focus_question) if info.focus_question in order else None
    st.divider()
    if position is None:
        st.subheader(t("present_start_title", lang, count=len(order)), anchor=False)
        st.button(t("present_start", lang), type="primary", key="present_start", icon=":material/play_arrow:",
                  shortcut="Right", on_click=_go, args=(info.id, key, order[0]))
        return
    question = rubric.question(order[position])
    assert isinstance(question, ChoiceQuestion)
    progress = store.room_progress(workshop_id, key)
    _navigation(info, key, order, position, lang)
    st.subheader(t("present_question", lang, number=position + 1, total=len(order),
                   question=md(text(question.text, lang))), anchor=False)
    widgets.chart(distribution_chart(question, view_tally(view, question.id), lang), lang, heading=False)
    numbers, comments = st.columns([1, 2])
    with numbers:
        _statistics(view, question, lang)
    with comments:
        _comments(info, key, question.id, lang)
    _reveal(info, key, question.id, progress, lang)
    _agree(info, key, rubric, view, question, lang)


def _order(view: FacilitatorView, rubric: RubricSet) -> list[str]:
    """The agenda as first seen with answers (most disputed first), then the unanswered questions: kept
    for the session, so stepping through it does not jump while answers come in."""
    kept: list[str] | None = st.session_state.get(ORDER)
    if kept is not None:
        return kept
    choice = [q.id for _, q in rubric.choice_questions()]
    order = [q for q in view.agenda if q in choice] + [q for q in choice if q not in view.agenda]
    if view.agenda:  # before any answer the rubric's order is a placeholder: sort again once there are some
        st.session_state[ORDER] = order
    return order


def _navigation(info: WorkshopInfo, key: str, order: list[str], position: int, lang: str) -> None:
    """Previous and next (also the ← and → keys), and sorting again. Each acts in its callback, before
    the screen is drawn again, so the screen shows the new question at once."""
    previous, following, resort = st.columns(3)
    previous.button(t("present_previous", lang), key="present_previous", icon=":material/arrow_back:",
                    shortcut="Left", disabled=position == 0, width="stretch", on_click=_go,
                    args=(info.id, key, order[max(position - 1, 0)]))
    following.button(t("present_next", lang), key="present_next", icon=":material/arrow_forward:", type="primary",
                     shortcut="Right", disabled=position == len(order) - 1, width="stretch", on_click=_go,
                     args=(info.id, key, order[min(position + 1, len(order) - 1)]))
    resort.button(t("present_resort", lang), key="present_resort", icon=":material/sort:", width="stretch",
                  help=t("present_resort_help", lang), on_click=st.session_state.pop, args=(ORDER, None))


@faults.guarded_click
def _go(workshop_id: int, key: str, question_id: str) -> None:
    """Put another question on the projector (and on the participants' pages)."""
    workshop_state.store().set_focus(workshop_id, key, question_id)


def _statistics(view: FacilitatorView, question: ChoiceQuestion, lang: str) -> None:
    row = view.questions.set_index("question_id").loc[question.id]
    median = question.option(str(row["median"])) if isinstance(row["median"], str) else None
    st.metric(t("ws_col_median", lang),
              "—" if median is None else f"{question.options.index(median) + 1} / {len(question.options)}",
              help=t("present_median_help", lang))
    if median is not None:
        st.caption(md(text(median.label, lang)))
    spread = "—" if row["answered"] == 0 else t("present_spread_value", lang, iqr=f"{row['iqr']:g}",
                                                  range=f"{row['range']:g}")
    st.metric(t("present_spread", lang), spread, help=t("present_spread_help", lang))


def _comments(info: WorkshopInfo, key: str, question_id: str, lang: str) -> None:
    lines = comment_lines(workshop_state.store().workshop_comments(info.id, key, [question_id])).get(question_id, [])
    st.markdown(f"**{t('present_comments', lang, count=len(lines))}**")
    for line in lines:
        st.markdown(f"- {md(line)}")


def _reveal(info: WorkshopInfo, key: str, question_id: str, progress: RoomProgress, lang: str) -> None:
    shown = question_id in progress.revealed_questions or info.revealed
    st.caption(t("present_revealed" if shown else "present_hidden", lang))
    hide = question_id in progress.revealed_questions
    st.button(t("present_hide" if hide else "present_reveal", lang), key="present_reveal",
              icon=":material/visibility_off:" if hide else ":material/visibility:",
              on_click=faults.guarded_click(workshop_state.store().reveal_question),
              args=(info.id, key, question_id, not hide))


def _agree(info: WorkshopInfo, key: str, rubric: RubricSet, view: FacilitatorView, question: ChoiceQuestion,
           lang: str) -> None:
    """The agreed answer (the median until the presenter changes it) and the room's reason for it."""
    store = workshop_state.store()
    saved = store.agreed(info.id, key)
    touched: set[str] = st.session_state.setdefault(PRESENT_TOUCHED, set())
    widget, note_key = f"present_agreed_{question.id}", f"present_note_{question.id}"
    default = saved.values.get(question.id, view.medians.get(question.id))
    (questions.seed if question.id in touched else questions.follow)(widget, question, default)
    if note_key not in st.session_state:
        st.session_state[note_key] = saved.notes.get(question.id, "")
    with st.container(border=True):
        st.markdown(f"**{t('present_agreed_title', lang)}**")
        value = questions.answer_input(question, lang, widget, label=t("present_agreed_label", lang), compact=True,
                                       on_change=touched.add, args=(question.id,))
        st.text_area(t("present_note", lang), key=note_key, max_chars=2000, height=90)
        st.button(t("present_agreed_save", lang), key="present_agreed_save", type="primary", icon=":material/done_all:",
                  disabled=value is None, on_click=_save_agreed, args=(info.id, key, question.id, widget, note_key))
        if question.id in saved.values:
            option = question.option(str(saved.values[question.id]))
            shown = text(option.label, lang) if option else str(saved.values[question.id])
            st.caption(t("present_agreed_current", lang, answer=md(shown),
                         note=md(saved.notes.get(question.id, "—"))))


@faults.guarded_click
def _save_agreed(workshop_id: int, key: str, question_id: str, widget: str, note_key: str) -> None:
    """Save the chosen answer and the note as the room's (a callback: the screen then shows them saved)."""
    value = st.session_state.get(widget)
    if value is None:
        return
    workshop_state.store().set_agreed(workshop_id, key, question_id, value, note=st.session_state.get(note_key) or "")
    st.session_state.setdefault(PRESENT_TOUCHED, set()).discard(question_id)


@st.fragment(run_every=1)
@faults.guarded
def countdown(workshop_id: int, key: str, lang: str) -> None:
    """The discussion timer: set in minutes, shown to the second; participants see it too."""
    st.divider()
    ends: dt.datetime | None = st.session_state.get(TIMER)
    left = None if ends is None else max(0, int((ends - dt.datetime.now(dt.UTC)).total_seconds() + 0.999))
    shown, minutes, start, stop = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    shown.metric(t("present_timer", lang), "—" if left is None else f"{left // 60}:{left % 60:02d}")
    if left == 0:
        shown.caption(t("present_time_up", lang))
    minutes.number_input(t("present_minutes", lang), min_value=0.5, max_value=60.0, value=float(DEFAULT_MINUTES),
                         step=0.5, key=MINUTES)
    start.button(t("present_timer_start", lang), key="present_timer_start", icon=":material/timer:", on_click=_timer,
                 args=(workshop_id, key, MINUTES))
    stop.button(t("present_timer_stop", lang), key="present_timer_stop", icon=":material/timer_off:",
                disabled=ends is None, on_click=_timer, args=(workshop_id, key, None))


@faults.guarded_click
def _timer(workshop_id: int, key: str, minutes_key: str | None) -> None:
    """Start the countdown from the minutes field as it is now (or stop it, without one)."""
    minutes = st.session_state.get(minutes_key) if minutes_key else None
    workshop_state.store().start_timer(workshop_id, key, None if minutes is None else float(minutes) * 60)
    info = workshop_state.store().facilitator(workshop_id, key)
    st.session_state[TIMER] = None if info is None else info.timer_ends_at


faults.workshop_page(_page)
