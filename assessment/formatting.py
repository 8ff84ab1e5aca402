"""How numbers and columns read, the same in the terminal, the pages, the exports and the report."""

from __future__ import annotations

import math

from wcwidth import wcswidth

_BIG = {
    "en": ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"), (1e3, " thousand")),
    "zh": ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")),
}

DASH = "—"  # a number there is none of


def score_text(low: float, high: float) -> str:
    """A score, or its range while unknown answers could still move it: '62.5' or '40.0–81.3'."""
    return f"{low:.1f}" if low == high else f"{low:.1f}–{high:.1f}"


def number(value: float) -> str:
    """A count as people read it: '1,500', never '1500.0' or '1e+12'; a fraction keeps two digits."""
    if not math.isfinite(value):
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def big_number(log10: float, lang: str = "en") -> str:
    """A value given as its log10, in words: '1.2 million' ('120万'), or '10^3.0e7' when astronomic."""
    if not math.isfinite(log10):
        return "0"
    if log10 >= 15:
        return f"10^{log10:.4g}"
    value = 10.0**log10
    for size, word in _BIG.get(lang, _BIG["en"]):
        if value >= size:
            return f"{value / size:.3g}{word}"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def width(text: str) -> int:
    """Columns the text takes in a terminal (a Chinese character takes two)."""
    return max(wcswidth(text), len(text))


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def number_text(value: float | None, digits: int = 1, sign: bool = False) -> str:
    """A number to ``digits`` places with thousands separators: '12.3', '+4.0', '1,234.5'; a dash when there is none."""
    if value is None or not math.isfinite(value):
        return DASH
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"


def count_text(value: float | None) -> str:
    """A count of nodes as a whole number: '1,500'; '?' when it was not answered."""
    return "?" if value is None else f"{value:,.0f}"


def plain_number(log10: float | None, lang: str = "en") -> str:
    """A value given as its log10, as a founder reads it: '1', '2.8', '24', '1.2 million' ('120万'),
    or '7.8×10^1,501' past a thousand trillion; '0' for a value of 0 (None)."""
    if log10 is None or not math.isfinite(log10):
        return "0"
    if log10 >= 15:
        exponent = math.floor(log10)
        return f"{10 ** (log10 - exponent):.1f}×10^{exponent:,}"
    value = 10.0**log10
    if value >= 1e6:
        return big_number(log10, lang)
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:,.0f}"


def multiple_text(log10: float | None, lang: str = "en") -> str:
    """A multiple of today's value: '×2.8', '×24', '×1.2 million', '×7.8×10^1,501'; a dash when there is none."""
    return DASH if log10 is None else f"×{plain_number(log10, lang)}"
