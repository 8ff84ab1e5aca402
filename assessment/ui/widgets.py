"""Drawing pieces shared by the pages: problem lists, chart blocks, the verdict."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from assessment.answers import AnswerSheet
from assessment.charts import Chart
from assessment.formatting import score_text
from assessment.i18n import t
from assessment.localise import AssessmentView
from assessment.models import RubricSet
from assessment.problems import Problem
from assessment.ui import cached, state
from assessment.ui.tables import show_table
from assessment.ui.text import md, md_list

APP_CHART_CONFIG = {"displaylogo": False, "responsive": True}


def problems(items: Sequence[Problem], lang: str, heading_key: str) -> None:
    """A readable list of problems (file, line, path, message): errors red, warnings amber."""
    errors = [str(p) for p in items if p.severity == "error"]
    warnings = [str(p) for p in items if p.severity == "warning"]
    if errors:
        st.error(f"**{t(heading_key, lang)}**\n\n{md_list(errors)}")
    if warnings:
        st.warning(f"**{t('warnings', lang)}**\n\n{md_list(warnings)}")


def chart(block: Chart, lang: str, heading: bool = True) -> None:
    """A chart with its title, its one-sentence summary and its data as a table."""
    if heading:
        st.subheader(md(block.title), anchor=False)
    # The heading above names the chart; the figure's own title is for the report. A shared (cached) figure comes
    # without one and is never changed here. A figure of fixed size (labels placed for it) is drawn at that size;
    # theme=None keeps the checked palette and white background (Streamlit's theme would restyle them).
    figure = (block.figure if block.figure.layout.title.text is None
              else go.Figure(block.figure).update_layout(title=None))
    st.plotly_chart(figure, config=APP_CHART_CONFIG, key=f"chart_{block.key}", theme=None,
                    width="content" if figure.layout.width else "stretch")
    st.caption(md(block.summary))
    data = st.expander(t("chart_data", lang, title=md(block.title)), key=f"data_{block.key}", on_change="rerun")
    if data.open:  # drawn only when opened
        with data:
            show_table(block.data)


def titled_assessment(title_key: str) -> tuple[str, RubricSet, AnswerSheet, AssessmentView] | None:
    """The page title, then the session's answers assessed; None (with a hint where to answer) when there are none."""
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t(title_key, lang))
    if not state.has_answers(rubric):
        st.info(t("results_empty", lang))
        st.page_link(state.PAGE_FILES["assess"], label=t("go_assess", lang), icon=":material/edit_note:")
        return None
    sheet = state.sheet(rubric)
    return lang, rubric, sheet, cached.assessment(sheet, rubric, lang)


def verdict(result: AssessmentView, bars: Chart, lang: str) -> None:
    """The verdict in one sentence, a bar per condition against its threshold, and the flags: Results' first lines."""
    st.subheader(md(result.headline), anchor=False)
    # The sentence above is the chart's summary; its data is the table under "Why". (Cached without a title.)
    st.plotly_chart(bars.figure, config=APP_CHART_CONFIG, key=f"chart_{bars.key}", theme=None)
    st.caption(t("verdict_overall", lang, overall=score_text(result.overall_low, result.overall_high),
                 answered=result.answered, total=result.questions))
    if result.borderline:
        st.warning(t("borderline_note", lang))
    if result.provisional:
        st.info(t("provisional_note", lang, answered=result.answered, total=result.questions,
                  dont_know=result.dont_know))
