"""How numbers read, the same in the terminal, the pages, the exports and the report."""

from __future__ import annotations


def score_text(low: float, high: float) -> str:
    """A score, or its range while unknown answers could still move it: '62.5' or '40.0–81.3'."""
    return f"{low:.1f}" if low == high else f"{low:.1f}–{high:.1f}"
