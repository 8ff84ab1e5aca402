"""Export: the answers and summary CSV files, the XLSX workbook, the HTML and PDF reports and the answers file."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assessment.answers import dump_answers
from assessment.export import answers_frame, summary_frame, to_csv_bytes
from assessment.history import Snapshot, history_csv, history_frame
from assessment.i18n import t
from assessment.models import RubricSet, slug
from assessment.pdf import report_pdf
from assessment.plan import PlanItem, plan_frame
from assessment.ui import cached, saved, widgets
from assessment.workbook import assessment_sheets, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# label key, help key, the bytes (or what makes them, when clicked), file name suffix, MIME type
Download = tuple[str, str, bytes | Callable[[], bytes], str, str]


def page() -> None:
    assessed = widgets.titled_assessment("export_title")
    if assessed is None:
        return
    lang, rubric, sheet, result = assessed
    name = slug(sheet.business)
    st.markdown(t("export_intro", lang))
    snaps, plan = saved.list_snapshots(), saved.work(rubric).plan
    over_time = {"plan": plan_frame(plan, rubric, lang) if plan else None,
                 "history": history_frame(snaps, rubric, lang).drop(columns=["margin_signed"]) if snaps else None}
    # The workbook and the reports are built only when their button is clicked.
    downloads: list[Download] = [
        ("download_answers_csv", "export_answers_help", to_csv_bytes(answers_frame(sheet, result, rubric)),
         "-answers.csv", "text/csv"),
        ("download_summary_csv", "export_summary_help", to_csv_bytes(summary_frame([sheet], rubric, lang)),
         "-summary.csv", "text/csv"),
        ("download_xlsx", "export_xlsx_help",
         lambda: workbook_bytes(assessment_sheets(sheet, result, rubric, **over_time), lang), ".xlsx", XLSX),
        ("download_report", "export_report_help", lambda: cached.report(sheet, rubric, lang).encode("utf-8"),
         "-report.html", "text/html"),
        ("download_pdf", "export_pdf_help",
         lambda: report_pdf(sheet, result, rubric, cached.example_results(rubric, lang)), "-report.pdf",
         "application/pdf"),
        ("save_answers", "save_answers_help", dump_answers(sheet).encode("utf-8"), "-answers.yaml",
         "application/x-yaml"),
    ]
    for label, help_key, data, suffix, mime in downloads:
        st.download_button(t(label, lang), data, file_name=f"{name}{suffix}", mime=mime, key=f"dl_{label}",
                           icon=":material/download:", on_click="ignore")
        st.caption(t(help_key, lang))
    st.caption(t("csv_note", lang))
    _over_time(rubric, lang, name, snaps, plan)


def _over_time(rubric: RubricSet, lang: str, name: str, snaps: list[Snapshot], plan: list[PlanItem]) -> None:
    """The founder's history and plan, when there are any (saved with the assessment)."""
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
