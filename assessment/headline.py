"""The verdict in one sentence: the class, how far it is from the boundary, and on which condition.

"+Internet: 50.0 points short of the Internet+ boundary on Resources reconfigured (best road)."

The Results page, the report, the command line and every row of the summary CSV (batch scoring too)
get it from here, so they say the same words; the distance is the summary's ``margin``, never a
signed number. A table of many rows holds few distinct sentences (a class, a condition, a distance
to one decimal), so each is written once and the rows share it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.engine import Verdicts
from assessment.formatting import DASH
from assessment.i18n import t, tn
from assessment.localise import class_label
from assessment.models import RubricSet
from assessment.results import Assessment, ConditionCheck
from assessment.vocabulary import ClassCode

_CLASSES = tuple(ClassCode)  # a verdict's class_index is its position here
_AMOUNTS = 10_000_000  # room for a distance in tenths of a point, or a count of unknown answers


def headline(result: Assessment, rubric: RubricSet, lang: str) -> str:
    """One assessment's sentence (the same function as :func:`headlines`, on one row)."""
    deciding = -1 if result.deciding_condition is None else result.deciding_condition
    margin = np.nan if result.margin is None else result.margin
    class_index = np.array([_CLASSES.index(ClassCode(result.class_code))])
    sentences = _sentences(rubric, lang, class_index, np.array([deciding]), np.array([margin], dtype=float),
                           np.array([result.questions - result.answered]))
    return str(sentences[0])


def headlines(rubric: RubricSet, verdicts: Verdicts, lang: str) -> pd.Categorical:
    """Each row's sentence, for a summary table of any size."""
    unknown = np.asarray(verdicts.questions - verdicts.answered)
    return _sentences(rubric, lang, verdicts.class_index, verdicts.deciding, verdicts.margin, unknown)


def gap_words(check: ConditionCheck, lang: str) -> str:
    """A condition's distance to its threshold in words: '15.8 short', '4.2 past', or that it depends."""
    if check.met is None:
        return t("gap_depends", lang)
    return distance_words(check.gap, lang)


def distance_words(gap: float | None, lang: str) -> str:
    """A score minus its threshold as a distance and a side: '15.8 short' for −15.8, '4.2 past' for 4.2."""
    if gap is None:
        return DASH
    return t("gap_past" if gap >= 0 else "gap_short", lang, gap=f"{abs(gap):.1f}")


def _sentences(rubric: RubricSet, lang: str, class_index: np.ndarray, deciding: np.ndarray,
               margin: np.ndarray, unknown: np.ndarray) -> pd.Categorical:
    determined = ~np.isnan(margin)
    tenths = np.round(np.abs(np.nan_to_num(margin)) * 10)
    amount = np.where(determined, tenths, unknown).astype(np.int64)
    provisional = (np.asarray(unknown) > 0).astype(np.int64)
    deciding = np.asarray(deciding, dtype=np.int64)
    keys = ((class_index.astype(np.int64) * 4096 + deciding + 1) * 2 + provisional) * _AMOUNTS + amount
    inverse, unique = pd.factorize(keys)  # a hash, not a sort: a million rows hold a few hundred keys
    words = np.array([_sentence(rubric, lang, int(key)) for key in unique], dtype=object)
    categories, codes_of_words = np.unique(words, return_inverse=True)
    return pd.Categorical.from_codes(codes_of_words[inverse.ravel()], categories=pd.Index(list(categories)))


def _sentence(rubric: RubricSet, lang: str, key: int) -> str:
    rest, amount = divmod(key, _AMOUNTS)
    rest, provisional = divmod(rest, 2)
    class_index, deciding = divmod(rest, 4096)
    code = _CLASSES[class_index]
    target = class_label(rubric, ClassCode.INTERNET_PLUS, lang)
    if code == ClassCode.UNDETERMINED:
        distance = tn("headline_undetermined", amount, lang, target=target)
    else:
        conditions = rubric.meta.classification.internet_plus_when
        score = conditions[deciding - 1].score if 0 < deciding <= len(conditions) else None
        name = (rubric.condition_name(score, lang) if score else None) or t("overall", lang)
        key_words = "headline_past" if code == ClassCode.INTERNET_PLUS else "headline_short"
        if code == ClassCode.INTERNET_PLUS and amount == 0:
            key_words = "headline_on"  # exactly at the threshold: "0.0 points past" would read as a mistake
        distance = t(key_words, lang, distance=f"{amount / 10:.1f}", target=target, condition=name,
                     qualifier=t("headline_at_least", lang) if provisional else "")
    return t("headline", lang, label=class_label(rubric, code, lang), distance=distance)
