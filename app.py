"""The app's entry: navigation and page wiring only (``streamlit run app.py``).

Pages live in ``assessment/ui/pages``; every number they show comes from the
core in ``assessment/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assessment.i18n import t
from assessment.models import LANGUAGES
from assessment.ui import housekeeping, saved, state, workshop_state

# A bundled file, not ":material/hub:": Streamlit fetches a material favicon from fonts.gstatic.com,
# which fails offline and in mainland China. The SVG becomes a data: URL, so nothing leaves 127.0.0.1.
FAVICON = Path(__file__).resolve().parent / "assessment" / "ui" / "favicon.svg"
st.set_page_config(page_title="+Internet or Internet+?", page_icon=FAVICON, layout="wide")

state.init_from_link()
saved.open_from_link()
with st.sidebar:
    st.segmented_control(
        "Language / 语言", list(LANGUAGES), format_func=lambda code: LANGUAGES[code], key=state.LANG, required=True,
        on_change=state.link_language,
    )
lang = state.lang()
rubric = state.active_rubric()
housekeeping.freeze_startup_objects()  # after the imports and the rubric: the collector skips them from now on
state.apply_example_link(rubric)

PAGES = [
    ("assess", ":material/edit_note:", True),
    ("results", ":material/insights:", False),
    ("export", ":material/download:", False),
    ("plan", ":material/checklist:", False),
    ("history", ":material/timeline:", False),
    ("mine", ":material/folder_open:", False),
    ("compare", ":material/compare_arrows:", False),
    ("rubrics", ":material/rule:", False),
    ("workshops", ":material/groups:", False),
    ("join", ":material/login:", False),
]
navigation = st.navigation(
    [st.Page(state.PAGE_FILES[name], title=t(f"page_{name}", lang), icon=icon, url_path=name, default=default)
     for name, icon, default in PAGES]
    # The live view and the presenter's screen open only from a facilitator link, so they are not in the menu.
    + [st.Page(state.PAGE_FILES[name], title=t(f"page_{name}", lang), url_path=name, visibility="hidden")
       for name in ("facilitate", "present")]
)
saved.keep_link(navigation.url_path)
if navigation.url_path not in workshop_state.WORKSHOP_PAGES:  # a founder's answers mean nothing in a workshop
    with st.sidebar:
        state.sidebar_status(rubric, lang)
navigation.run()
