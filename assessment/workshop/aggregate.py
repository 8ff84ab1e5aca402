"""What the room looks at: where participants agree, where they don't, and the group's verdict.

Pure functions of the answers table (``WorkshopStore.workshop_answers``, built
by :func:`assessment.workshop.answer_table.answers_table`) and the rubric,
vectorised over the participants × questions matrix (no per-cell Python
loops), so the facilitator's screen refreshes in milliseconds.

The rules, each retraceable by hand:

* An answer to a choice question is its *option code* (0 = lowest option),
  as in :mod:`assessment.engine`; its *percent* is the option's score as a
  share of the question's top score (0–100).
* Median: the **lower median** of the option codes — with an even number of
  answers, the lower of the two middle answers. It is always an option someone
  chose (no "2.5"), and it leans to the cautious answer until the room agrees
  otherwise. Count questions use the lower median of the numbers likewise.
* Spread: quartiles by linear interpolation (numpy's default), IQR = Q3 − Q1
  and range = max − min, in *option steps* for choice questions and in
  *orders of magnitude* (log10 of 1 + the count) for count questions.
* Agenda: answered questions by IQR, then range, both descending; ties keep
  the rubric's order.
* Agreement: Krippendorff's alpha, ordinal, with participants as coders and
  choice questions as units, on the percent values (all questions on one
  0–100 scale; the ordinal metric uses only their order). 1 = full agreement,
  0 = no better than chance; None when undefined (fewer than two participants
  answering a common question, or a single value used throughout).
* Group verdict: :func:`assessment.scoring.assess` of the per-question medians.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from assessment.answers import blank_sheet
from assessment.engine import compile_rubric, score_range
from assessment.models import RubricSet, by_digest
from assessment.results import Assessment
from assessment.scoring import assess
from assessment.vocabulary import ClassCode
from assessment.workshop.values import StoredValue

OPTION_STEPS = "option steps"
ORDERS_OF_MAGNITUDE = "orders of magnitude"


@dataclass(frozen=True)
class RubricIndex:
    """The rubric's questions and options as lookup arrays (built once per rubric)."""

    choice_ids: pd.Index  # engine order
    count_ids: pd.Index
    option_ids: tuple[np.ndarray, ...]  # per choice question: its option ids, lowest first
    option_keys: pd.Index  # "question\x1foption" → row of the option arrays
    option_question: np.ndarray  # per option row: index into choice_ids
    option_code: np.ndarray
    option_percent: np.ndarray
    options: pd.DataFrame  # question_id, option_id, code, percent (rubric order)
    max_options: int
    percent_domain: np.ndarray  # every percent an option can have, sorted
    questions: pd.DataFrame  # question_id, dimension, kind: every question in rubric order


@by_digest
def rubric_index(rubric: RubricSet) -> RubricIndex:
    """The rubric's lookup arrays (cached by the rubric files' digest, like the compiled engine)."""
    engine = compile_rubric(rubric)
    rows = [
        (qid, option_id, code, float(engine.option_pct[q][code]), q)
        for q, (qid, option_ids) in enumerate(zip(engine.question_ids, engine.option_ids, strict=True))
        for code, option_id in enumerate(option_ids)
    ]
    options = pd.DataFrame(rows, columns=["question_id", "option_id", "code", "percent", "q"])
    questions = pd.DataFrame(
        [(q.id, d.id, q.type) for d, q in rubric.questions()], columns=["question_id", "dimension", "kind"]
    )
    return RubricIndex(
        choice_ids=pd.Index(engine.question_ids),
        count_ids=pd.Index([q.id for _, q in rubric.count_questions()]),
        option_ids=tuple(np.array(ids, dtype=object) for ids in engine.option_ids),
        option_keys=pd.Index(options["question_id"] + "\x1f" + options["option_id"]),
        option_question=options["q"].to_numpy(),
        option_code=options["code"].to_numpy(),
        option_percent=options["percent"].to_numpy(),
        options=options.drop(columns="q"),
        max_options=max(len(o) for o in engine.option_ids),
        percent_domain=np.unique(options["percent"].to_numpy()),
        questions=questions,
    )


@dataclass(frozen=True)
class FacilitatorView:
    """Everything the facilitator's screen shows, computed in one pass."""

    participants: pd.DataFrame
    """One row per participant (by number): label, display_name, role, answered, total, progress
    (0–1), score_<dimension>…, overall, class_code (None before any scored answer), margin."""
    questions: pd.DataFrame
    """One row per question, rubric order: question_id, dimension, kind, answered, median (option
    id or number), median_code, median_percent, q1, q3, iqr, range, spread_unit."""
    distribution: pd.DataFrame
    """One row per option of each choice question: question_id, option_id, code, percent, count, share."""
    heatmap: pd.DataFrame
    """Participants (labels) × choice questions: the answer's percent, NaN when unanswered."""
    alpha: float | None
    agenda: list[str]
    """Answered question ids, most disputed first."""
    medians: dict[str, StoredValue]
    group: Assessment
    """The assessment of the medians: the group's verdict."""
    class_counts: dict[str, int]
    """How many participants' own answers land in each class (those with a scored answer)."""

    @property
    def participant_count(self) -> int:
        return len(self.participants)


def participant_labels(numbers: pd.Series, names: pd.Series, anonymous: bool) -> pd.Series:
    """P1…Pn when anonymous; otherwise the names, with ``(P3)`` added where two are the same."""
    numbered = "P" + numbers.astype(str)
    if anonymous:
        return numbered
    names = names.fillna("").astype(str)
    duplicated = names.duplicated(keep=False) | (names == "")
    return names.where(~duplicated, names + " (" + numbered + ")")


def _lower_median(matrix: np.ndarray) -> np.ndarray:
    """Per column, the lower median of the non-NaN values (a value someone gave); NaN for an empty column."""
    if matrix.size == 0:  # no participants or no such questions: nanquantile mis-shapes empty input
        return np.full(matrix.shape[1], np.nan)
    with warnings.catch_warnings():  # an unanswered question is an all-NaN column: NaN, as meant
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(matrix, 0.5, axis=0, method="lower")


def _spread(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per column, over the non-NaN values: quartiles (linear interpolation, numpy's default),
    IQR and range; NaN for an empty column."""
    if matrix.size == 0:  # as above; nanmax raises on no rows
        nan = np.full(matrix.shape[1], np.nan)
        return {"q1": nan, "q3": nan, "iqr": nan, "range": nan}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q1, q3 = np.nanquantile(matrix, [0.25, 0.75], axis=0)
        spread = np.nanmax(matrix, axis=0) - np.nanmin(matrix, axis=0)
    return {"q1": q1, "q3": q3, "iqr": q3 - q1, "range": spread}


def agreement_alpha(percent: np.ndarray, domain: np.ndarray | None = None) -> float | None:
    """Krippendorff's ordinal alpha over a participants × questions matrix (NaN = unanswered)."""
    if percent.size == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            value = krippendorff.alpha(
                reliability_data=percent,
                value_domain=domain,
                level_of_measurement="ordinal",
            )
        except (ValueError, ZeroDivisionError):
            return None
    return float(value) if np.isfinite(value) else None


def answer_matrices(frame: pd.DataFrame, rubric: RubricSet) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The participants (one row each, by number) and three matrices with one row per
    participant: choice option codes and percents (NaN = unanswered or not an option), and
    counts (NaN = unanswered)."""
    lookup = rubric_index(rubric)
    people = frame.drop_duplicates("number")[["number", "display_name", "role"]].sort_values("number")
    people = people.reset_index(drop=True)
    n = len(people)
    codes = np.full((n, len(lookup.choice_ids)), np.nan)
    percent = codes.copy()
    counts = np.full((n, len(lookup.count_ids)), np.nan)
    answered = frame[frame["question_id"].notna()]
    if len(answered):
        row = pd.Index(people["number"]).get_indexer(answered["number"])
        question = answered["question_id"].astype(str)
        option = lookup.option_keys.get_indexer(pd.Index(question + "\x1f" + answered["value"].astype(str)))
        hit = option >= 0
        codes[row[hit], lookup.option_question[option[hit]]] = lookup.option_code[option[hit]]
        percent[row[hit], lookup.option_question[option[hit]]] = lookup.option_percent[option[hit]]
        count_column = lookup.count_ids.get_indexer(pd.Index(question))
        numbers = pd.to_numeric(answered["value"].where(count_column >= 0), errors="coerce").to_numpy(dtype=float)
        ok = (count_column >= 0) & np.isfinite(numbers)
        counts[row[ok], count_column[ok]] = numbers[ok]
    return people, codes, percent, counts


def facilitator_view(
    frame: pd.DataFrame,
    rubric: RubricSet,
    anonymous: bool = False,
    *,
    business: str = "Workshop",
    lang: str = "en",
) -> FacilitatorView:
    """All aggregates of a workshop's answers: distributions, medians, spread, agreement, the
    heatmap, per-participant scores and the group's verdict (see the module's rules)."""
    lookup = rubric_index(rubric)
    people, codes, percent, counts = answer_matrices(frame, rubric)
    labels = participant_labels(people["number"], people["display_name"], anonymous)
    questions = _question_table(lookup, rubric, codes, counts)
    answered = questions[questions["answered"] > 0].assign(order=np.flatnonzero(questions["answered"] > 0))
    agenda = answered.sort_values(["iqr", "range", "order"], ascending=[False, False, True], kind="stable")
    medians: dict[str, StoredValue] = dict(zip(answered["question_id"], answered["median"], strict=True))
    participants = _participant_table(people, labels, anonymous, rubric, codes, counts)
    class_counts = {c.value: 0 for c in ClassCode} | participants["class_code"].value_counts().to_dict()
    return FacilitatorView(
        participants=participants,
        questions=questions,
        distribution=_distribution(lookup, codes),
        heatmap=pd.DataFrame(percent, index=pd.Index(labels.to_numpy(), name="participant"),
                             columns=pd.Index(lookup.choice_ids, name="question_id")),
        alpha=agreement_alpha(percent, lookup.percent_domain),
        agenda=agenda["question_id"].tolist(),
        medians=medians,
        group=assess(blank_sheet(rubric, business, answers=medians, language=lang), rubric),
        class_counts={str(code): int(count) for code, count in class_counts.items()},
    )


def _question_table(lookup: RubricIndex, rubric: RubricSet, codes: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    """One row per question in rubric order: how many answered, the median, the spread."""
    engine = compile_rubric(rubric)
    median = _lower_median(codes)
    median_code = np.where(np.isnan(median), -1, median).astype(int)
    choice_rows = pd.DataFrame({
        "question_id": lookup.choice_ids,
        "answered": (~np.isnan(codes)).sum(axis=0),
        "median": pd.Series([ids[c] if c >= 0 else None for ids, c in zip(lookup.option_ids, median_code, strict=True)],
                            dtype=object),
        "median_code": median,
        "median_percent": [engine.percent(q, int(c)) for q, c in enumerate(median_code)],
        **_spread(codes),
        "spread_unit": OPTION_STEPS,
    })
    answered_counts = (~np.isnan(counts)).sum(axis=0)
    count_rows = pd.DataFrame({
        "question_id": lookup.count_ids,
        "answered": answered_counts,
        "median": pd.Series(_lower_median(counts), dtype=object).where(answered_counts > 0, None),
        "median_code": np.nan,
        "median_percent": np.nan,
        **_spread(np.log10(1.0 + counts)),
        "spread_unit": ORDERS_OF_MAGNITUDE,
    })
    stats = pd.concat([choice_rows, count_rows], ignore_index=True)
    questions = lookup.questions.merge(stats, on="question_id", how="left")
    questions["answered"] = questions["answered"].fillna(0).astype(int)
    return questions


def _distribution(lookup: RubricIndex, codes: np.ndarray) -> pd.DataFrame:
    """How many participants chose each option of each choice question, and their share."""
    valid = ~np.isnan(codes)
    columns = len(lookup.choice_ids)
    flat = np.nonzero(valid)[1] * lookup.max_options + codes[valid].astype(int)
    tally = np.bincount(flat, minlength=columns * lookup.max_options).reshape(columns, lookup.max_options)
    chosen = tally[lookup.option_question, lookup.option_code]
    answered = valid.sum(axis=0)[lookup.option_question]
    share = np.divide(chosen, answered, out=np.zeros(len(chosen)), where=answered > 0)
    return lookup.options.assign(count=chosen, share=share)


def _participant_table(people: pd.DataFrame, labels: pd.Series, anonymous: bool, rubric: RubricSet,
                       codes: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    """Each participant's progress, own scores and own class (None before a scored answer)."""
    engine = compile_rubric(rubric)
    total = len(rubric_index(rubric).questions)
    valid = ~np.isnan(codes)
    verdicts = score_range(engine, np.where(valid, codes, -1).astype(np.int32))
    out = people.assign(label=labels.to_numpy())
    if anonymous:  # whatever frame came in, an anonymous view carries no names
        out["display_name"], out["role"] = out["label"], None
    out["answered"] = valid.sum(axis=1) + (~np.isnan(counts)).sum(axis=1)
    out["total"] = total
    out["progress"] = out["answered"] / max(total, 1)
    exact = verdicts.low.dimensions == verdicts.high.dimensions
    for d, dimension_id in enumerate(engine.dimension_ids):
        out[f"score_{dimension_id}"] = np.where(exact[:, d], verdicts.low.dimensions[:, d], np.nan)
    scored = valid.any(axis=1)
    out["overall_low"] = verdicts.low.overall
    out["overall_high"] = verdicts.high.overall
    out["overall"] = np.where(verdicts.low.overall == verdicts.high.overall, verdicts.low.overall, np.nan)
    out["class_code"] = pd.Series(verdicts.class_codes, dtype=object).where(scored, None)
    out["margin"] = np.where(scored, verdicts.margin, np.nan)
    return out


@dataclass(frozen=True)
class QuestionTally:
    """One choice question's answers: how many chose each option (rubric order), and the lower median."""

    question_id: str
    counts: dict[str, int]
    median: str | None
    answered: int


def view_tally(view: FacilitatorView, question_id: str) -> QuestionTally:
    """A question's tally as the facilitator's view computed it."""
    rows = view.distribution[view.distribution["question_id"] == question_id]
    median = view.medians.get(question_id)
    counts = {str(o): int(c) for o, c in zip(rows["option_id"], rows["count"], strict=True)}
    return QuestionTally(question_id, counts, median if isinstance(median, str) else None, sum(counts.values()))


def tally(frame: pd.DataFrame, rubric: RubricSet, question_id: str) -> QuestionTally:
    """A question's tally straight from the answers table, without the whole view (a participant's page
    polls it): the same counts and lower median as :func:`facilitator_view`."""
    question = rubric.question(question_id)
    option_ids = [o.id for o in getattr(question, "options", [])]
    values = frame.loc[frame["question_id"] == question_id, "value"]
    chosen = values[values.isin(option_ids)]
    counts = {option_id: int((chosen == option_id).sum()) for option_id in option_ids}
    codes = sorted(option_ids.index(v) for v in chosen)
    median = option_ids[codes[(len(codes) - 1) // 2]] if codes else None
    return QuestionTally(question_id, counts, median, len(codes))


def default_agreed(view: FacilitatorView) -> dict[str, StoredValue]:
    """The starting point for the agreed assessment: each answered question's median answer."""
    return dict(view.medians)

