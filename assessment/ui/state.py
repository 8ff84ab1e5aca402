"""The browser session's state: language, active rubric set, and the answers being edited.

The answers being edited are the founder's work (:mod:`assessment.ui.saved`):
kept in the session, saved to the store as they change, and opened again by
the private link. Each question's widget is re-seeded from them whenever it is
drawn, so answers survive page switches, reruns and language switches.
Language, rubric set and example are bound to the URL so a link reproduces the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment.answers import AnswerSheet, answer_problem, check_answers
from assessment.formatting import score_text
from assessment.i18n import t
from assessment.localise import class_label
from assessment.models import LANGUAGES, RubricSet
from assessment.names import NameRefused
from assessment.problems import InputError
from assessment.saved_work import META_FIELDS, WorkChange, work_from_sheet
from assessment.ui import cached, saved
from assessment.ui.choices import keep_choice
from assessment.ui.saved import QUESTION_PREFIX  # noqa: F401 - the pages read it here
from assessment.ui.text import md

CUSTOM_SOURCES = "custom_rubric_sources"
LANG = "lang"
RUBRIC_CHOICE = "rubric"
SHIPPED, UPLOADED = "shipped", "uploaded"

PAGE_FILES = {
    name: f"assessment/ui/pages/{name}.py"
    for name in ("assess", "results", "export", "compare", "rubrics", "workshops", "join", "facilitate", "present",
                 "mine", "history", "plan")
}


def lang() -> str:
    value = st.session_state.get(LANG, "en")
    return value if value in LANGUAGES else "en"


def answers() -> dict[str, Any]:
    """The answers being edited (read them here; change them with :func:`store_answer`)."""
    return saved.work().answers


def meta() -> dict[str, str]:
    """The business name, sector and assessor being edited."""
    work = saved.work()
    return {field: getattr(work, field) for field in META_FIELDS}


def meta_key(field: str) -> str:
    return f"meta_{field}"


def rubric_choice() -> str:
    choice = st.session_state.get(RUBRIC_CHOICE, SHIPPED)
    return choice if choice == UPLOADED and CUSTOM_SOURCES in st.session_state else SHIPPED


def active_rubric() -> RubricSet:
    """The uploaded set when chosen (this session only), else the shipped one."""
    if rubric_choice() == UPLOADED:
        try:
            return cached.rubric_from_sources(st.session_state[CUSTOM_SOURCES])
        except InputError:
            st.session_state.pop(CUSTOM_SOURCES, None)
    return cached.rubric_from_sources(cached.shipped_sources())


def set_custom_rubric(sources: dict[str, bytes]) -> RubricSet:
    """Validate and keep an uploaded rubric set for this session (raises InputError)."""
    rubric = cached.rubric_from_sources(sources)
    st.session_state[CUSTOM_SOURCES] = sources
    st.session_state[RUBRIC_CHOICE] = UPLOADED
    link_rubric()
    return rubric


def sheet(rubric: RubricSet) -> AnswerSheet:
    """The answers being edited, as the core's answer sheet (only answers this rubric accepts)."""
    return saved.work(rubric).sheet(rubric, lang())


def sheet_when_called(rubric: RubricSet) -> Callable[[], AnswerSheet]:
    """The answers as a sheet at the moment it is called, from any thread (a download's deferred data): answers
    change in fragments, without a rerun of the button holding this, and each change is saved at once, so a saved
    assessment is read again from the store; one not yet saved (an unchanged example) is as it was drawn."""
    held, language = saved.work(rubric), lang()
    key, number = saved.current_key(), saved.current_number()

    def current() -> AnswerSheet:
        record = saved.stored(key, number) if key and number is not None else None
        return (record.work if record else held).sheet(rubric, language)

    return current


def has_answers(rubric: RubricSet) -> bool:
    return bool(check_answers(answers(), rubric)[0])


def load_sheet(loaded: AnswerSheet, save_now: bool = False) -> None:
    """Open answers (an uploaded file, a workshop's agreed answers) as a new assessment, saved at once or at its
    first change; the one being edited stays as it was saved."""
    saved.start(work_from_sheet(loaded), save_now=save_now)


def load_example(rubric: RubricSet, key: str) -> bool:
    """Open a copy of a shipped example (the ``?example=…`` of a shared link), saved at its first change."""
    example = next((e for e in cached.examples(rubric) if e.key == key), None)
    if example is not None:
        saved.start(work_from_sheet(example.sheet, example=key), save_now=False)
        st.session_state["loaded_example"] = key
        st.query_params["example"] = key
    return example is not None


def init_from_link() -> None:
    """A shared link (``?lang=zh&rubric=…&example=…``) sets the session's first view."""
    if LANG not in st.session_state:
        wanted = st.query_params.get(LANG, "en")
        st.session_state[LANG] = wanted if wanted in LANGUAGES else "en"


def link_language() -> None:
    """Keep the language in the URL so a copied link opens in it (English needs no parameter)."""
    if st.session_state.get(LANG, "en") == "en":
        st.query_params.pop(LANG, None)
    else:
        st.query_params[LANG] = st.session_state[LANG]


def link_rubric() -> None:
    if st.session_state.get(RUBRIC_CHOICE, SHIPPED) == SHIPPED:
        st.query_params.pop(RUBRIC_CHOICE, None)
    else:
        st.query_params[RUBRIC_CHOICE] = st.session_state[RUBRIC_CHOICE]


def apply_example_link(rubric: RubricSet) -> None:
    """Open ``?example=<key>`` links once per session: the link reproduces the example's view."""
    key = st.query_params.get("example")
    if key and st.session_state.get("example_link_applied") != key:
        st.session_state["example_link_applied"] = key
        load_example(rubric, key)


SIDEBAR_FRAGMENT = "sidebar_status"  # an answer reruns this fragment (and its own), not the whole app


def sidebar_status(rubric: RubricSet, lang: str) -> None:
    """Which business and rubric set is active, how far the answers have got, and the verdict so far."""
    _sidebar_verdict(rubric, lang)
    if CUSTOM_SOURCES in st.session_state:
        keep_choice(RUBRIC_CHOICE, lang)
        st.radio(t("rubric_choice", lang), [SHIPPED, UPLOADED], key=RUBRIC_CHOICE, on_change=link_rubric,
                 format_func=lambda choice: t("rubric_shipped" if choice == SHIPPED else "rubric_uploaded_choice",
                                              lang))


@st.fragment(key=SIDEBAR_FRAGMENT)
def _sidebar_verdict(rubric: RubricSet, lang: str) -> None:
    """Cheap after every answer: the class and the overall range only (no paths), cached by the answers."""
    business = meta().get("business") or "—"
    done = sum(1 for _, q in rubric.questions() if q.id in answers())
    st.caption(t("sidebar_business", lang, business=md(business)))
    st.caption(t("sidebar_rubric", lang, id=md(rubric.id), version=md(rubric.version)))
    total = len(rubric.questions())
    st.progress(done / max(total, 1), text=t("progress", lang, done=done, total=total))
    if has_answers(rubric):
        now = cached.verdict_so_far(sheet(rubric), rubric)
        overall = f"{t('overall', lang)} {score_text(now.overall_low, now.overall_high)}"
        st.metric(t("verdict_so_far", lang), md(class_label(rubric, now.class_code, lang)), overall, delta_color="off",
                  delta_arrow="off")


def clear() -> None:
    """Empty the answers, names, notes and evidence; :func:`undo_clear` brings them back."""
    st.query_params.pop("example", None)
    saved.change(WorkChange(clear=True), active_rubric())
    saved.forget_widgets()


def undo_clear() -> None:
    saved.change(WorkChange(undo=True), active_rubric())
    saved.forget_widgets()


def store_answer(question_id: str, value: Any) -> None:
    """Question widget callback: keep and save the answer (None clears it). A value that is not an
    answer to the question (a widget showing stale labels) is never stored."""
    rubric = active_rubric()
    question = rubric.question(question_id)
    if question is None or (value is not None and answer_problem(question, value)):
        return
    if value is not None and not isinstance(value, str):
        value = float(value)
    was_saved, was_empty = saved.current_number() is not None, saved.work(rubric).is_empty()
    saved.change(WorkChange(answers={question_id: value}), rubric)
    if not was_saved or was_empty or saved.ERROR in st.session_state:
        # The answer created the saved assessment (its private link), enabled Clear, or could not be saved:
        # the page around the answered fragment shows that, so all of it is drawn again, not just the fragment.
        st.rerun()


def seed_meta(field: str) -> str:
    key = meta_key(field)
    if key not in st.session_state:
        st.session_state[key] = meta().get(field, "")
    return key


def store_meta(field: str) -> None:
    """Save a name as typed, by the one rule for names; one the rule refuses is not saved (the field keeps
    the typed text, and :func:`name_refused` says why)."""
    try:
        change = WorkChange.naming(field, str(st.session_state.get(meta_key(field), "") or ""))
    except NameRefused as refused:
        st.session_state[f"{meta_key(field)}_refused"] = refused
        return
    st.session_state.pop(f"{meta_key(field)}_refused", None)
    saved.change(change, active_rubric())


def name_refused(field: str, lang: str) -> str | None:
    """Why the name last typed in ``field`` was not saved (the field named as the form labels it), or None."""
    refused = st.session_state.get(f"{meta_key(field)}_refused")
    if not isinstance(refused, NameRefused):
        return None
    return t(refused.key, lang, **(refused.values | {"field": t(f"field_{field}", lang)}))
