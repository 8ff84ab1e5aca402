"""Text inside figures: escaped for plotly, wrapped to fit, joined into sentences.

Plotly renders a subset of HTML in titles, legends and hover text, so every
text that did not come from this package (business names, rubric texts, which
users may upload) goes through :func:`plotly_escape` before it enters a figure.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable

from assessment.i18n import t


def plotly_escape(value: object, limit: int | None = None) -> str:
    """Escaped for plotly's pseudo-HTML; shortened (before escaping, so no entity is cut)."""
    raw = str(value)
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1].rstrip() + "…"
    return html.escape(raw)


def plotly_wrap(value: str, width: int = 18) -> str:
    """Escaped and broken into short lines: long axis labels would run off a 700 px chart."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(value, width) or [""])


def sentence(parts: Iterable[str], lang: str) -> str:
    """Clauses joined into one localised sentence, for a chart's summary."""
    return t("charts_sentence_join", lang).join(parts) + t("charts_sentence_end", lang)


def listed(items: Iterable[str], lang: str) -> str:
    """Names joined with the language's list separator."""
    return t("charts_list_separator", lang).join(items)
