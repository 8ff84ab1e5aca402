"""Fonts of the PDF report: PDF's standard Helvetica, and the Adobe CJK font STSong-Light for the rest.

Neither is embedded, so the report needs no font file: Helvetica is built into every PDF viewer, and
STSong-Light is one of Adobe's standard CID fonts, which viewers draw with their own Chinese font. Helvetica
covers Windows-1252 (English, Western European, “quotes” and dashes); any other character — Chinese, most
symbols — goes to STSong-Light, run by run, so a Chinese business name reads right in an English report and
English words keep Helvetica's spacing in a Chinese one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

BASE, BOLD, ITALIC, CJK = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "STSong-Light"
# Windows-1252 without its C1 gaps: the characters Helvetica (WinAnsiEncoding) can show.
_LATIN = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    bytes([b]).decode("cp1252") for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
_RUNS = re.compile(f"([{re.escape(_LATIN)}\n]+)")
# Signs the tool's own words use that Helvetica lacks, written so it can show them (no viewer needs a CJK font).
SIGNS = str.maketrans({"≥": ">=", "≤": "<=", "−": "-", "→": "->", "←": "<-", "₁": "1", "₀": "0", "ⁿ": "^n"})


@lru_cache(maxsize=1)
def register() -> None:
    """Make STSong-Light known to reportlab (once per process)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def is_latin(text: str) -> bool:
    """Whether Helvetica can show every character of ``text``."""
    return all(c in _LATIN or c == "\n" for c in text)


def markup(text: object) -> str:
    """``text`` as reportlab paragraph markup: escaped (a user's text is never markup), line breaks kept,
    and every run Helvetica cannot show set in STSong-Light."""
    register()
    parts = []
    for run in _RUNS.split(str(text).translate(SIGNS)):
        if not run:
            continue
        safe = escape(run).replace("\n", "<br/>")
        parts.append(safe if _RUNS.fullmatch(run) else f'<font name="{CJK}">{safe}</font>')
    return "".join(parts)


def font_for(text: str, font: str = BASE) -> str:
    """One font for a whole label in a chart (a drawing's string has one font): ``font`` if it can show it.
    The label's text should have its signs spelled out first (:data:`SIGNS`)."""
    register()
    return font if is_latin(text) else CJK

