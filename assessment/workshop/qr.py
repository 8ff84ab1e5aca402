"""The join link as a QR code, drawn offline as SVG (segno: a pure-Python encoder, no network, no images).

The SVG holds only paths that segno writes from the link's bits; no text
anyone typed enters it, and the page shows it as an image, never as HTML.
"""

from __future__ import annotations

import io

import segno

QR_SCALE = 8  # pixels per module: a version-4 code is 264 px, readable across a room when projected


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (error correction M at least; segno raises it when the size allows)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, scale: int = QR_SCALE) -> str:
    """``url`` as a standalone SVG document (black on white, the standard quiet zone of 4 modules)."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=scale, border=4, dark="#000000", light="#ffffff", xmldecl=False,
                      svgns=True)
    return buffer.getvalue().decode("utf-8")
