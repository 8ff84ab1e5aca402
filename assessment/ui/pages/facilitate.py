"""The facilitator's live view of one workshop (opened only with its secret key).

The view refreshes itself every few seconds (``st.fragment(run_every=…)``):
who has joined and how far each has got, the agenda of disputed questions,
the heatmap, agreement and the group's verdict. Then the room settles the
agreed answers, which get the full Results page and the exports.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.charts import heatmap_chart
from assessment.export import answers_frame, summary_frame, to_csv_bytes
from assessment.i18n import t
from assessment.models import ChoiceQuestion, RubricSet, slug, text
from assessment.localise import class_label, localise
from assessment.scoring import assess
from assessment.ui import cached, questions, state, widgets, workshop_state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop import (
    FacilitatorView,
    WorkshopInfo,
    aggregate_csv,
    agreed_sheet,
    answers_csv,
    default_agreed,
    facilitator_view,
)
from assessment.workshop.display import agenda_table, participants_table

REFRESH_SECONDS = 3


def page() -> None:
    lang = state.lang()
    workshop_id, key = _int(st.query_params.get("w")), st.query_params.get("key")
    store = workshop_state.store()
    info = store.facilitator(workshop_id, key) if workshop_id is not None and key else None
    if info is None:
        st.title(t("ws_live_title", lang))
        st.error(t("ws_bad_link", lang))
        return
    rubric = workshop_state.shipped_rubric()
    st.title(t("ws_live_title", lang))
    st.header(md(info.business), anchor=False)
    _controls(info, key, lang)
    live(workshop_id, key, lang)
    frame = store.workshop_answers(info.id, key)
    view = facilitator_view(frame, rubric, info.anonymous, business=info.business, lang=lang)
    _agreed(info, key, rubric, view, lang)
    _exports(info, key, rubric, frame, view, lang)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _controls(info: WorkshopInfo, key: str, lang: str) -> None:
    store = workshop_state.store()
    st.markdown(t("ws_live_code", lang, code=info.join_code))
    st.code(workshop_state.link("join", code=info.join_code), language=None)
    cols = st.columns(3)
    revealed = cols[0].toggle(t("ws_reveal", lang), value=info.revealed, key="ws_reveal",
                              help=t("ws_reveal_help", lang))
    if revealed != info.revealed:
        store.set_revealed(info.id, key, revealed)
    workshop_state.status_button(cols[1], info.id, info.status, key, "ws_live_toggle", lang)
    closes = t("ws_closes_at", lang, time=f"{info.deadline:%Y-%m-%d %H:%M}") if info.deadline else ""
    cols[2].caption(" · ".join(part for part in (t(f"ws_status_{info.status}", lang), closes) if part))


@st.fragment(run_every=REFRESH_SECONDS)
def live(workshop_id: int, key: str, lang: str) -> None:
    """What the room looks at, refreshed on its own while people answer."""
    store = workshop_state.store()
    info = store.facilitator(workshop_id, key)
    if info is None:  # deleted meanwhile
        st.warning(t("ws_bad_link", lang))
        return
    rubric = workshop_state.shipped_rubric()
    view = facilitator_view(store.workshop_answers(workshop_id, key), rubric, info.anonymous, business=info.business, lang=lang)
    cols = st.columns(4)
    cols[0].metric(t("ws_participants", lang), view.participant_count)
    cols[1].metric(t("ws_alpha", lang), "—" if view.alpha is None else f"{view.alpha:.2f}", help=t("ws_alpha_help", lang))
    cols[2].metric(t("ws_group_verdict", lang), class_label(rubric, view.group.class_code, lang) if view.participant_count else "—",
                   help=t("ws_group_verdict_help", lang))
    counts = view.class_counts
    cols[3].metric(t("ws_spread", lang), f"{counts.get('plus_internet', 0)} · {counts.get('internet_plus', 0)}",
                   help=t("ws_spread_help", lang, a=rubric.class_label("plus_internet", lang), b=rubric.class_label("internet_plus", lang)))
    st.caption(t("ws_updated", lang, time=dt.datetime.now().strftime("%H:%M:%S"), seconds=REFRESH_SECONDS))
    if not view.participant_count:
        st.info(t("ws_waiting", lang))
        return
    st.subheader(t("ws_people_title", lang), anchor=False)
    show_table(participants_table(view, rubric, lang))
    st.subheader(t("ws_agenda_title", lang), anchor=False)
    agenda = agenda_table(view, rubric, lang, limit=10)
    if agenda.empty:
        st.write(t("ws_agenda_empty", lang))
    else:
        show_table(agenda)
    widgets.chart(heatmap_chart(view, rubric, lang), lang)


def _agreed(info: WorkshopInfo, key: str, rubric: RubricSet, view: FacilitatorView, lang: str) -> None:
    """The agreed answer per question: the median unless the room decides otherwise."""
    store = workshop_state.store()
    st.header(t("ws_agreed_title", lang), anchor=False)
    st.caption(t("ws_agreed_intro", lang))
    current = default_agreed(view) | store.agreed(info.id, key).values
    with st.form("ws_agreed"):
        values = {}
        for dimension in rubric.dimensions:
            st.markdown(f"**{md(text(dimension.title, lang))}**")
            for question in dimension.questions:
                values[question.id] = _agreed_widget(question, current.get(question.id), lang)
        if st.form_submit_button(t("ws_agreed_save", lang), type="primary"):
            chosen = {qid: value for qid, value in values.items() if value is not None}
            store.set_agreed_many(info.id, key, chosen)
            st.success(t("ws_agreed_saved", lang, count=len(chosen)))
    if st.button(t("ws_agreed_open", lang), key="ws_agreed_open", icon=":material/insights:"):
        state.load_sheet(agreed_sheet(info, store.agreed(info.id, key), rubric))
        st.switch_page(state.PAGE_FILES["results"])


def _agreed_widget(question, value, lang: str):
    key = questions.seed(f"agreed_{question.id}", question, value)
    return questions.answer_input(question, lang, key, compact=True)


def _exports(info: WorkshopInfo, key: str, rubric: RubricSet, frame, view: FacilitatorView, lang: str) -> None:
    store = workshop_state.store()
    st.header(t("ws_exports_title", lang), anchor=False)
    name = slug(info.business)
    sheet = agreed_sheet(info, store.agreed(info.id, key), rubric)
    result = localise(assess(sheet, rubric), rubric, lang)
    downloads = [
        ("ws_download_answers", lambda: answers_csv(frame, rubric, info.anonymous, lang), f"{name}-workshop-answers.csv", "text/csv"),
        ("ws_download_aggregate", lambda: aggregate_csv(view, rubric, lang, store.agreed(info.id, key).values), f"{name}-workshop-questions.csv", "text/csv"),
        ("ws_download_agreed_answers", lambda: to_csv_bytes(answers_frame(sheet, result, rubric)), f"{name}-agreed-answers.csv", "text/csv"),
        ("ws_download_agreed_summary", lambda: to_csv_bytes(summary_frame([sheet], rubric, lang)), f"{name}-agreed-summary.csv", "text/csv"),
        ("ws_download_agreed_report", lambda: cached.report(sheet, rubric, lang).encode("utf-8"), f"{name}-agreed-report.html", "text/html"),
    ]
    for label, data, file_name, mime in downloads:
        st.download_button(t(label, lang), data, file_name=file_name, mime=mime, key=label, on_click="ignore",
                           icon=":material/download:")


page()
