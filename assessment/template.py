"""Blank answers files: a commented YAML to fill in, or a one-row CSV for batch scoring."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from assessment.batch import META_COLUMNS
from assessment.models import ChoiceQuestion, RubricSet, text


def template_yaml(rubric: RubricSet, lang: str = "en") -> str:
    """An answers file with every question as a comment and its allowed answers."""
    lines = [
        f"# Answers for rubric set {rubric.id} {rubric.version}: {text(rubric.meta.title, lang)}",
        "# Fill in the business and, for each question, one of the listed option ids",
        "# (or a number for counts). Leave null for questions you cannot answer yet.",
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
        for question in dimension.questions:
            lines.append(f"  # {_one_line(text(question.text, lang))}")
            if isinstance(question, ChoiceQuestion):
                for option in question.options:
                    lines.append(f"  #   {option.id}: {_one_line(text(option.label, lang))}")
            else:
                lines.append(f"  #   a number from 0 to {question.max_value:g}")
            lines.append(f"  {question.id}: null")
    return "\n".join(lines) + "\n"


def template_frame(rubric: RubricSet) -> pd.DataFrame:
    """One row naming, in each question's column, the answers it accepts."""
    row: dict[str, str] = {c: "" for c in META_COLUMNS}
    row["business"] = "Example business (replace this row)"
    for _, question in rubric.questions():
        if isinstance(question, ChoiceQuestion):
            row[question.id] = " | ".join(o.id for o in question.options)
        else:
            row[question.id] = f"number 0–{question.max_value:g}"
    return pd.DataFrame([row])


def _one_line(value: str) -> str:
    return " ".join(value.split())
