"""Aggregates on hand-made answers whose results are known in advance."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from assessment.answers import blank_sheet
from assessment.models import RubricSet
from assessment.vocabulary import ClassCode
from assessment.workshop import default_agreed, facilitator_view
from assessment.workshop.aggregate import _lower_median, _spread, agreement_alpha
from assessment.workshop.answer_table import FRAME_COLUMNS
from tests.conftest import assessed as assess

INTERNET_PLUS, PLUS_INTERNET = ClassCode.INTERNET_PLUS.value, ClassCode.PLUS_INTERNET.value


def frame_of(answers: dict[int, dict[str, object]], names: dict[int, str] | None = None) -> pd.DataFrame:
    """An answers frame as the store returns it; a participant with {} has answered nothing."""
    rows = []
    for number, given in answers.items():
        name = (names or {}).get(number, f"Person {number}")
        if not given:
            rows.append((number, name, None, None, None, pd.Timestamp("2030-01-01", tz="UTC")))
        for question_id, value in given.items():
            rows.append((number, name, None, question_id, value, pd.Timestamp("2030-01-01", tz="UTC")))
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def choice(rubric: RubricSet, index: int):
    return rubric.choice_questions()[index][1]


def by_codes(rubric: RubricSet, codes: dict[int, list[int | None]]) -> dict[int, dict[str, object]]:
    """{question index: [code of participant 1, 2, …]} → answers per participant (None = unanswered)."""
    people = max(len(c) for c in codes.values())
    out: dict[int, dict[str, object]] = {n: {} for n in range(1, people + 1)}
    for index, column in codes.items():
        question = choice(rubric, index)
        for n, code in enumerate(column, start=1):
            if code is not None:
                out[n][question.id] = question.options[code].id
    return out


def row(view, question_id: str) -> pd.Series:
    return view.questions.set_index("question_id").loc[question_id]


def test_distribution_median_and_spread_by_hand(rubric: RubricSet) -> None:
    first, second = choice(rubric, 0), choice(rubric, 1)
    view = facilitator_view(frame_of(by_codes(rubric, {0: [0, 1, 1, 3], 1: [0, 3, None, None]})), rubric)
    counts = view.distribution[view.distribution["question_id"] == first.id]
    assert counts["option_id"].tolist() == [o.id for o in first.options]
    assert counts["count"].tolist() == [1, 2, 0, 1, 0]
    assert counts["share"].tolist() == [0.25, 0.5, 0.0, 0.25, 0.0]
    stats = row(view, first.id)
    assert stats["answered"] == 4 and stats["median"] == first.options[1].id and stats["median_code"] == 1
    assert (stats["q1"], stats["q3"], stats["iqr"], stats["range"]) == (0.75, 1.5, 0.75, 3)
    assert stats["spread_unit"] == "option steps"
    # Even count: the lower of the two middle answers.
    tied = row(view, second.id)
    assert tied["answered"] == 2 and tied["median"] == second.options[0].id
    unanswered = row(view, choice(rubric, 2).id)
    assert unanswered["answered"] == 0 and unanswered["median"] is None and math.isnan(unanswered["iqr"])


def test_full_agreement_gives_alpha_one_and_no_spread(rubric: RubricSet) -> None:
    same = {q.id: q.options[i % len(q.options)].id for i, (_, q) in enumerate(rubric.choice_questions())}
    view = facilitator_view(frame_of({n: dict(same) for n in range(1, 6)}), rubric)
    assert view.alpha == 1.0
    scored = view.questions[view.questions["kind"] == "choice"]
    assert (scored["iqr"] == 0).all() and (scored["range"] == 0).all()
    assert view.agenda == [q.id for _, q in rubric.choice_questions()]  # no dispute: rubric order
    assert view.medians == same


def test_alpha_is_krippendorffs_ordinal_alpha() -> None:
    # Krippendorff's worked example (4 coders × 12 units, one to five): ordinal alpha 0.815.
    nan = np.nan
    data = np.array([
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ])
    assert round(agreement_alpha(data, np.arange(1, 6)), 3) == 0.815
    assert agreement_alpha(np.full((3, 4), 50.0)) is None  # one value throughout: undefined
    assert agreement_alpha(np.array([[0.0, 100.0, np.nan], [np.nan, np.nan, 50.0]])) is None  # no shared unit


def test_opposed_camps_disagree(rubric: RubricSet) -> None:
    low = {q.id: q.options[0].id for _, q in rubric.choice_questions()}
    high = {q.id: q.options[-1].id for _, q in rubric.choice_questions()}
    view = facilitator_view(frame_of({1: low, 2: high, 3: low, 4: high}), rubric)
    assert view.alpha is not None and view.alpha < 0
    heat = view.heatmap.to_numpy()
    assert view.alpha == agreement_alpha(heat, np.unique(heat))  # coders = participants, units = questions
    assert view.class_counts == {"plus_internet": 2, "internet_plus": 2, "undetermined": 0}


def test_agenda_orders_by_iqr_then_range(rubric: RubricSet) -> None:
    codes = {
        0: [0, 0, 4, 4],  # IQR 4
        1: [0, 1, 2, 4],  # IQR 1.75
        3: [1, 1, 2, 2],  # IQR 1, range 1 — earlier in the rubric than question 4 …
        4: [0, 1, 1, 4],  # IQR 1, range 4 — … but disputed more widely
        5: [3, 3, 3, 3],  # no dispute
    }
    view = facilitator_view(frame_of(by_codes(rubric, codes)), rubric)
    ids = {i: choice(rubric, i).id for i in codes}
    assert view.agenda == [ids[0], ids[1], ids[4], ids[3], ids[5]]
    assert (row(view, ids[4])["iqr"], row(view, ids[4])["range"]) == (1.0, 4.0)
    assert (row(view, ids[3])["iqr"], row(view, ids[3])["range"]) == (1.0, 1.0)


def test_participants_are_named_or_numbered(rubric: RubricSet) -> None:
    answers = by_codes(rubric, {0: [0, 1, 2]})
    names = {1: "Anna", 2: "Anna", 3: "Bo"}
    named = facilitator_view(frame_of(answers, names), rubric, anonymous=False)
    assert named.heatmap.index.tolist() == ["Anna (P1)", "Anna (P2)", "Bo"]
    hidden = facilitator_view(frame_of(answers, names), rubric, anonymous=True)
    assert hidden.heatmap.index.tolist() == ["P1", "P2", "P3"]
    assert hidden.participants["label"].tolist() == ["P1", "P2", "P3"]
    assert hidden.heatmap.iloc[:, 0].tolist() == [0.0, 25.0, 50.0]
    assert hidden.heatmap.iloc[:, 1].isna().all()


def test_individual_and_group_classes(rubric: RubricSet) -> None:
    top = {q.id: q.options[-1].id for _, q in rubric.choice_questions()}
    bottom = {q.id: q.options[0].id for _, q in rubric.choice_questions()}
    view = facilitator_view(frame_of({1: top, 2: top, 3: bottom, 4: {}}), rubric, business="Cake")
    assert view.class_counts == {INTERNET_PLUS: 2, PLUS_INTERNET: 1, "undetermined": 0}
    assert view.participants["class_code"].tolist() == [INTERNET_PLUS, INTERNET_PLUS, PLUS_INTERNET, None]
    assert view.participants["answered"].tolist() == [25, 25, 25, 0]
    assert view.participants["progress"].tolist() == pytest.approx([25 / 31] * 3 + [0.0])
    assert view.participants["overall"].iloc[0] == 100.0
    assert view.medians == top and view.group.class_code == INTERNET_PLUS and view.group.business == "Cake"


def test_group_class_is_the_assessment_of_the_medians(rubric: RubricSet) -> None:
    rng = random.Random(7)
    answers = {n: {q.id: rng.choice(q.options).id for _, q in rubric.choice_questions() if rng.random() < 0.9}
               for n in range(1, 8)}
    view = facilitator_view(frame_of(answers), rubric, lang="zh")
    by_hand = {}
    for _, question in rubric.choice_questions():
        ids = [o.id for o in question.options]
        given = sorted(ids.index(a[question.id]) for a in answers.values() if question.id in a)
        if given:
            by_hand[question.id] = ids[given[(len(given) - 1) // 2]]
    assert view.medians == by_hand == default_agreed(view)
    expected = assess(blank_sheet(rubric, "Workshop", answers=by_hand, language="zh"), rubric, "zh")
    assert (view.group.class_code, view.group.overall, view.group.margin) == (
        expected.class_code, expected.overall, expected.margin)


def test_counts_use_the_lower_median_and_orders_of_magnitude(rubric: RubricSet) -> None:
    answers = {1: {"cn_people_now": 10.0}, 2: {"cn_people_now": 100.0}, 3: {"cn_people_now": 1000.0},
               4: {"cn_people_now": 100000.0}}
    view = facilitator_view(frame_of(answers), rubric)
    stats = row(view, "cn_people_now")
    assert stats["kind"] == "count" and stats["answered"] == 4 and stats["median"] == 100.0
    assert stats["spread_unit"] == "orders of magnitude"
    assert stats["range"] == pytest.approx(math.log10(100001) - math.log10(11))
    assert view.medians == {"cn_people_now": 100.0}
    assert view.participants["answered"].tolist() == [1, 1, 1, 1]


def test_answers_the_rubric_no_longer_knows_are_ignored(rubric: RubricSet) -> None:
    first = choice(rubric, 0)
    view = facilitator_view(frame_of({1: {first.id: "retired_option", "retired_question": "x"},
                                      2: {first.id: first.options[1].id}}), rubric)
    assert row(view, first.id)["answered"] == 1
    assert view.participants["answered"].tolist() == [0, 1]


def test_an_empty_workshop_has_a_view(rubric: RubricSet) -> None:
    view = facilitator_view(frame_of({}), rubric)
    assert view.participant_count == 0 and view.alpha is None and view.agenda == [] and view.medians == {}
    assert view.heatmap.shape == (0, len(rubric.choice_questions()))
    assert view.class_counts == {PLUS_INTERNET: 0, INTERNET_PLUS: 0, "undetermined": 0}
    assert view.group.provisional


def _by_hand(column: list[float]) -> tuple[float, float, float, float]:
    """Lower median, Q1, Q3 (linear interpolation between the sorted values) and range of the given values."""
    values = sorted(v for v in column if not math.isnan(v))
    if not values:
        return (math.nan,) * 4

    def at(fraction: float) -> float:
        position = (len(values) - 1) * fraction
        low = math.floor(position)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (position - low)

    return values[(len(values) - 1) // 2], at(0.25), at(0.75), values[-1] - values[0]


@pytest.mark.parametrize("seed", range(20))
def test_column_statistics_follow_the_documented_rules(seed: int) -> None:
    """Lower median, linearly interpolated quartiles and range per column, unanswered cells skipped;
    an empty column gives NaN, and so do matrices without rows or columns."""
    rng = np.random.default_rng(seed)
    rows, columns = int(rng.integers(0, 9)), int(rng.integers(0, 5))
    matrix = rng.integers(0, 5, size=(rows, columns)).astype(float)
    matrix[rng.random((rows, columns)) < 0.4] = np.nan
    median, spread = _lower_median(matrix), _spread(matrix)
    for j in range(columns):
        low, q1, q3, full_range = _by_hand(matrix[:, j].tolist())
        got = (median[j], spread["q1"][j], spread["q3"][j], spread["range"][j], spread["iqr"][j])
        assert got == pytest.approx((low, q1, q3, full_range, q3 - q1), abs=1e-12, nan_ok=True)
    assert median.shape == spread["iqr"].shape == (columns,)
