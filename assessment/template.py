"""Blank answers files: a commented YAML to fill in, or a one-row CSV for batch scoring."""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd

from assessment.batch import META_COLUMNS
from assessment.formatting import number
from assessment.i18n import t
from assessment.models import DONT_KNOW, ChoiceQuestion, RubricSet, text


def template_yaml(rubric: RubricSet, lang: str = "en") -> str:
    """An answers file with every question, its help and its allowed answers as comments."""
    lines = [
        *_comment(t("tpl_title", lang, id=rubric.id, version=rubric.version, title=text(rubric.meta.title, lang)),
                  "# "),
        *_comment(t("tpl_fill", lang, dont_know=DONT_KNOW), "# "),
        *_comment(text(rubric.meta.scope, lang), "# " + t("tpl_scope", lang)),
        'business: ""',
        "sector: null",
        "assessor: null",
        f"date: {dt.date.today().isoformat()}",
        "rubric:",
        f"  id: {rubric.id}",
        f'  version: "{rubric.version}"',
        f"language: {lang}",
        "answers:",
    ]
    for dimension in rubric.dimensions:
        lines.append(f"  # ── {_one_line(text(dimension.title, lang))} ──")
        for group in dimension.groups:
            lines += _comment(text(group.title, lang) + ": " + text(group.help, lang), "  # ")
        for question in dimension.questions:
            lines.append(f"  # {_one_line(text(question.text, lang))}")
            lines += _comment(f"({text(question.help, lang)})", "  #   ")
            if isinstance(question, ChoiceQuestion):
                for option in question.options:
                    lines.append(f"  #   {option.id}: {_one_line(text(option.label, lang))}")
            else:
                lines.append("  #   " + t("tpl_count", lang, max=number(question.max_value), dont_know=DONT_KNOW))
            lines.append(f"  {question.id}: null")
    lines += ["# " + t("tpl_notes", lang), "notes: {}"]
    return "\n".join(lines) + "\n"


def _comment(value: str, prefix: str, width: int = 100) -> list[str]:
    """A text as comment lines of at most ``width`` characters (half as many for Chinese, twice as wide)."""
    if not value:
        return []
    if any("\u2e80" <= char <= "\u9fff" for char in value):
        width //= 2
    indent = "#".join(prefix.split("#")[:-1]) + "#   " if "#" in prefix else prefix
    return textwrap.wrap(_one_line(value), width, initial_indent=prefix, subsequent_indent=indent)


def template_frame(rubric: RubricSet) -> pd.DataFrame:
    """One row naming, in each question's column, the answers it accepts."""
    row: dict[str, str] = dict.fromkeys(META_COLUMNS, "")
    row["business"] = "Example business (replace this row)"
    for _, question in rubric.questions():
        if isinstance(question, ChoiceQuestion):
            row[question.id] = " | ".join(o.id for o in question.options)
        else:
            row[question.id] = f"number 0–{number(question.max_value)}"
    return pd.DataFrame([row])


def _one_line(value: str) -> str:
    return " ".join(value.split())
