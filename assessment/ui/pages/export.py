"""Export: the answers CSV, the summary CSV, the HTML report and the answers file."""

from __future__ import annotations

import streamlit as st

from assessment.answers import dump_answers
from assessment.export import answers_frame, summary_frame, to_csv_bytes
from assessment.history import history_csv
from assessment.i18n import t
from assessment.models import RubricSet, slug
from assessment.plan import plan_frame
from assessment.ui import cached, saved, widgets


def page() -> None:
    assessed = widgets.titled_assessment("export_title")
    if assessed is None:
        return
    lang, rubric, sheet, result = assessed
    name = slug(sheet.business)
    st.markdown(t("export_intro", lang))
    downloads = [
        ("download_answers_csv", "export_answers_help", to_csv_bytes(answers_frame(sheet, result, rubric)), f"{name}-answers.csv", "text/csv"),
        ("download_summary_csv", "export_summary_help", to_csv_bytes(summary_frame([sheet], rubric, lang)), f"{name}-summary.csv", "text/csv"),
        # The report embeds plotly's JavaScript (offline): built only when clicked.
        ("download_report", "export_report_help", lambda: cached.report(sheet, rubric, lang).encode("utf-8"), f"{name}-report.html", "text/html"),
        ("save_answers", "save_answers_help", dump_answers(sheet).encode("utf-8"), f"{name}-answers.yaml", "application/x-yaml"),
    ]
    for label, help_key, data, file_name, mime in downloads:
        st.download_button(t(label, lang), data, file_name=file_name, mime=mime, key=f"dl_{label}",
                           icon=":material/download:", on_click="ignore")
        st.caption(t(help_key, lang))
    st.caption(t("csv_note", lang))
    _over_time(rubric, lang, name)


def _over_time(rubric: RubricSet, lang: str, name: str) -> None:
    """The founder's history and plan, when there are any (saved with the assessment)."""
    snaps, plan = saved.list_snapshots(), saved.work(rubric).plan
    if snaps:
        st.download_button(t("history_download", lang), history_csv(snaps, rubric, lang),
                           file_name=f"{name}-history.csv", mime="text/csv", key="dl_history",
                           icon=":material/download:", on_click="ignore")
        st.caption(t("history_download_help", lang))
    if plan:
        st.download_button(t("plan_download", lang), to_csv_bytes(plan_frame(plan, rubric, lang)),
                           file_name=f"{name}-plan.csv", mime="text/csv", key="dl_plan", icon=":material/download:",
                           on_click="ignore")
        st.caption(t("plan_download_help", lang))


page()
