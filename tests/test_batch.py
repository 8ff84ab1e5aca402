"""Batch scoring: same results as one by one, bad cells reported by row and column."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from assessment import responses
from assessment.answers import load_answers_file
from assessment.batch import MAX_UPLOAD_BYTES, score_file, score_file_to, score_frame, score_upload
from assessment.export import summary_frame, to_csv_bytes, write_table_csv
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
    frame = pd.DataFrame({"business": ["A", "B", "C"], question.id: [question.options[0].id, "bogus", None],
                          "cn_people_now": ["5", "x", "-1"]})
    scored, problems = score_frame(frame, rubric, file="r.csv")
    messages = [str(p) for p in problems]
    assert messages[0].startswith(f"r.csv: column {question.id}: 1 cell(s) not one of its options")
    assert "row 3 ('bogus')" in messages[0]
    assert "row 3 ('x')" in messages[1] and "row 4 ('-1')" in messages[1]
    assert np.isnan(scored["overall"][1]) and scored["completeness"][1] == 0


def test_unknown_columns_warn_and_a_missing_business_column_is_an_error(rubric):
    _, problems = score_frame(pd.DataFrame({"business": ["A"], "colour": ["red"]}), rubric)
    assert problems[0].severity == "warning" and "'colour'" in problems[0].message
    with pytest.raises(InputError, match="'business' column"):
        score_frame(pd.DataFrame({"name": ["A"]}), rubric)


def test_the_batch_template_lists_every_question_and_its_allowed_answers(rubric):
    frame = template_frame(rubric)
    assert len(frame) == 1
    assert {q.id for _, q in rubric.questions()} <= set(frame.columns)
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
        assert batch["overall_low"][i] == alone["overall_low"][0]
        assert batch["overall_high"][i] == alone["overall_high"][0]
        assert batch["class_code"][i] == alone["class_code"][0]


def test_dont_know_is_a_valid_answer_that_counts_as_unknown(rubric):
    first, second = (q for _, q in rubric.choice_questions()[:2])
    frame = pd.DataFrame({"business": ["A", "B"], first.id: ["dont_know", first.options[-1].id],
                          second.id: [second.options[-1].id, None], "cn_people_now": ["dont_know", "5"]})
    scored, problems = score_frame(frame, rubric)
    assert problems == []
    alone = summary_frame([sheet_with(rubric, {first.id: "dont_know", second.id: second.options[-1].id}, "A")], rubric)
    for column in ("overall_low", "overall_high", "class_code", "dont_know", "completeness"):
        assert scored[column][0] == alone[column][0], column
    assert scored["dont_know"].tolist() == [1, 0]


def write(tmp_path, text: str, name: str = "r.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_ragged_rows_are_refused_with_their_row_numbers(tmp_path, rubric):
    path = write(tmp_path, "business,uf_user_relationship\nX,contact_list,Y,till_only\nZ,contact_list\nW\n")
    with pytest.raises(InputError) as refused:
        score_file(path, rubric)
    message = str(refused.value)
    assert message.startswith("r.csv: 2 row(s) do not have the header's 2 fields")
    assert "row 2 (4 fields), row 4 (1 field)" in message


def test_many_ragged_rows_list_the_first_few_and_count_the_rest(tmp_path, rubric):
    rows = "".join(f"B{i},contact_list{',x' if i % 2 else ''}\n" for i in range(40))
    with pytest.raises(InputError, match=r"20 row\(s\) .*row 3 \(3 fields\), row 5 .* and 15 more"):
        score_file(write(tmp_path, "business,uf_user_relationship\n" + rows), rubric)


def test_a_name_spanning_lines_reads_as_one_row(tmp_path, rubric):
    path = write(tmp_path, 'business,uf_user_relationship\n"Two\nlines",contact_list\n"=B",till_only\n')
    scored, problems = score_file(path, rubric)
    assert problems == [] and scored["business"].tolist() == ["Two\nlines", "=B"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the CSV is empty"),
        (b"business,sector,business\nA,x,B\n", "column(s) named twice in the header: 'business'"),
        ("business,uf_user_relationship\nCafé,contact_list\n".encode("latin-1"), "not UTF-8 text"),
        (b"sector\nRetail\n", "the CSV needs a 'business' column"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(tmp_path, rubric, content, message):
    with pytest.raises(InputError, match=re.escape(message)):
        score_file(write(tmp_path, content), rubric)


def test_an_upload_over_the_cap_is_refused_before_it_is_parsed(rubric):
    data = b"business,uf_user_relationship\n" + b"A,contact_list\n" * 1000
    with pytest.raises(InputError, match=r"larger than 0\.01 MB"):
        score_file(data, rubric, name="big.csv", max_bytes=10_000)
    # an upload (a file object): read no further than the cap
    with pytest.raises(InputError, match=r"larger than 0\.01 MB"):
        score_file(io.BytesIO(data), rubric, name="big.csv", max_bytes=10_000)
    scored, _ = score_file(io.BytesIO(data), rubric, name="big.csv", max_bytes=MAX_UPLOAD_BYTES)
    assert len(scored) == 1000


class CountingUpload(io.BytesIO):
    """An upload that remembers how many bytes were read from it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def test_the_apps_upload_is_refused_past_the_cap_reading_no_further(rubric):
    upload = CountingUpload(b"business,uf_user_relationship\n" + b"A,contact_list\n" * (MAX_UPLOAD_BYTES // 10))
    done = score_upload(upload, rubric, name="huge.csv")
    assert done.scored is None and done.csv == b""
    assert "larger than 5 MB" in done.problems[0].message and done.problems[0].file == "huge.csv"
    assert upload.read_bytes == MAX_UPLOAD_BYTES + 1


def test_the_apps_upload_gives_its_table_and_a_formula_safe_download_once(rubric):
    upload = io.BytesIO(b"business,uf_user_relationship\n+Internet,contact_list\n=HYPERLINK(1),bogus\n")
    upload.read()  # the page may have read it already: the upload is scored from its start
    done = score_upload(upload, rubric, name="r.csv")
    assert done.scored["business"].tolist() == ["+Internet", "=HYPERLINK(1)"]
    assert "row 3" in done.problems[0].message
    assert done.csv == to_csv_bytes(done.scored)
    assert b"'+Internet" in done.csv and b"'=HYPERLINK(1)" in done.csv and b",+" not in done.csv


def test_reading_a_file_gives_the_same_summary_as_reading_it_with_pandas(tmp_path, rubric):
    rng = np.random.default_rng(3)
    names = ["=SUM(A1)", "+Internet", " =1", "NA", "", "Crème 蛋糕", 'say "hi", then go']
    rows = []
    for i in range(500):
        row = {"business": names[i % len(names)] + str(i) if i % 3 else names[i % len(names)],
               "sector": "Retail" if i % 2 else ""}
        for _, q in rubric.choice_questions():
            row[q.id] = q.options[rng.integers(len(q.options))].id if rng.random() < 0.8 else ""
        rows.append(row)
    path = tmp_path / "r.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    arrow, problems = score_file(path, rubric)
    expected, _ = score_frame(pd.read_csv(path, dtype={"business": str, "sector": str}), rubric)
    assert problems == []
    pd.testing.assert_frame_equal(arrow, expected, check_dtype=False, check_categorical=False)
    out = write_table_csv(arrow, tmp_path / "scored.csv")
    read = dict(encoding="utf-8-sig", keep_default_na=False, dtype=str)
    pd.testing.assert_frame_equal(_numbers_as_numbers(pd.read_csv(out, **read)),
                                  _numbers_as_numbers(pd.read_csv(io.BytesIO(to_csv_bytes(expected)), **read)))


def _numbers_as_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells read as text, numbers compared as numbers: Arrow writes 30 where pandas writes 30.0."""
    def value(cell: str) -> object:
        try:
            return float(cell)
        except ValueError:
            return cell
    return frame.map(value)


def test_row_numbers_run_on_across_the_groups_a_big_file_is_read_in(tmp_path, rubric, monkeypatch):
    question = rubric.choice_questions()[0][1]
    rows = [f"B{i},{'bogus' if i in (5, 1500, 2999) else question.options[i % 2].id}\n" for i in range(3000)]
    path = write(tmp_path, f"business,{question.id}\n" + "".join(rows))
    whole, _ = score_file(path, rubric)
    monkeypatch.setattr(responses, "BLOCK_BYTES", 4096)  # blocks of ~350 rows
    monkeypatch.setattr(responses, "GROUP_ROWS", 1000)  # scored a thousand rows at a time
    grouped, problems = score_file(path, rubric)
    assert [str(p) for p in problems] == [f"r.csv: column {question.id}: 3 cell(s) not one of its options: "
                                          f"{', '.join(o.id for o in question.options)}: "
                                          "row 7 ('bogus'), row 1502 ('bogus'), row 3001 ('bogus')"]
    pd.testing.assert_frame_equal(grouped, whole)
    written = score_file_to(path, tmp_path / "s.csv", rubric)
    assert written.rows == 3000 and written.problems == problems and not (tmp_path / "s.csv").exists()
