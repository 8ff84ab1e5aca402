"""Batch scoring: same results as one by one, bad cells reported by row and column."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from assessment.answers import load_answers_file
from assessment.batch import score_frame
from assessment.export import summary_frame, to_csv_bytes
from assessment.problems import InputError
from assessment.template import template_frame
from tests.conftest import EXAMPLES, sheet_with


def frame_of(sheets) -> pd.DataFrame:
    return pd.DataFrame([{"business": s.business, "sector": s.sector, **s.answers} for s in sheets])


def test_batch_equals_one_by_one_on_the_examples(rubric):
    sheets = [load_answers_file(path, rubric)[0] for path in EXAMPLES]
    batch, problems = score_frame(frame_of(sheets), rubric)
    assert problems == []
    alone = pd.concat([summary_frame([s], rubric) for s in sheets], ignore_index=True)
    for column in ("overall", "overall_low", "overall_high", "margin", "class_code", "score_connection",
                   "borderline", "completeness", "determined"):
        pd.testing.assert_series_equal(batch[column], alone[column], check_names=False, check_categorical=False)


def test_dont_know_cells_give_a_range_and_an_undetermined_class(rubric):
    sheets = [load_answers_file(path, rubric)[0] for path in EXAMPLES]
    frame = frame_of(sheets[:2])
    frame.loc[0, [q.id for _, q in rubric.choice_questions()][:12]] = "dont_know"
    batch, problems = score_frame(frame, rubric)
    assert problems == [] and batch["dont_know"].tolist() == [12, 0]
    assert batch["overall_low"][0] < batch["overall_high"][0] and np.isnan(batch["overall"][0])
    alone = summary_frame([sheet_with(rubric, frame.iloc[0].drop(["business", "sector"]).dropna().to_dict())], rubric)
    assert batch["class_code"][0] == alone["class_code"][0] and batch["overall_low"][0] == alone["overall_low"][0]


def test_bad_cells_name_their_row_and_column_and_count_as_unanswered(rubric):
    question = rubric.choice_questions()[0][1]
    frame = pd.DataFrame({"business": ["A", "B", "C"], question.id: [question.options[0].id, "bogus", None], "cn_people_now": ["5", "x", "-1"]})
    scored, problems = score_frame(frame, rubric, file="r.csv")
    messages = [str(p) for p in problems]
    assert messages[0].startswith(f"r.csv: column {question.id}: 1 cell(s) not one of its options") and "row 3 ('bogus')" in messages[0]
    assert "row 3 ('x')" in messages[1] and "row 4 ('-1')" in messages[1]
    assert np.isnan(scored["overall"][1]) and scored["completeness"][1] == 0


def test_unknown_columns_warn_and_a_missing_business_column_is_an_error(rubric):
    scored, problems = score_frame(pd.DataFrame({"business": ["A"], "colour": ["red"]}), rubric)
    assert problems[0].severity == "warning" and "'colour'" in problems[0].message
    with pytest.raises(InputError, match="'business' column"):
        score_frame(pd.DataFrame({"name": ["A"]}), rubric)


def test_the_batch_template_lists_every_question_and_its_allowed_answers(rubric):
    frame = template_frame(rubric)
    assert len(frame) == 1
    assert set(q.id for _, q in rubric.questions()) <= set(frame.columns)
    first = rubric.choice_questions()[0][1]
    assert frame[first.id][0] == " | ".join(o.id for o in first.options)


def test_large_batch_matches_scalar_scoring_on_random_rows(rubric):
    rng = np.random.default_rng(7)
    rows = []
    for i in range(300):
        row = {"business": f"B{i}"}
        for _, q in rubric.choice_questions():
            if rng.random() < 0.9:
                row[q.id] = q.options[rng.integers(len(q.options))].id
        rows.append(row)
    frame = pd.DataFrame(rows)
    csv_bytes = to_csv_bytes(frame)
    batch, _ = score_frame(pd.read_csv(io.BytesIO(csv_bytes), encoding="utf-8-sig"), rubric)
    for i in (0, 17, 299):
        answers = {k: v for k, v in rows[i].items() if k != "business"}
        alone = summary_frame([sheet_with(rubric, answers, rows[i]["business"])], rubric)
        assert batch["overall_low"][i] == alone["overall_low"][0] and batch["overall_high"][i] == alone["overall_high"][0]
        assert batch["class_code"][i] == alone["class_code"][0]
