"""The PDF report: the HTML report's content, drawn by reportlab, offline and with no system package.

:mod:`~assessment.pdf.fonts` picks a font for each run of text, :mod:`~assessment.pdf.drawings` draws the
report's charts from their plotly figures, :mod:`~assessment.pdf.document` lays out the pages.
"""

from assessment.pdf.document import report_pdf

__all__ = ["report_pdf"]
