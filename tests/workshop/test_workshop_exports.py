"""Workshop files: spreadsheet-safe CSVs, and an agreed sheet the existing tools accept."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from assessment.export import export_files, restore
from assessment.models import RubricSet
from assessment.workshop import (
    AccessDenied,
    AgreedAnswers,
    WorkshopInfo,
    WorkshopStore,
    aggregate_csv,
    agreed_sheet,
    answers_csv,
    default_agreed,
    facilitator_view,
)
from tests.conftest import assessed as assess

HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'


def _cells(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _assert_formula_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def _room(store: WorkshopStore, rubric: RubricSet, anonymous: bool = False):
    created = store.create_workshop(store.new_organiser_key(), "+Internet Café", rubric.id, rubric.version,
                                    sector="-food", anonymous=anonymous)
    people = [store.join(created.join_code, name, role) for name, role in
              [(HOSTILE_NAME, "+Internet"), ("@admin", "-1"), ("李华", None)]]
    for i, person in enumerate(people):
        answers = {q.id: q.options[(i + k) % len(q.options)].id for k, (_, q) in enumerate(rubric.choice_questions())}
        answers["cn_people_now"] = 10 ** (i + 1)
        store.save_answers(person.resume_token, answers)
    return created


def test_answer_export_is_formula_safe_and_complete(store: WorkshopStore, rubric: RubricSet) -> None:
    created = _room(store, rubric)
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    data = answers_csv(frame, rubric, anonymous=False, lang="zh")
    rows = _cells(data)
    _assert_formula_safe(rows)
    header, body = rows[0], rows[1:]
    assert len(body) == 3 * (len(rubric.choice_questions()) + 1)
    who = {r[header.index("participant")] for r in body}
    assert who == {"'" + HOSTILE_NAME, "'@admin", "李华"}
    roles = {r[header.index("role")] for r in body}
    assert {"'+Internet", "'-1"} <= roles
    question = rubric.choice_questions()[0][1]
    first = next(r for r in body if r[header.index("question_id")] == question.id and "李华" in r)
    assert first[header.index("question")] == question.text["zh"]
    assert first[header.index("answer")] == question.options[2].label["zh"]
    # Read back, restore() gives the names exactly as typed.
    back = restore(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig"))
    assert HOSTILE_NAME in set(back["participant"])


def test_anonymous_export_shows_numbers_only(store: WorkshopStore, rubric: RubricSet) -> None:
    created = _room(store, rubric, anonymous=True)
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    text = answers_csv(frame, rubric, anonymous=True).decode("utf-8-sig")
    assert "HYPERLINK" not in text and "李华" not in text and "admin" not in text
    assert {r[0] for r in _cells(answers_csv(frame, rubric, anonymous=True))[1:]} == {"P1", "P2", "P3"}


def test_aggregate_export_is_formula_safe_and_counts_options(store: WorkshopStore, rubric: RubricSet) -> None:
    created = _room(store, rubric)
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    view = facilitator_view(frame, rubric, business="+Internet Café")
    agreed = default_agreed(view)
    rows = _cells(aggregate_csv(view, rubric, "en", agreed=agreed))
    _assert_formula_safe(rows)
    header, body = rows[0], rows[1:]
    assert len(body) == len(rubric.questions())
    question = rubric.choice_questions()[0][1]
    line = next(r for r in body if r[header.index("question_id")] == question.id)
    counts = [line[header.index(f"option_{i}")] for i in range(1, 6)]
    assert counts == ["1", "1", "1", "0", "0"]
    assert line[header.index("median")] == question.options[1].id
    assert line[header.index("agreed_answer")] == question.options[1].label["en"]
    people = next(r for r in body if r[header.index("question_id")] == "cn_people_now")
    assert people[header.index("median")] == "100.0" and people[header.index("agreed_answer")] == "100"


def test_agreed_sheet_feeds_the_existing_tools(store: WorkshopStore, rubric: RubricSet, tmp_path) -> None:
    created = _room(store, rubric)
    key = created.facilitator_key
    frame = store.workshop_answers(created.workshop_id, key)
    view = facilitator_view(frame, rubric)
    store.set_agreed_many(created.workshop_id, key, default_agreed(view),
                          {rubric.choice_questions()[0][1].id: "=SUM(A1) we agreed after debate"})
    info = store.facilitator(created.workshop_id, key)
    assert info is not None
    sheet = agreed_sheet(info, store.agreed(created.workshop_id, key), rubric)
    assert sheet.business == "+Internet Café" and sheet.sector == "-food"
    assert sheet.assessor == "Workshop agreement (3 participants)"
    assert sheet.answers == default_agreed(view)
    assert "we agreed after debate" in (sheet.rationale or "")
    result = assess(sheet, rubric)
    assert result.class_code == view.group.class_code and result.overall == view.group.overall
    for path in export_files(sheet, result, rubric, tmp_path):
        _assert_formula_safe(_cells(path.read_bytes()))


def test_agreed_answers_need_the_key(store: WorkshopStore, rubric: RubricSet) -> None:
    created = _room(store, rubric)
    with pytest.raises(AccessDenied):
        store.agreed(created.workshop_id, store.new_organiser_key())


def test_agreed_sheet_is_built_from_records_alone(rubric: RubricSet) -> None:
    """No store: the sheet is a function of the workshop's record and its agreed answers."""
    first, second = rubric.choice_questions()[0][1], rubric.choice_questions()[1][1]
    moment = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    info = WorkshopInfo(
        id=7, business="Tea House", sector=None, rubric_id=rubric.id, rubric_version=rubric.version, language="zh",
        deadline=None, anonymous=False, status="closed", revealed=True, created_at=moment, join_code="ACDE-FHJK-MN",
        participants=4, accepting_answers=False,
    )
    agreed = AgreedAnswers(
        values={first.id: first.options[2].id, second.id: "gone_after_a_rubric_change", "cn_people_now": 12.0},
        notes={first.id: "the loyalty data", second.id: "a reason for an answer that is left out"},
    )
    sheet = agreed_sheet(info, agreed, rubric, date=dt.date(2026, 5, 2))
    assert sheet.answers == {first.id: first.options[2].id, "cn_people_now": 12.0}
    assert sheet.rationale == f"{first.id}: the loyalty data"
    assert sheet.notes == {first.id: "the loyalty data"}  # the reason travels with its answer
    line = next(x for x in assess(sheet, rubric).lines if x.question_id == first.id)
    assert line.note == "the loyalty data"
    assert sheet.business == "Tea House" and sheet.language == "zh" and sheet.date == dt.date(2026, 5, 2)
    assert sheet.assessor == "研讨共识（4 位参与者）"
