"""History: dated snapshots of the founder's assessment, the trend of its scores, and what changed between two."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.charts.history import history_chart
from assessment.export import to_csv_bytes
from assessment.history import Snapshot, history_csv, history_frame, snapshot_diff
from assessment.i18n import t
from assessment.models import RubricSet, slug
from assessment.ui import saved, saved_view, state, widgets
from assessment.ui.choices import keep_choice
from assessment.ui.tables import show_table


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("history_title", lang))
    st.markdown(t("history_intro", lang))
    saved_view.save_error(lang)
    if not saved.ensure_saved():
        st.info(t("history_unsaved", lang))
        return
    if st.button(t("history_take", lang), key="history_take", icon=":material/photo_camera:", type="primary"):
        taken = saved.take_snapshot()
        if taken is not None:
            st.toast(t("history_taken", lang, number=taken.number))
    snaps = saved.list_snapshots()
    if not snaps:
        st.info(t("history_none", lang))
        return
    frame = history_frame(snaps, rubric, lang)
    widgets.chart(history_chart(frame, rubric, lang), lang)
    name = slug(saved.work().business or "business")
    st.download_button(t("history_download", lang), history_csv(snaps, rubric, lang), file_name=f"{name}-history.csv",
                       mime="text/csv", key="dl_history", icon=":material/download:", on_click="ignore")
    st.caption(t("history_download_help", lang))
    _diff(snaps, rubric, lang, name)


def _diff(snaps: list[Snapshot], rubric: RubricSet, lang: str, name: str) -> None:
    """Any two snapshots, question by question; the last two at first, and again after each new snapshot
    (the pickers' keys carry the count)."""
    st.subheader(t("history_diff_title", lang), anchor=False)
    labels = {s.number: s.label(lang) for s in snaps}
    numbers: list[int] = list(labels)
    cols = st.columns(2)
    keys = [f"history_{side}_{len(numbers)}" for side in ("before", "after")]
    for key, first in zip(keys, (numbers[max(len(numbers) - 2, 0)], numbers[-1]), strict=True):
        st.session_state.setdefault(key, first)
        keep_choice(key, lang)
    before = cols[0].selectbox(t("history_diff_before", lang), numbers, format_func=lambda n: labels[n], key=keys[0])
    after = cols[1].selectbox(t("history_diff_after", lang), numbers, format_func=lambda n: labels[n], key=keys[1])
    by_number = {s.number: s for s in snaps}
    if before is None or after is None:
        return
    diff = snapshot_diff(by_number[before].work, by_number[after].work, rubric, lang)
    if diff.empty:
        st.write(t("history_diff_none", lang))
        return
    show_table(pd.DataFrame({
        t("col_question", lang): diff["question"],
        t("history_col_before", lang): diff["before"],
        t("history_col_after", lang): diff["after"],
        t("history_col_change", lang): [t(f"history_direction_{d}", lang) for d in diff["direction"]],
        t("history_col_note", lang): diff["note_after"],
    }))
    st.download_button(t("history_diff_download", lang), to_csv_bytes(diff), key="dl_history_diff",
                       file_name=f"{name}-snapshots-{before}-{after}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")


page()
