"""Compare: several businesses side by side, and batch scoring of a responses CSV."""

from __future__ import annotations

import streamlit as st

from assessment.answers import AnswerSheet, parse_answers
from assessment.batch import score_upload
from assessment.charts import quadrant_chart, radar_overlay_chart
from assessment.comparison import comparison_frame
from assessment.export import summary_frame, to_csv_bytes
from assessment.i18n import t
from assessment.models import RubricSet
from assessment.problems import InputError, Problem
from assessment.template import template_frame
from assessment.ui import cached, state, widgets
from assessment.ui.tables import show_table
from assessment.ui.uploads import once_per_upload
from assessment.uploads import MAX_FILES


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("compare_title", lang))
    sheets, problems = _chosen_sheets(rubric, lang)
    widgets.problems(problems, lang, "answers_problems")
    if len(sheets) < 1:
        st.info(t("compare_empty", lang))
    else:
        results = [cached.assessment(s, rubric, lang) for s in sheets]
        show_table(comparison_frame(results, lang))  # a few narrow columns; every column is in the CSV
        st.download_button(t("compare_download", lang), to_csv_bytes(summary_frame(sheets, rubric, lang)),
                           file_name="comparison-summary.csv", mime="text/csv", key="compare_download",
                           icon=":material/download:", on_click="ignore")
        widgets.chart(radar_overlay_chart(results, rubric, lang), lang)
        widgets.chart(quadrant_chart(results[0], results[1:], rubric, lang), lang)
    st.divider()
    _batch(rubric, lang)


def _chosen_sheets(rubric: RubricSet, lang: str) -> tuple[list[AnswerSheet], list[Problem]]:
    sheets: list[AnswerSheet] = []
    problems: list[Problem] = []
    if state.has_answers(rubric) and st.checkbox(t("compare_include_current", lang), value=True, key="compare_current"):
        sheets.append(state.sheet(rubric))
    examples = {e.key: e.sheet for e in cached.examples(rubric)}
    chosen = st.multiselect(t("compare_examples", lang), list(examples), format_func=lambda k: examples[k].business,
                            key="compare_examples", default=list(examples)[:3])
    sheets += [examples[k] for k in chosen]
    files = st.file_uploader(t("compare_upload", lang), type=["yaml", "yml", "json"], accept_multiple_files=True,
                             key="compare_upload")
    uploaded, found = (once_per_upload("compare_upload", files, lambda: _parse_all(files, rubric), rubric.digest)
                       or ([], []))
    return sheets + uploaded, problems + found


def _parse_all(files: list, rubric: RubricSet) -> tuple[list[AnswerSheet], list[Problem]]:
    """Each uploaded answers file parsed once (the upload, not every rerun, pays for it)."""
    if len(files) > MAX_FILES:
        return [], [Problem(f"{len(files)} files; at most {MAX_FILES} per upload", "upload")]
    sheets, problems = [], []
    for uploaded in files:
        try:
            sheet, found = parse_answers(uploaded.getvalue(), uploaded.name, rubric)
            sheets.append(sheet)
            problems += found
        except InputError as exc:
            problems += exc.problems
    return sheets, problems


def _batch(rubric: RubricSet, lang: str) -> None:
    st.header(t("batch_title", lang), anchor=False)
    st.caption(t("batch_intro", lang))
    st.download_button(t("batch_template", lang), to_csv_bytes(template_frame(rubric)),
                       file_name="responses-template.csv", mime="text/csv", key="batch_template", on_click="ignore")
    uploaded = st.file_uploader(t("batch_upload", lang), type=["csv"], key="batch_upload")
    if uploaded is None:
        once_per_upload("batch_upload", None, lambda: None)  # forget the last upload's result
        return
    outcome = once_per_upload("batch_upload", uploaded, lambda: score_upload(uploaded, rubric, lang), rubric.digest,
                              lang)
    if outcome is None:
        return
    widgets.problems(outcome.problems, lang, "batch_problems")
    if outcome.scored is not None:
        show_table(outcome.scored)
        st.download_button(t("batch_download", lang), outcome.csv, file_name="scored.csv", mime="text/csv",
                           key="batch_download", on_click="ignore")


page()
