"""The facilitator's live view of one workshop (opened only with its secret key).

The view refreshes itself every few seconds (``st.fragment(run_every=…)``):
who has joined, how far each has got and who is done, the agenda of disputed
questions, the heatmap, agreement and the group's verdict. Then the room
settles the agreed answers, which get the full Results page and the exports.
The presenter's screen (:mod:`.present`) is one click away.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.charts import heatmap_chart
from assessment.i18n import t, tn
from assessment.localise import class_label
from assessment.models import text
from assessment.ui import agreed, faults, questions, state, widgets, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import (
    AgreedAnswers,
    FacilitatorView,
    WorkshopError,
    WorkshopInfo,
    facilitator_view,
)
from assessment.workshop.display import agenda_table, participants_table

REFRESH_SECONDS = 3
TOUCHED = "agreed_touched"
"""Question ids whose agreed field the facilitator changed in this session: those stop following the median."""
AGREED_SHOWN = "agreed_shown"
"""The medians and saved agreed answers the agreed form was last drawn with."""
FULL_RUN = "facilitate_full_run"


def _page(lang: str) -> None:
    opened = workshop_state.workshop_from_link()
    st.title(t("ws_live_title", lang))
    if opened is None:
        st.error(t("ws_bad_link", lang))
        return
    info, key = opened
    st.header(md(info.business), anchor=False)
    _controls(info, key, lang)
    st.session_state[FULL_RUN] = True
    live(info.id, key, lang)
    agreed_form(info, key, lang)
    agreed.open_in_results(info, key, workshop_state.rubric_for(info), lang)
    agreed.exports(info, key, lang)


def _controls(info: WorkshopInfo, key: str, lang: str) -> None:
    store = workshop_state.store()
    st.markdown(t("ws_live_code", lang, code=info.join_code))
    st.code(workshop_state.link("join", code=info.join_code), language=None, wrap_lines=True)
    workshop_state.link_warning(lang)
    st.page_link(state.PAGE_FILES["present"], label=t("ws_open_presenter", lang), icon=":material/co_present:",
                 query_params={"w": str(info.id), "key": key})
    cols = st.columns(3)
    revealed = cols[0].toggle(t("ws_reveal", lang), value=info.revealed, key="ws_reveal",
                              help=t("ws_reveal_help", lang))
    if revealed != info.revealed:
        store.set_revealed(info.id, key, revealed)
    workshop_state.status_button(cols[1], info.id, info.status, key, "ws_live_toggle", lang)
    closes = t("ws_closes_at", lang, time=workshop_state.when(info.deadline)) if info.deadline else ""
    cols[2].caption(" · ".join(part for part in (t(f"ws_status_{info.status}", lang), closes) if part))


@st.fragment(run_every=REFRESH_SECONDS)
@faults.guarded
def live(workshop_id: int, key: str, lang: str) -> None:
    """What the room looks at, refreshed on its own while people answer. When a median or an agreed
    answer has changed since the agreed form was drawn, the whole page is drawn again, so the form
    follows (it is not redrawn every few seconds for nothing)."""
    full_run = st.session_state.pop(FULL_RUN, False)
    store = workshop_state.store()
    info = store.facilitator(workshop_id, key)
    if info is None:  # deleted meanwhile
        st.warning(t("ws_bad_link", lang))
        return
    rubric = workshop_state.rubric_for(info)
    view = facilitator_view(store.workshop_answers(workshop_id, key), rubric, info.anonymous, business=info.business,
                            lang=lang)
    if not full_run and _agreed_basis(view, store.agreed(workshop_id, key)) != st.session_state.get(AGREED_SHOWN):
        st.rerun()
    progress = store.room_progress(workshop_id, key)
    cols = st.columns(3)
    cols[0].metric(t("ws_participants", lang), view.participant_count)
    cols[1].metric(t("ws_finished", lang), len(progress.finished))
    cols[2].metric(t("ws_alpha", lang), "—" if view.alpha is None else f"{view.alpha:.2f}",
                   help=t("ws_alpha_help", lang))
    verdict, individual = st.columns([2, 3])
    verdict.metric(t("ws_group_verdict", lang),
                   md(class_label(rubric, view.group.class_code, lang)) if view.participant_count else "—",
                   help=t("ws_group_verdict_help", lang))
    counts, names = view.class_counts, (rubric.class_label(c, lang) for c in ("plus_internet", "internet_plus"))
    individual.metric(t("ws_spread", lang), " · ".join(f"{counts.get(code, 0)} {md(name)}" for code, name in
                                                    zip(("plus_internet", "internet_plus"), names, strict=True)),
                   help=t("ws_spread_help", lang))
    now = workshop_state.when(dt.datetime.now(dt.UTC), "%H:%M:%S")
    st.caption(t("ws_updated", lang, time=now, seconds=REFRESH_SECONDS))
    if not view.participant_count:
        st.info(t("ws_waiting", lang))
        return
    st.subheader(t("ws_people_title", lang), anchor=False)
    show_table(participants_table(view, rubric, lang, finished=progress.finished))
    st.subheader(t("ws_agenda_title", lang), anchor=False)
    agenda = agenda_table(view, rubric, lang, limit=10)
    if agenda.empty:
        st.write(t("ws_agenda_empty", lang))
    else:
        show_table(agenda)
    widgets.chart(heatmap_chart(view, rubric, lang), lang)


def _agreed_basis(view: FacilitatorView, saved: AgreedAnswers) -> tuple:
    return tuple(sorted(view.medians.items())), tuple(sorted(saved.values.items())), tuple(sorted(saved.notes.items()))


def agreed_form(info: WorkshopInfo, key: str, lang: str) -> None:
    """The agreed answer per question. A field shows the agreed answer once one is saved, else the
    group's median as it is now, until the facilitator changes it: then it keeps their choice."""
    store = workshop_state.store()
    rubric = workshop_state.rubric_for(info)
    view = facilitator_view(store.workshop_answers(info.id, key), rubric, info.anonymous, lang=lang)
    saved = store.agreed(info.id, key)
    st.session_state[AGREED_SHOWN] = _agreed_basis(view, saved)
    defaults = view.medians | saved.values
    touched: set[str] = st.session_state.setdefault(TOUCHED, set())
    st.header(t("ws_agreed_title", lang), anchor=False)
    st.caption(t("ws_agreed_intro", lang))
    values = {}
    for dimension in rubric.dimensions:
        st.markdown(f"**{md(text(dimension.title, lang))}**")
        for question in dimension.questions:
            widget = f"agreed_{question.id}"
            if question.id in touched:
                questions.seed(widget, question, defaults.get(question.id))
            else:
                questions.follow(widget, question, defaults.get(question.id))
            values[question.id] = questions.answer_input(question, lang, widget, compact=True,
                                                         on_change=touched.add, args=(question.id,))
            if question.id in saved.notes:
                st.caption(t("ws_agreed_note_shown", lang, note=md(saved.notes[question.id])))
    if st.button(t("ws_agreed_save", lang), type="primary", key="ws_agreed_save"):
        _save(info, key, view, values, lang)


def _save(info: WorkshopInfo, key: str, view: FacilitatorView, values: dict, lang: str) -> None:
    chosen = {qid: value for qid, value in values.items() if value is not None}
    store = workshop_state.store()
    try:
        store.set_agreed_many(info.id, key, chosen)
    except WorkshopError as refused:  # nothing of the form is saved; the fields keep what was chosen
        st.error(md(refused.message(lang)))
        return
    st.session_state[TOUCHED].clear()  # the same set the fields' callbacks add to
    # The form already shows what was saved: the live view's next refresh must not redraw the page for it,
    # which took the confirmation away within seconds.
    st.session_state[AGREED_SHOWN] = _agreed_basis(view, store.agreed(info.id, key))
    st.success(tn("ws_agreed_saved", len(chosen), lang))


faults.workshop_page(_page)
