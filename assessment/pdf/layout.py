"""The PDF report's look: A4 pages, paragraph styles, tables and facts lists, in the HTML report's print style.

Every text goes through :func:`~assessment.pdf.fonts.markup`, so what a user typed is never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from assessment.pdf.fonts import BASE, BOLD, ITALIC, is_latin, markup

PAGE = A4
MARGIN_X, MARGIN_Y = 12 * mm, 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X  # of the text frame
CELL_PADDING = 13.0  # a table cell's left and right padding (6 each), and a point to spare
INK, SUBTLE, RULE, HEAD = (colors.HexColor(c) for c in ("#1a1a1a", "#4d4d4d", "#8c8c8c", "#ececec"))
# The verdict's colours, as in the HTML report's stylesheet.
VERDICT_COLORS = {"internet_plus": ("#009E73", "#e5f5ef"), "plus_internet": ("#CC79A7", "#f9eef4")}


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles by name (made once)."""
    body = ParagraphStyle("body", fontName=BASE, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=4)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=17, leading=21, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=12, leading=15, textColor=SUBTLE, spaceAfter=10),
        "h2": ParagraphStyle("h2", body, fontName=BOLD, fontSize=13, leading=16, spaceBefore=12, spaceAfter=5),
        "h3": ParagraphStyle("h3", body, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=3),
        "verdict": ParagraphStyle("verdict", body, fontName=BOLD, fontSize=15, leading=19, borderPadding=(4, 8, 4, 8),
                                  spaceBefore=4, spaceAfter=8),
        "note": ParagraphStyle("note", body, backColor=colors.HexColor("#fdf1ea"),
                               borderColor=colors.HexColor("#D55E00"), borderWidth=0.5, borderPadding=4,
                               spaceBefore=4, spaceAfter=8),
        "caption": ParagraphStyle("caption", body, fontName=ITALIC, fontSize=8.5, leading=11, textColor=SUBTLE),
        "table_caption": ParagraphStyle("table_caption", body, fontName=ITALIC, fontSize=8.5, leading=11,
                                        textColor=SUBTLE, keepWithNext=1),
        "cell": ParagraphStyle("cell", body, fontSize=8, leading=10, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "cell_num": ParagraphStyle("cell_num", body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "footer": ParagraphStyle("footer", body, fontSize=7.5, leading=9, textColor=SUBTLE),
    }


@lru_cache(maxsize=32)
def _style(name: str, cjk: bool) -> ParagraphStyle:
    """A named style; for a text with Chinese, one that may break a line between any two characters
    (Chinese has no spaces), still keeping English words whole."""
    base = styles()[name]
    return ParagraphStyle(f"{name}_cjk", base, wordWrap="CJK") if cjk else base


def para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; Chinese runs in the CJK font)."""
    return Paragraph(markup(text), _style(style, not is_latin(str(text))))


def bold_then(lead: object, rest: object, style: str = "body") -> Paragraph:
    """A paragraph starting with a bold phrase: 'Question (next: …)'."""
    return Paragraph(f"<b>{markup(lead)}</b> {markup(rest)}", _style(style, not is_latin(f"{lead}{rest}")))


def verdict_box(label: str, class_code: str) -> Paragraph:
    """The class label in a coloured box, as the HTML report shows it."""
    border, back = VERDICT_COLORS.get(class_code, ("#000000", "#f2f2f2"))
    style = ParagraphStyle(f"verdict_{class_code}", styles()["verdict"], backColor=colors.HexColor(back),
                           borderColor=colors.HexColor(border), borderWidth=1.5)
    return Paragraph(markup(label), ParagraphStyle(f"{style.name}_cjk", style, wordWrap="CJK")
                     if not is_latin(label) else style)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    numeric: Sequence[int] = (),
    widths: Sequence[float] | None = None,
    caption: str | None = None,
) -> list[Flowable]:
    """A ruled table with a grey header row repeated on every page; ``numeric`` columns right-aligned."""
    cells = [[para(h, "cell_head") for h in header]]
    cells += [[para(v, "cell_num" if i in numeric else "cell") for i, v in enumerate(row)] for row in rows]
    column_widths = [WIDTH * w for w in (widths or _shares(header, rows))]
    # splitInRow: a row taller than a page (a long note) continues on the next one instead of stopping the build
    grid = Table(cells, colWidths=column_widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    out: list[Flowable] = [para(caption, "h3")] if caption else []
    return [*out, grid]


def _shares(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Each column's share of the width: at least its longest word (so "Internet+" never breaks), the rest shared
    out by how much more its longest text would take (capped, so one long column cannot starve the others)."""
    texts = [[str(h), *(str(row[i]) for row in rows)] for i, h in enumerate(header)]
    least = [max(_width(word) for text in column for word in text.split() or [""]) + CELL_PADDING for column in texts]
    wanted = [min(max(_width(text) for text in column), WIDTH * 0.6) + CELL_PADDING for column in texts]
    if sum(least) >= WIDTH:
        return [w / sum(least) for w in least]
    extra = [max(w - m, 0.0) for w, m in zip(wanted, least, strict=True)]
    spare = WIDTH - sum(least)
    grow = min(spare / sum(extra), 1.0) if sum(extra) else 0.0
    widths = [m + e * grow for m, e in zip(least, extra, strict=True)]
    slack = (WIDTH - sum(widths)) / len(widths)  # what is left when every column has all it wants: shared evenly
    return [(w + slack) / WIDTH for w in widths]


def _width(text: str, size: float = 8) -> float:
    """Points a cell's text takes in one line: Helvetica's metrics, a full em for each character it lacks."""
    latin = "".join(c for c in text if is_latin(c))
    return stringWidth(latin, BASE, size) + size * (len(text) - len(latin))


def facts(pairs: Sequence[tuple[str, object]]) -> Table:
    """A two-column list of label and value, like the HTML report's <dl>."""
    grid = Table([[para(k, "cell_head"), para(v, "cell")] for k, v in pairs], colWidths=[WIDTH * 0.27, WIDTH * 0.73],
                 hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return grid
