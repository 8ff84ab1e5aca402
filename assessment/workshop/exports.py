"""A workshop's files: every raw answer, the per-question aggregate, and the agreed sheet.

The CSVs go through :func:`assessment.export.to_csv_bytes`, so a participant
named ``=HYPERLINK(…)`` or the label "+Internet" is written as text, never run
as a formula. The agreed assessment is an ordinary :class:`AnswerSheet`, so the
existing scoring, exports and report work on it unchanged; the room's notes
and the participants' comments travel in its ``notes``. Every workshop file
names the rubric set it was answered on: id, version and content digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from assessment.answers import AnswerSheet, blank_sheet, check_answers
from assessment.export import summary_frame, to_csv_bytes
from assessment.i18n import t
from assessment.models import RubricSet, text
from assessment.workshop.aggregate import FacilitatorView, participant_labels, rubric_index
from assessment.workshop.records import AgreedAnswers, WorkshopInfo

RATIONALE_MAX = 5000
RUBRIC_COLUMNS = ("rubric_id", "rubric_version", "rubric_digest")


def with_rubric(frame: pd.DataFrame, rubric: RubricSet) -> pd.DataFrame:
    """``frame`` with the rubric set's id, version and digest as its last columns."""
    return frame.assign(**dict(zip(RUBRIC_COLUMNS, (rubric.id, rubric.version, rubric.digest), strict=True)))


def comment_lines(comments: pd.DataFrame | None) -> dict[str, list[str]]:
    """Question id → "P1: why…" lines, in participant order (``WorkshopStore.workshop_comments``,
    whose names are already P1…Pn in an anonymous workshop)."""
    if comments is None or comments.empty:
        return {}
    ordered = comments.sort_values(["question_id", "number"], kind="stable")
    out: dict[str, list[str]] = {}
    for question_id, name, comment in zip(ordered["question_id"], ordered["display_name"], ordered["comment"],
                                          strict=True):
        out.setdefault(question_id, []).append(f"{name}: {comment}")
    return out


def _question_texts(rubric: RubricSet, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [(q.id, d.id, text(d.title, lang), text(q.text, lang)) for d, q in rubric.questions()],
        columns=["question_id", "dimension", "dimension_title", "question"],
    )


def _option_labels(rubric: RubricSet, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [(q.id, o.id, text(o.label, lang)) for _, q in rubric.choice_questions() for o in q.options],
        columns=["question_id", "answer_id", "answer"],
    )


def answers_export_frame(frame: pd.DataFrame, rubric: RubricSet, anonymous: bool, lang: str = "en",
                         comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every answer, one row each: who (a label; P1…Pn when anonymous), the question's text, the
    answer's label in ``lang`` and the participant's comment on it. Answers the rubric no longer
    knows are kept, with an empty label."""
    people = frame.drop_duplicates("number")
    labels = pd.Series(participant_labels(people["number"], people["display_name"], anonymous).to_numpy(),
                       index=people["number"].to_numpy())
    answered = frame[frame["question_id"].notna()].copy()
    answered["participant"] = answered["number"].map(labels)
    answered["role"] = None if anonymous else answered["role"]
    is_number = answered["value"].map(lambda v: isinstance(v, float))
    answered["answer_id"] = answered["value"].where(~is_number, "").astype(str)
    answered["number_answer"] = pd.to_numeric(answered["value"].where(is_number), errors="coerce")
    out = answered.merge(_question_texts(rubric, lang), on="question_id", how="left")
    out = out.merge(_option_labels(rubric, lang), on=["question_id", "answer_id"], how="left")
    out["answer"] = out["answer"].fillna("")
    out["updated_at"] = out["updated_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["comment"] = _comments_by_answer(out, comments)
    columns = ["participant", "number", "role", "dimension", "dimension_title", "question_id", "question",
               "answer_id", "answer", "number_answer", "comment", "updated_at"]
    return with_rubric(out[columns].rename(columns={"number": "participant_number"}), rubric)


def _comments_by_answer(answers: pd.DataFrame, comments: pd.DataFrame | None) -> pd.Series:
    """Each answer row's comment ("" when none)."""
    if comments is None or comments.empty:
        return pd.Series("", index=answers.index, dtype=object)
    by_key = comments.set_index(["number", "question_id"])["comment"]
    keys = pd.MultiIndex.from_arrays([answers["number"], answers["question_id"]])
    return pd.Series(by_key.reindex(keys).fillna("").to_numpy(), index=answers.index, dtype=object)


def answers_csv(frame: pd.DataFrame, rubric: RubricSet, anonymous: bool, lang: str = "en",
                comments: pd.DataFrame | None = None) -> bytes:
    """The raw answers, with the participants' comments, as spreadsheet-safe CSV bytes."""
    return to_csv_bytes(answers_export_frame(frame, rubric, anonymous, lang, comments))


def aggregate_export_frame(view: FacilitatorView, rubric: RubricSet, lang: str = "en",
                           agreed: Mapping[str, object] | None = None, agreed_notes: Mapping[str, str] | None = None,
                           comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per question: text, answered, median (id and label), spread, the count of each
    option (``option_1`` is the lowest), the agreed answer and its note when given, and the
    participants' comments ("P1: …" lines)."""
    max_options = rubric_index(rubric).max_options
    out = view.questions.merge(_question_texts(rubric, lang).drop(columns="dimension"), on="question_id", how="left")
    labels = _option_labels(rubric, lang).rename(columns={"answer_id": "median", "answer": "median_answer"})
    out = out.merge(labels, on=["question_id", "median"], how="left")
    counts = view.distribution.pivot(index="question_id", columns="code", values="count")
    counts = counts.astype("Int64")
    counts.columns = [f"option_{int(code) + 1}" for code in counts.columns]
    out = out.merge(counts, left_on="question_id", right_index=True, how="left")
    if agreed is not None:
        agreed_labels = _option_labels(rubric, lang).set_index(["question_id", "answer_id"])["answer"]
        out["agreed"] = out["question_id"].map(lambda q: agreed.get(q, ""))
        out["agreed_answer"] = [
            agreed_labels.get((q, a), "") if isinstance(a, str) else f"{a:g}"
            for q, a in zip(out["question_id"], out["agreed"], strict=True)
        ]
    if agreed is not None or agreed_notes is not None:
        out["agreed_note"] = out["question_id"].map(lambda q: (agreed_notes or {}).get(q, ""))
    lines = comment_lines(comments)
    out["comments"] = out["question_id"].map(lambda q: "\n".join(lines.get(q, [])))
    out["median_answer"] = out["median_answer"].fillna("")
    numeric = ["q1", "q3", "iqr", "range"]
    out[numeric] = out[numeric].round(3)
    first = ["dimension", "dimension_title", "question_id", "question", "kind", "answered", "median", "median_answer",
             "median_percent", "q1", "q3", "iqr", "range", "spread_unit"]
    option_columns = [f"option_{i + 1}" for i in range(max_options) if f"option_{i + 1}" in out.columns]
    rest = [c for c in ("agreed", "agreed_answer", "agreed_note", "comments") if c in out.columns]
    return with_rubric(out[first + option_columns + rest], rubric)


def aggregate_csv(view: FacilitatorView, rubric: RubricSet, lang: str = "en",
                  agreed: Mapping[str, object] | None = None, agreed_notes: Mapping[str, str] | None = None,
                  comments: pd.DataFrame | None = None) -> bytes:
    """The per-question aggregate as spreadsheet-safe CSV bytes."""
    return to_csv_bytes(aggregate_export_frame(view, rubric, lang, agreed, agreed_notes, comments))


def agreed_sheet(info: WorkshopInfo, agreed: AgreedAnswers, rubric: RubricSet,
                 date: dt.date | None = None, comments: pd.DataFrame | None = None) -> AnswerSheet:
    """The room's agreed answers (``WorkshopStore.agreed``) as an answer sheet for the existing
    scoring, exports and report.

    Answers the rubric does not accept (e.g. after a rubric change) are left out. Each agreed
    answer's note, then the participants' comments on that question, become the sheet's note for
    it (so Results, the answers CSV and the report show them); the notes also form the rationale.
    """
    kept, _problems = check_answers(agreed.values, rubric)
    rationale = "\n".join(f"{question_id}: {note}" for question_id, note in agreed.notes.items() if question_id in kept)
    sheet = blank_sheet(
        rubric,
        info.business,
        sector=info.sector,
        assessor=t("workshop_assessor", info.language, count=info.participants),
        date=date or dt.date.today(),
        language=info.language,
        answers=kept,
    )
    notes = _sheet_notes(agreed.notes, comment_lines(comments), info.language)
    return sheet.model_copy(update={"rationale": rationale[:RATIONALE_MAX] or None,
                                    "notes": {q: note for q, note in notes.items() if q in kept}})


def _sheet_notes(notes: Mapping[str, str], comments: Mapping[str, list[str]], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for question_id in sorted(set(notes) | set(comments)):
        parts = [notes[question_id]] if question_id in notes else []
        if comments.get(question_id):
            parts.append(t("workshop_comments_note", lang, comments="; ".join(comments[question_id])))
        out[question_id] = " · ".join(parts)
    return out


def agreed_summary_frame(sheet: AnswerSheet, rubric: RubricSet, lang: str = "en") -> pd.DataFrame:
    """The agreed sheet's summary (as any answer sheet's), naming the rubric set's digest too."""
    return summary_frame([sheet], rubric, lang).assign(rubric_digest=rubric.digest)

