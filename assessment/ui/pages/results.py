"""Results: the verdict, why, what would change it, what to do, and the charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.evidence import links_text
from assessment.formatting import score_text
from assessment.headline import gap_words
from assessment.i18n import t, tn
from assessment.localise import AssessmentView
from assessment.plan import plan_progress
from assessment.ui import cached, saved, state, widgets
from assessment.ui.tables import show_table
from assessment.ui.text import md, md_list


def page() -> None:
    assessed = widgets.titled_assessment("results_title")
    if assessed is None:
        return
    lang, rubric, sheet, result = assessed
    st.header(md(result.business), anchor=False)
    widgets.verdict(result, cached.conditions(sheet, rubric, lang), lang)
    _why(result, lang)
    _unknowns(result, lang)
    _changes(result, lang)
    _roads(result, lang)
    _recommendations(result, lang)
    _plan(lang)
    _charts(cached.charts(sheet, rubric, lang), lang)
    _retrace(result, lang)


def _charts(blocks: list, lang: str) -> None:
    """One chart per tab; only the open tab's chart is drawn, so the page stays quick."""
    st.subheader(t("charts_title", lang), anchor=False)
    tabs = st.tabs([md(block.tab or block.title) for block in blocks], key="chart_tabs", on_change="rerun")
    for tab, block in zip(tabs, blocks, strict=True):
        if tab.open:
            with tab:
                widgets.chart(block, lang, heading=False)


def _why(result: AssessmentView, lang: str) -> None:
    """The three sentences that carry the verdict (what, the deciding condition, the road); the rest folded away."""
    st.subheader(t("why", lang), anchor=False)
    st.markdown(md_list(result.explanation[:3]))
    # Folded content is drawn only when opened (on_change="rerun"), so the page stays quick.
    more = st.expander(t("why_more", lang, count=len(result.explanation) - 3), key="why_more", on_change="rerun")
    if not more.open:
        return
    with more:
        st.markdown(md_list(result.explanation[3:]))
        rows = [{t("col_condition", lang): c.name, t("col_score", lang): score_text(c.low, c.high),
                 t("col_threshold", lang): c.threshold, t("col_distance", lang): gap_words(c, lang),
                 t("col_met", lang): _met(c.met, lang)}
                for c in result.conditions]
        show_table(pd.DataFrame(rows))


def _met(met: bool | None, lang: str) -> str:
    return "✓" if met else ("✗" if met is False else t("depends", lang))


def _unknowns(result: AssessmentView, lang: str) -> None:
    if not result.unknowns:
        return
    st.subheader(t("unknowns_title", lang), anchor=False)
    st.caption(t("unknowns_intro", lang))
    rows = [{t("col_question", lang): u.question,
             t("col_answer", lang): t("dont_know" if u.state == "dont_know" else "unanswered", lang),
             t("col_swing", lang): round(u.swing, 1)} for u in result.unknowns]
    show_table(pd.DataFrame(rows))


def _changes(result: AssessmentView, lang: str) -> None:
    st.subheader(t("changes_title", lang, label=md(result.changes_to)), anchor=False)
    if not result.changes:
        st.write(t("changes_none", lang))
        return
    st.caption(tn("changes_intro", len(result.changes), lang, label=md(result.changes_to)))
    _steps(result.changes, lang)


def _steps(changes: list, lang: str) -> None:
    """The steps as one numbered list (one element on the page, not one per step)."""
    items = []
    for number, c in enumerate(changes, 1):
        gain = t("change_gain", lang, gain=f"{c.overall_gain:+.1f}")
        items.append(f"{number}. **{md(c.question)}**  \n{md(c.from_answer)} → **{md(c.to_answer)}**  \n{md(gain)}")
    st.markdown("\n\n".join(items))


def _roads(result: AssessmentView, lang: str) -> None:
    if not result.roads:
        return
    st.subheader(t("roads_title", lang), anchor=False)
    st.caption(t("roads_intro", lang))
    for road in result.roads:
        level = "—" if road.level is None else f"{road.level:.0f}%"
        best = " · " + t("road_best", lang) if road.best else ""
        folded = st.expander(f"{md(road.title)} · {level}{best}", key=f"road_{road.road}", on_change="rerun")
        if not folded.open:
            continue
        with folded:
            st.markdown(md(road.description))  # a rubric's text (uploads too): text, not markup
            if road.found:
                st.caption(tn("road_path", len(road.changes), lang, label=md(result.changes_to)))
                _steps(road.changes, lang)
            else:
                st.caption(t("road_no_path", lang))


def _recommendations(result: AssessmentView, lang: str) -> None:
    st.subheader(t("recommendations_title", lang), anchor=False)
    if not result.recommendations:
        st.write(t("recommendations_none", lang))
    items = [f"{number}. **{md(rec.question)}** — {md(rec.recommendation)} "
             f"({md(t('next_gain', lang, answer=rec.next_answer, gain=f'{rec.gain:.1f}'))})"
             for number, rec in enumerate(result.recommendations, 1)]
    if items:
        st.markdown("\n".join(items))


def _plan(lang: str) -> None:
    """The founder's plan, in one line with a link to it (when there is one)."""
    work = saved.work()
    if not work.plan:
        return
    done, total = plan_progress(work.plan)
    target = t("plan_target_internet_plus" if work.target.kind == "internet_plus" else "plan_results_levels", lang)
    st.markdown(md(t("plan_results", lang, done=done, total=total, target=target)))
    st.page_link(state.PAGE_FILES["plan"], label=t("plan_open", lang), icon=":material/checklist:")


def _retrace(result: AssessmentView, lang: str) -> None:
    folded = st.expander(t("retrace_title", lang), key="retrace", on_change="rerun")
    if not folded.open:
        return
    with folded:
        st.caption(t("retrace_intro", lang))
        rows = [{t("col_dimension", lang): line.dimension, t("col_question", lang): line.question,
                 t("col_answer", lang): line.answer, t("col_note", lang): line.note,
                 t("col_evidence", lang): links_text(line.evidence), t("col_points", lang): line.points,
                 t("col_max", lang): line.max_points, t("col_percent", lang): line.percent,
                 t("col_weight", lang): line.weight, t("col_contribution", lang): round(line.contribution_overall, 2)}
                for line in result.lines]
        show_table(pd.DataFrame(rows))


page()
