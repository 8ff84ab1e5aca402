"""What the PDF's drawings take from a plotly figure's styling: plain text, colours, dashes and markers."""

from __future__ import annotations

import html
import re
from typing import Any

from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from assessment.pdf.fonts import SIGNS

FONT_SIZE = 7.5
_TAG = re.compile(r"<[^>]+>")
# plotly's marker symbols and reportlab's (open ones drawn with a white fill)
_SYMBOLS = {"circle": "Circle", "square": "Square", "diamond": "Diamond", "triangle-up": "Triangle",
           "hexagon": "Hexagon", "star": "StarFive", "cross": "Cross"}
_DASHES: dict[str, list[float]] = {"dash": [4, 3], "dot": [1, 2], "dashdot": [4, 2, 1, 2], "longdash": [7, 3]}


def plain(text: Any) -> str:
    """A figure's text (plotly's escaped pseudo-HTML) as plain text: line breaks kept, tags dropped, unescaped,
    and the signs Helvetica lacks spelled out."""
    return html.unescape(_TAG.sub("", str(text or "").replace("<br>", "\n"))).translate(SIGNS)


def color(value: Any, default: colors.Color = colors.black) -> colors.Color:
    """A plotly colour ('#0072B2', 'rgba(0,114,178,0.15)', 'rgb(…)') as reportlab's."""
    if not isinstance(value, str):
        return default
    rgba = re.fullmatch(r"rgba?\(([\d.\s]+),([\d.\s]+),([\d.\s]+)(?:,([\d.\s]+))?\)", value.replace(" ", ""))
    if rgba:
        r, g, b = (float(v) / 255 for v in rgba.groups()[:3])
        return colors.Color(r, g, b, alpha=float(rgba.group(4) or 1))
    try:
        return colors.HexColor(value) if value.startswith("#") else colors.toColor(value)
    except ValueError:
        return default


def marker(symbol: Any, fill: colors.Color, size: float) -> Any:
    """A reportlab marker for a plotly symbol name ('circle', 'diamond-open', …)."""
    name = str(symbol or "circle")
    base = _SYMBOLS.get(name.removesuffix("-open"), "Circle")
    open_ = name.endswith("-open")
    return makeMarker(base if open_ else f"Filled{base}", size=size, strokeColor=fill, strokeWidth=1,
                      fillColor=colors.white if open_ else fill)


def dash(line: Any) -> list[float] | None:
    return _DASHES.get(getattr(line, "dash", None) or "")
