"""Showing user-typed text as text.

Streamlit's markdown never renders raw HTML (we never pass
``unsafe_allow_html``), but markdown itself would still turn a business named
``![x](http://…)`` into an image fetched from the network, ``[x](…)`` into a
link, or ``:red[…]`` into coloured text. Every value a user typed is escaped
before it goes into any markdown string.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


def md(value: object) -> str:
    """``value`` with every markdown-significant character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def md_list(items: list[str]) -> str:
    """A markdown bullet list of escaped items."""
    return "\n".join(f"- {md(item)}" for item in items)
