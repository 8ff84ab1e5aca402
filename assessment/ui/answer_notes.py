"""A note and evidence links under each question on Assess: typed as text, kept and shown as text.

Each question gets a closed expander; its two text areas are drawn only while
it is open (``on_change="rerun"``), so 31 questions cost 31 labels on every
rerun, not 62 text areas. Links are checked as http(s) addresses; the valid
ones are saved, and each other line is named under the box.
"""

from __future__ import annotations

import streamlit as st

from assessment.evidence import ANSWER_NOTE_MAX, LINK_MAX, LINKS_PER_ANSWER, parse_links
from assessment.i18n import t
from assessment.models import ChoiceQuestion, CountQuestion
from assessment.saved_work import WorkChange
from assessment.ui import saved, state
from assessment.ui.text import md_list

NOTE, LINKS, OPEN = "note_", "links_", "notes_open_"
_LINKS_MAX_CHARS = LINKS_PER_ANSWER * (LINK_MAX + 1)


def editor(question: ChoiceQuestion | CountQuestion, lang: str) -> None:
    """The closed "Note and evidence" expander under one question; its boxes only while open."""
    work = saved.work()
    count = len(work.evidence.get(question.id, []))
    flags = ([t("notes_has_note", lang)] if work.notes.get(question.id) else []) + (
        [t("notes_has_links", lang, count=count)] if count else [])
    # A fixed label: the expander's identity includes it, so a label that changed would close it while typing.
    box = st.expander(t("notes_label", lang), icon=":material/sticky_note_2:", key=f"{OPEN}{question.id}",
                      on_change="rerun")
    if not box.open:
        if flags:
            st.caption(t("notes_summary", lang, flags=", ".join(flags)))
        return
    with box:
        note_key, links_key = f"{NOTE}{question.id}", f"{LINKS}{question.id}"
        if note_key not in st.session_state:
            st.session_state[note_key] = work.notes.get(question.id, "")
        if links_key not in st.session_state:
            st.session_state[links_key] = "\n".join(work.evidence.get(question.id, []))
        st.text_area(t("notes_note", lang), key=note_key, max_chars=ANSWER_NOTE_MAX, height=80,
                     on_change=_store_note, args=(question.id,))
        st.text_area(t("notes_links", lang), key=links_key, max_chars=_LINKS_MAX_CHARS, height=80,
                     placeholder="https://…", on_change=_store_links, args=(question.id,))
        st.caption(t("notes_links_help", lang))
        problems = st.session_state.get(f"{LINKS}problems_{question.id}")
        if problems:
            st.warning(md_list(problems))


def _store_note(question_id: str) -> None:
    typed = str(st.session_state.get(f"{NOTE}{question_id}", "") or "")
    saved.change(WorkChange(notes={question_id: typed.strip() or None}), state.active_rubric())


def _store_links(question_id: str) -> None:
    links, problems = parse_links(str(st.session_state.get(f"{LINKS}{question_id}", "") or ""))
    st.session_state[f"{LINKS}problems_{question_id}"] = problems
    saved.change(WorkChange(evidence={question_id: links or None}), state.active_rubric())
