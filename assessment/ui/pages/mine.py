"""My assessments: every assessment saved under the founder's private link; open one, or start a new one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.history import certain_class
from assessment.i18n import t
from assessment.localise import class_label
from assessment.models import RubricSet
from assessment.saved_work import SavedWork
from assessment.ui import saved, saved_view, state
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.workshop.store.founders import SavedRecord


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("mine_title", lang))
    saved_view.save_error(lang)
    records = saved.mine()
    if not records:
        st.info(t("mine_none", lang))
        return
    st.markdown(t("mine_intro", lang))
    saved_view.private_link(lang)
    show_table(pd.DataFrame([_row(record, rubric, lang) for record in records]))
    for record in records:
        _open(record, lang)
    if st.button(t("mine_new", lang), key="mine_new", icon=":material/add:"):
        saved.start(SavedWork(rubric_id=rubric.id, rubric_version=rubric.version), save_now=False)
        st.switch_page(state.PAGE_FILES["assess"])


def _row(record: SavedRecord, rubric: RubricSet, lang: str) -> dict[str, object]:
    verdict = certain_class(record.work.answers, rubric)
    return {
        t("mine_col_number", lang): record.number,
        t("mine_col_business", lang): record.work.business or "—",
        t("mine_col_answered", lang): len(record.work.answers),
        t("mine_col_verdict", lang): class_label(rubric, verdict, lang) if verdict else t("class_undetermined", lang),
        t("mine_col_updated", lang): record.updated_at.strftime("%Y-%m-%d %H:%M"),
    }


def _open(record: SavedRecord, lang: str) -> None:
    if record.number == saved.current_number():
        st.caption(t("mine_current", lang, number=record.number) + " · " + md(record.work.business or "—"))
        return
    if st.button(t("mine_open", lang, number=record.number) + " · " + md(record.work.business or "—"),
                 key=f"mine_open_{record.number}"):
        saved.open_number(record.number)
        st.switch_page(state.PAGE_FILES["assess"])


page()
