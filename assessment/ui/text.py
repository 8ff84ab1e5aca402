"""Showing user-typed text as text.

Streamlit's markdown never renders raw HTML (we never pass
``unsafe_allow_html``), but markdown itself would still turn a business named
``![x](http://…)`` into an image fetched from the network, ``[x](…)`` into a
link, or ``:red[…]`` into coloured text. Every value a user typed is escaped
before it goes into any markdown string.

Escaping is not enough for addresses: GitHub-flavoured markdown turns any
text that looks like ``https://…``, ``www.…`` or ``name@host`` into a live
link after parsing, escapes or not. A word joiner (U+2060, invisible) after
the first character of each such mark keeps them text.
"""

from __future__ import annotations

import math
import re

from pandas.api.types import is_numeric_dtype

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")
_AUTOLINK_MARK = re.compile(r"(://|www\.|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md(value: object) -> str:
    """``value`` with every markdown-significant character backslash-escaped, and no address a live link."""
    text = _AUTOLINK_MARK.sub(lambda mark: mark[0][0] + WORD_JOINER + mark[0][1:], str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def md_list(items: list[str]) -> str:
    """A markdown bullet list of escaped items."""
    return "\n".join(f"- {md(item)}" for item in items)


def md_table(frame) -> str:
    """A pandas frame as a markdown table, every cell escaped.

    Rendered by the markdown component the page already loads: a real HTML
    table for screen readers, without the data-grid's extra JavaScript.
    """
    header = "| " + " | ".join(md(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if is_numeric_dtype(frame[c]) else ":---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(md(_cell(v)) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)
