"""How numbers read, the same in the terminal, the pages, the exports, the report and the charts."""

from __future__ import annotations

import math

DASH = "—"  # a number there is none of


def score_text(low: float, high: float) -> str:
    """A score, or its range while unknown answers could still move it: '62.5' or '40.0–81.3'."""
    return f"{low:.1f}" if low == high else f"{low:.1f}–{high:.1f}"


def number_text(value: float | None, digits: int = 1, sign: bool = False) -> str:
    """A number to ``digits`` places with thousands separators: '12.3', '+4.0', '1,234.5'; a dash when there is none."""
    if value is None or not math.isfinite(value):
        return DASH
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"


def count_text(value: float | None) -> str:
    """A count of nodes as a whole number: '1,500'; '?' when it was not answered."""
    return "?" if value is None else f"{value:,.0f}"


def log10_text(log10: float | None) -> str:
    """A value given as its log10, written plainly while it fits ('1,000', '2.5'), else as a power of ten."""
    if log10 is None or not math.isfinite(log10):
        return "0"
    if log10 < 6:
        number = 10.0**log10
        return f"{number:,.0f}" if number >= 100 else f"{number:.3g}"
    return f"10^{log10:,.1f}"
