"""The tool's own words (not the rubric's) in each language, from ``data/labels/*.yaml``.

Each area keeps its own file (core, charts, report, app, workshop); a key may
be defined in one file only.

Templates use ``str.format`` fields; values typed by users are passed as
arguments, never as templates, so they are inserted literally.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from assessment.models import LANGUAGES
from assessment.safe_yaml import read_document

LABELS_DIR = Path(__file__).resolve().parent.parent / "data" / "labels"


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(LABELS_DIR.glob("*.yaml")):
        for key, entry in read_document(path.read_bytes(), path.name).data.items():
            if key in catalog:
                raise ValueError(f"label '{key}' is defined in both {origin[key]} and {path.name}")
            catalog[key], origin[key] = entry, path.name
    return catalog


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The label ``key`` in ``lang`` (English when missing), with ``values`` filled in."""
    entry = _catalog()[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def missing_translations() -> dict[str, list[str]]:
    """Keys without a text in each non-English language (a test keeps this empty)."""
    return {
        lang: sorted(k for k, v in _catalog().items() if lang not in v)
        for lang in LANGUAGES
        if lang != "en"
    }


def tn(key: str, count: int, lang: str = "en", **values: Any) -> str:
    """``t`` for a sentence about ``count`` things: the ``<key>_one`` label when there is one thing."""
    one = f"{key}_one"
    return t(one if count == 1 and one in _catalog() else key, lang, count=count, **values)
