"""An upload is read once: its work runs when the files change, not on every rerun.

Parsing a file on every rerun made an unrelated click cost as much as the
upload itself (issue 11: a 0.3 MB answers file took 18 s, then 20 s again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

_T = TypeVar("_T")


def once_per_upload(key: str, files: Any | Sequence[Any] | None, work: Callable[[], _T], *extra: object) -> _T | None:
    """``work()``'s result for these uploaded files (and ``extra`` inputs), computed once and kept."""
    if not files:
        st.session_state.pop(f"{key}_marker", None)
        return None
    items = files if isinstance(files, (list, tuple)) else [files]
    marker = (tuple(getattr(f, "file_id", id(f)) for f in items), *extra)
    if st.session_state.get(f"{key}_marker") != marker:
        st.session_state[f"{key}_result"] = work()
        st.session_state[f"{key}_marker"] = marker
    return st.session_state[f"{key}_result"]
