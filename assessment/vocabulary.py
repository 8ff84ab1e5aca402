"""Ids shared across the core, the exports and the pages: spelled once, here."""

from __future__ import annotations

from enum import StrEnum


class ClassCode(StrEnum):
    """The verdict. ``UNDETERMINED``: the unknown answers could still put it either side."""

    PLUS_INTERNET = "plus_internet"
    INTERNET_PLUS = "internet_plus"
    UNDETERMINED = "undetermined"


SCORE_OVERALL = "overall"
"""The condition key for the weighted overall score (beside the dimension ids)."""

DONT_KNOW = "dont_know"
"""The answer every question accepts besides its options: the assessor does not know."""
