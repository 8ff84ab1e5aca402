"""Several businesses side by side, narrow enough to read on a screen without scrolling sideways.

One row per business: its class, its distance to the Internet+ boundary in words
(the same as the summary CSV's ``margin`` and the verdict sentence), overall and
each dimension (ranges while answers are unknown). The summary CSV keeps every
column (both ends of every range, completeness, the rubric) for a spreadsheet.
"""

from __future__ import annotations

import pandas as pd

from assessment.formatting import score_text
from assessment.headline import distance_words
from assessment.i18n import t
from assessment.localise import AssessmentView


def comparison_frame(results: list[AssessmentView], lang: str) -> pd.DataFrame:
    rows = []
    for result in results:
        row = {t("compare_col_business", lang): result.business, t("compare_col_class", lang): result.class_label,
               t("compare_col_boundary", lang): distance_words(result.margin, lang),
               t("overall", lang): score_text(result.overall_low, result.overall_high)}
        row |= {d.title: score_text(d.low, d.high) for d in result.dimensions}
        rows.append(row)
    return pd.DataFrame(rows)
