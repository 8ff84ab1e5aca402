"""Choice widgets whose option labels are words in the language shown.

Streamlit keeps a radio's, selectbox's or segmented control's state as the
*label* shown. After a language switch the old label matches no option, so
the widget shows nothing (or its default), and on the next switch it reports
the old label as its value — the bug behind blank answers after 简体中文 and
an uploaded rubric set dropped after switching back. Call :func:`keep_choice`
just before drawing such a widget: when its labels changed language, its
state is read while still decoded with the old labels (the option itself)
and set again through the Session State API, so the widget opens on the same
option in the new words.
"""

from __future__ import annotations

import streamlit as st

LABELS_SHOWN = "choice_labels_shown"
"""Widget key → the language its option labels were last drawn in."""


def keep_choice(key: str, lang: str) -> None:
    """Keep the option chosen in widget ``key`` across a change of the language of its labels."""
    shown = st.session_state.setdefault(LABELS_SHOWN, {})
    if shown.get(key, lang) != lang and key in st.session_state:
        value = st.session_state[key]
        del st.session_state[key]
        st.session_state[key] = value
    shown[key] = lang
