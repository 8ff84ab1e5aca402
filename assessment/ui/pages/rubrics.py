"""Rubrics: read the active rubric set, or upload a custom one for this browser session."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from assessment.i18n import t
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.problems import InputError
from assessment.rubrics import files_from_upload, rubric_json_schema
from assessment.ui import state, widgets
from assessment.ui.tables import show_table
from assessment.ui.text import md
from assessment.ui.uploads import once_per_upload


def page() -> None:
    lang = state.lang()
    st.title(t("rubrics_title", lang))
    _upload(lang)
    rubric = state.active_rubric()
    _overview(rubric, lang)
    for dimension in rubric.dimensions:
        share = rubric.dimension_weight(dimension.id)
        with st.expander(f"{md(text(dimension.title, lang))} — {t('weight', lang)} {share:g}"):
            st.caption(md(text(dimension.description, lang)))
            for number, question in enumerate(dimension.questions, 1):
                # The question as the Assess page numbers and words it; its id (for answers files) in the small print.
                st.markdown(f"**{number}. {md(text(question.text, lang))}**")
                if isinstance(question, ChoiceQuestion):
                    show_table(_options(question, lang))
                    group = rubric.group_of(question.id)
                    weight = question.weight if question.weight is not None else group.weight if group else None
                    st.caption(t("rubric_question_meta", lang, weight=f"{weight:g}",
                                 idea=md(question.essay_idea or "—"), effect=md(question.network_effect or "—"),
                                 id=md(question.id)))
                else:
                    node = text(rubric.meta.node_labels.get(question.node), lang) or question.node
                    st.caption(t("rubric_count_meta", lang, node=md(node),
                                 horizon=t(f"horizon_{question.horizon}", lang), id=md(question.id)))


def _overview(rubric: RubricSet, lang: str) -> None:
    st.subheader(md(f"{text(rubric.meta.title, lang)} · {rubric.id} {rubric.version}"), anchor=False)
    uploaded = state.rubric_choice() == state.UPLOADED
    st.caption(t("rubric_active_uploaded" if uploaded else "rubric_active_shipped", lang))
    st.markdown(md(text(rubric.meta.description, lang)))
    rule = rubric.meta.classification
    rows = [{t("col_condition", lang): rubric.condition_name(c.score, lang) or t("overall", lang),
             t("col_threshold", lang): c.at_least} for c in rule.internet_plus_when]
    st.markdown(t("rubric_rule", lang, within=f"{rule.borderline_within:g}"))
    show_table(pd.DataFrame(rows))


def _options(question: ChoiceQuestion, lang: str) -> pd.DataFrame:
    """The options in words, lowest first; each option's id (what an answers file holds) last."""
    return pd.DataFrame([{t("col_answer", lang): text(o.label, lang), t("col_points", lang): o.score,
                          t("col_option", lang): o.id} for o in question.options])


def _upload(lang: str) -> None:
    with st.expander(t("rubric_upload_title", lang), icon=":material/upload:"):
        st.caption(t("rubric_upload_help", lang))
        files = st.file_uploader(t("rubric_upload", lang), type=["yaml", "yml", "zip"], accept_multiple_files=True,
                                 key="rubric_upload")
        if files:
            _apply(files, lang)
        if state.CUSTOM_SOURCES in st.session_state and st.button(t("rubric_use_shipped", lang), key="rubric_reset"):
            st.session_state.pop(state.CUSTOM_SOURCES)
            st.session_state[state.RUBRIC_CHOICE] = state.SHIPPED
            state.link_rubric()
            st.rerun()
        st.download_button(t("rubric_schema", lang), json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False),
                           file_name="rubric.schema.json", mime="application/json", key="rubric_schema",
                           on_click="ignore")


def _apply(files, lang: str) -> None:
    def load() -> tuple[str | None, list]:
        try:
            rubric = state.set_custom_rubric(files_from_upload([(f.name, f.getvalue()) for f in files]))
        except InputError as exc:
            return None, exc.problems
        return t("rubric_uploaded", lang, id=rubric.id, version=rubric.version), []

    message, problems = once_per_upload("rubric_upload", files, load) or (None, [])
    if message:
        st.success(md(message))
    widgets.problems(problems, lang, "rubric_problems")


page()
