"""The one way pages show a table: escaped text, ✓/✗ for yes/no, a dash for nothing.

Small tables are markdown (real HTML tables, read well by screen readers and
light on the page); large ones (a scored batch) are a data grid, whose own CSV
download is switched off in ``.streamlit/config.toml`` (it bypassed the
formula protection of our own downloads).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.ui.text import md_table

GRID_ROWS = 60  # more rows than a page can show at once: a scrollable grid


def show_table(frame: pd.DataFrame) -> None:
    if len(frame) > GRID_ROWS:
        st.dataframe(_marked(frame), hide_index=True)
    else:
        st.markdown(md_table(_marked(frame)))


def _marked(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as ✓/✗ (a column of True/False reads as code, not as an answer)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: "✓", False: "✗"})
    return out
