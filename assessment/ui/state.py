"""The browser session's state: language, active rubric set, and the answers being edited.

The answers live in one plain dict in ``st.session_state`` (never cleaned up
by Streamlit), and each question's widget is re-seeded from it whenever it is
drawn, so answers survive page switches and reruns. Language, rubric set and
example are bound to the URL so a link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from assessment.answers import AnswerSheet, blank_sheet, check_answers
from assessment.formatting import score_text
from assessment.i18n import t
from assessment.models import LANGUAGES, RubricSet
from assessment.problems import InputError
from assessment.ui import cached, questions
from assessment.ui.text import md

ANSWERS = "answers"
NOTES = "answer_notes"
META = "sheet_meta"
CUSTOM_SOURCES = "custom_rubric_sources"
LANG = "lang"
RUBRIC_CHOICE = "rubric"
SHIPPED, UPLOADED = "shipped", "uploaded"
QUESTION_PREFIX = "q"
PAGE_FILES = {
    name: f"assessment/ui/pages/{name}.py"
    for name in ("assess", "results", "export", "compare", "rubrics", "workshops", "join", "facilitate", "present")
}
META_FIELDS = ("business", "sector", "assessor")


def lang() -> str:
    value = st.session_state.get(LANG, "en")
    return value if value in LANGUAGES else "en"


def answers() -> dict[str, Any]:
    return st.session_state.setdefault(ANSWERS, {})


def notes() -> dict[str, str]:
    """Question id → the note kept with an answer (from a loaded file or a workshop's agreed sheet)."""
    return st.session_state.setdefault(NOTES, {})


def meta() -> dict[str, str]:
    return st.session_state.setdefault(META, {field: "" for field in META_FIELDS})


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
    kept, _ = check_answers(answers(), rubric)
    info = meta()
    return blank_sheet(
        rubric,
        info.get("business", "").strip() or "—",
        sector=info.get("sector") or None,
        assessor=info.get("assessor") or None,
        date=dt.date.today(),
        language=lang(),
        answers=kept,
        notes={question_id: note for question_id, note in notes().items() if rubric.question(question_id)},
    )


def has_answers(rubric: RubricSet) -> bool:
    return bool(check_answers(answers(), rubric)[0])


def load_sheet(loaded: AnswerSheet) -> None:
    """Replace the answers being edited (an example or an uploaded file) and re-seed widgets."""
    st.session_state[ANSWERS] = dict(loaded.answers)
    st.session_state[NOTES] = dict(loaded.notes)
    st.session_state[META] = {"business": loaded.business, "sector": loaded.sector or "", "assessor": loaded.assessor or ""}
    _forget_widgets()


def load_example(rubric: RubricSet, key: str) -> bool:
    """Load a shipped example by its key (the ``?example=…`` of a shared link)."""
    example = next((e for e in cached.examples(rubric) if e.key == key), None)
    if example is not None:
        load_sheet(example.sheet)
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


def sidebar_status(rubric: RubricSet, lang: str) -> None:
    """Which business and rubric set is active, and how far the answers have got."""
    business = meta().get("business") or "—"
    done = sum(1 for _, q in rubric.questions() if q.id in answers())
    st.caption(t("sidebar_business", lang, business=md(business)))
    st.caption(t("sidebar_rubric", lang, id=rubric.id, version=rubric.version))
    st.progress(done / max(len(rubric.questions()), 1), text=t("progress", lang, done=done, total=len(rubric.questions())))
    if has_answers(rubric):
        result = cached.assessment(sheet(rubric), rubric, lang)
        overall = score_text(result.overall_low, result.overall_high)
        st.metric(t("verdict_so_far", lang), result.class_label, f"{t('overall', lang)} {overall}", delta_color="off", delta_arrow="off")
    if CUSTOM_SOURCES in st.session_state:
        st.radio(t("rubric_choice", lang), [SHIPPED, UPLOADED], key=RUBRIC_CHOICE, on_change=link_rubric,
                 format_func=lambda choice: t("rubric_shipped" if choice == SHIPPED else "rubric_uploaded_choice", lang))


def clear() -> None:
    st.query_params.pop("example", None)
    st.session_state[ANSWERS] = {}
    st.session_state[NOTES] = {}
    st.session_state[META] = {field: "" for field in META_FIELDS}
    _forget_widgets()


def _forget_widgets() -> None:
    questions.forget(QUESTION_PREFIX)
    for key in [k for k in st.session_state if str(k).startswith("meta_")]:
        del st.session_state[key]


def store_answer(question_id: str, value: Any) -> None:
    """Question widget callback: keep the answer (None clears it)."""
    if value is None:
        answers().pop(question_id, None)
    else:
        answers()[question_id] = value


def seed_meta(field: str) -> str:
    key = meta_key(field)
    if key not in st.session_state:
        st.session_state[key] = meta().get(field, "")
    return key


def store_meta(field: str) -> None:
    meta()[field] = st.session_state.get(meta_key(field), "") or ""
