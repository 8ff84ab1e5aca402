"""Target and plan: where the founder wants to get, and the nearest steps there, each with an owner, a date, a status.

Choice widgets are seeded through the Session State API (no ``index``/``default``), so :func:`keep_choice` can carry
them across a language switch.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.export import to_csv_bytes
from assessment.i18n import t
from assessment.localise import Words
from assessment.models import RubricSet, slug, text
from assessment.plan import STATUSES, PlanItem, Target, default_levels, make_plan, plan_frame, plan_progress, target_met
from assessment.saved_work import WorkChange
from assessment.ui import saved, saved_view, state
from assessment.ui.choices import keep_choice
from assessment.ui.text import md

KINDS = ("internet_plus", "levels")


def page() -> None:
    lang, rubric = state.lang(), state.active_rubric()
    st.title(t("plan_title", lang))
    st.markdown(t("plan_intro", lang))
    saved_view.save_error(lang)
    if not state.has_answers(rubric):
        st.info(t("plan_unsaved", lang))
        return
    target = _target(rubric, lang)
    work = saved.work(rubric)
    met = target_met(work.answers, rubric, target)
    if met:
        st.success(t("plan_met", lang))
    label = "plan_remake" if work.plan else "plan_make"
    if st.button(t(label, lang), key="plan_make", type="secondary" if work.plan else "primary",
                 help=t("plan_remake_help", lang) if work.plan else None):
        plan = make_plan(work.answers, rubric, target, previous=work.plan)
        saved.change(WorkChange(fields={"target": target, "plan": plan}), rubric)
        if not plan and not met:
            st.warning(t("plan_out_of_reach", lang))
    _steps(rubric, lang)


def _target(rubric: RubricSet, lang: str) -> Target:
    """The target widgets, seeded from the saved target; a change is saved at once."""
    saved_target = saved.work(rubric).target
    levels = {**default_levels(rubric), **saved_target.levels}
    st.session_state.setdefault("plan_kind", saved_target.kind)
    keep_choice("plan_kind", lang)
    kind = st.radio(t("plan_target", lang), KINDS, horizontal=True, format_func=lambda k: t(f"plan_target_{k}", lang),
                    key="plan_kind")
    if kind == "levels":
        cols = st.columns(len(rubric.dimensions))
        for col, dimension in zip(cols, rubric.dimensions, strict=True):
            levels[dimension.id] = col.number_input(
                t("plan_level", lang, title=md(text(dimension.title, lang))), min_value=0.0, max_value=100.0, step=5.0,
                value=float(levels[dimension.id]), format="%.0f", key=f"plan_level_{dimension.id}")
    target = Target(kind=kind, levels=levels if kind == "levels" else {})
    if target != saved_target:
        saved.change(WorkChange(fields={"target": target}), rubric)
    return target


def _steps(rubric: RubricSet, lang: str) -> None:
    work = saved.work(rubric)
    if not work.plan:
        return
    done, total = plan_progress(work.plan)
    st.progress(done / total, text=t("plan_progress", lang, done=done, total=total))
    words = Words(rubric, lang)
    for number, item in enumerate(work.plan, 1):
        with st.container(border=True):
            st.markdown(f"**{md(t('plan_step', lang, number=number, question=words.question(item.question_id)))}**  \n"
                        + md(t("plan_step_move", lang, from_answer=words.answer(item.question_id, item.from_id),
                               to_answer=words.answer(item.question_id, item.to_id),
                               gain=f"{item.overall_gain:+.1f}")))
            st.caption(md(words.recommendation(item.question_id)))
            if work.answers.get(item.question_id) == item.to_id:
                st.caption(t("plan_reached", lang))
            _step_fields(item, lang)
    name = slug(work.business or "business")
    st.download_button(t("plan_download", lang), to_csv_bytes(plan_frame(work.plan, rubric, lang)),
                       file_name=f"{name}-plan.csv", mime="text/csv", key="dl_plan", icon=":material/download:",
                       on_click="ignore")
    st.caption(t("plan_download_help", lang))


def _step_fields(item: PlanItem, lang: str) -> None:
    """Owner, due date and status of one step; each change is saved at once."""
    keys = {field: f"plan_{field}_{item.key}" for field in ("owner", "due", "status")}
    st.session_state.setdefault(keys["status"], item.status)
    keep_choice(keys["status"], lang)
    cols = st.columns([2, 1, 2])
    cols[0].text_input(t("plan_owner", lang), value=item.owner, max_chars=200, key=keys["owner"],
                       on_change=_store, args=(item.key, "owner", keys["owner"]))
    cols[1].date_input(t("plan_due", lang), value=item.due, key=keys["due"], format="YYYY-MM-DD",
                       on_change=_store, args=(item.key, "due", keys["due"]))
    cols[2].segmented_control(t("plan_status", lang), STATUSES, required=True,
                              format_func=lambda s: t(f"plan_status_{s}", lang), key=keys["status"],
                              on_change=_store, args=(item.key, "status", keys["status"]))


def _store(step: str, field: str, widget: str) -> None:
    """Save one field of one step (the plan is saved whole: it is a short list)."""
    value = st.session_state.get(widget)
    if field == "owner":
        value = str(value or "").strip()
    elif field == "due":
        value = value if isinstance(value, dt.date) else None
    elif value not in STATUSES:
        return
    rubric = state.active_rubric()
    plan = [item.model_copy(update={field: value}) if item.key == step else item for item in saved.work(rubric).plan]
    saved.change(WorkChange(fields={"plan": plan}), rubric)


page()
