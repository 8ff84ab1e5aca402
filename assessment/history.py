"""An assessment over time: dated snapshots, their scores as one table, and what changed between two.

A snapshot keeps the answers (and notes, evidence, plan progress) as they were
when it was taken; its scores are computed here from those answers with the
same arithmetic as the summary CSV (:func:`assessment.export.summary_table`), so
the history, the summary and the pages never disagree. The frames below are
what the History page, the history CSV and the workbook export read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from assessment.answers import AnswerSheet, check_answers
from assessment.engine import compile_rubric, score_range
from assessment.export import summary_table, to_csv_bytes
from assessment.i18n import t
from assessment.localise import Words
from assessment.models import ChoiceQuestion, RubricSet, text
from assessment.plan import plan_progress
from assessment.saved_work import UNNAMED, SavedWork
from assessment.vocabulary import ClassCode

SnapshotReason = Literal["saved", "verdict"]


class Snapshot(BaseModel):
    """The assessment as it stood at one moment."""

    model_config = ConfigDict(extra="forbid")

    number: int  # 1, 2, 3 … in the order they were taken
    taken_at: dt.datetime  # UTC
    reason: SnapshotReason  # the founder saved it, or the verdict changed
    work: SavedWork

    @property
    def progress(self) -> tuple[int, int]:
        """Plan steps done, and in all, when the snapshot was taken."""
        return plan_progress(self.work.plan)

    def label(self, lang: str = "en") -> str:
        """How the snapshot is named on the page: its number and its time (UTC)."""
        return t("history_snapshot_label", lang, number=self.number, when=self.taken_at.strftime("%Y-%m-%d %H:%M"))


def certain_class(answers: Mapping[str, object], rubric: RubricSet) -> str | None:
    """The verdict when it is certain (the unknown answers could not change it), else None; no path search."""
    engine = compile_rubric(rubric)
    code = str(score_range(engine, engine.codes(dict(answers))).class_codes[0])
    return None if code == ClassCode.UNDETERMINED else code


def history_frame(snapshots: Sequence[Snapshot], rubric: RubricSet, lang: str = "en") -> pd.DataFrame:
    """One row per snapshot, oldest first: when, why, the summary's scores and verdict, and plan progress.

    The score columns are the summary CSV's (``score_<dimension>``, ``overall``, their ``_low``/``_high``
    ends, ``class_code``, ``margin`` as a distance ≥ 0 …); ``margin_signed`` is the engine's margin with
    its side (negative: short of Internet+; blank while undetermined), which the trend chart draws.
    """
    ordered = sorted(snapshots, key=lambda s: s.number)
    engine = compile_rubric(rubric)
    answers: list[dict[str, object]] = [dict(check_answers(dict(s.work.answers), rubric)[0]) for s in ordered]
    codes = np.array([engine.codes(a) for a in answers], dtype=np.int32).reshape(len(ordered), len(engine.question_ids))
    verdicts = score_range(engine, codes)
    meta = pd.DataFrame({
        "snapshot": [s.number for s in ordered],
        "taken_at": [s.taken_at.strftime("%Y-%m-%d %H:%M") for s in ordered],
        "reason": [s.reason for s in ordered],
        "reason_label": [t(f"history_reason_{s.reason}", lang) for s in ordered],
        "business": [s.work.business or UNNAMED for s in ordered],
    })
    out = summary_table(rubric, meta, verdicts, lang)
    out["margin_signed"] = np.round(verdicts.margin, 2)
    out["answered"] = verdicts.answered.astype(int)
    out["plan_done"] = [s.progress[0] for s in ordered]
    out["plan_total"] = [s.progress[1] for s in ordered]
    return out


def history_csv(snapshots: Sequence[Snapshot], rubric: RubricSet, lang: str = "en") -> bytes:
    """The history as a spreadsheet-safe CSV: the summary's columns, so ``margin`` is the distance past the
    boundary and ``class_code`` its side (the signed margin would be written as text: no cell starts with -)."""
    return to_csv_bytes(history_frame(snapshots, rubric, lang).drop(columns=["margin_signed"]))


def snapshot_diff(before: AnswerSheet | SavedWork, after: AnswerSheet | SavedWork, rubric: RubricSet,
                  lang: str = "en") -> pd.DataFrame:
    """Question by question, what changed from ``before`` to ``after``: the answers (ids and words), their
    scores (percent of the question's top option), whether it went up or down, and the notes."""
    words = Words(rubric, lang)
    rows = []
    for dimension, question in rubric.questions():
        old, new = before.answers.get(question.id), after.answers.get(question.id)
        old_note, new_note = before.notes.get(question.id, ""), after.notes.get(question.id, "")
        if old == new and old_note == new_note:
            continue
        old_score, new_score = _percent(question, old), _percent(question, new)
        rows.append({
            "dimension": dimension.id, "dimension_title": text(dimension.title, lang), "question_id": question.id,
            "question": text(question.text, lang),
            "before_id": _id(old), "before": _words(words, question.id, old, lang),
            "after_id": _id(new), "after": _words(words, question.id, new, lang), "score_before": old_score,
            "score_after": new_score, "direction": _direction(old, new, old_score, new_score),
            "note_before": old_note, "note_after": new_note,
        })
    columns = ["dimension", "dimension_title", "question_id", "question", "before_id", "before", "after_id", "after",
               "score_before", "score_after", "direction", "note_before", "note_after"]
    return pd.DataFrame(rows, columns=columns)


def _percent(question: object, value: object) -> float | None:
    if not isinstance(question, ChoiceQuestion) or not isinstance(value, str):
        return None
    option = question.option(value)
    return None if option is None else round(option.score / question.max_score * 100.0, 1)


def _id(value: object) -> str:
    return value if isinstance(value, str) else ""


def _words(words: Words, question_id: str, value: object, lang: str) -> str:
    if value is None:
        return t("unanswered", lang)
    if isinstance(value, str):
        return words.answer(question_id, value)
    return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"  # type: ignore[arg-type]


def _direction(old: object, new: object, old_score: float | None, new_score: float | None) -> str:
    """``up``/``down`` when both answers have a score, ``answered``/``withdrawn``, else ``changed``."""
    if old_score is not None and new_score is not None and old_score != new_score:
        return "up" if new_score > old_score else "down"
    if old is None and new is not None:
        return "answered"
    if new is None and old is not None:
        return "withdrawn"
    return "changed"
