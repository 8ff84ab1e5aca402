"""Founders' own assessments in the store: private keys, changes committed in groups, Clear/Undo, snapshots,
and the migration that adds them to a database that already holds workshops (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import inspect, select, text

from assessment.models import RubricSet
from assessment.plan import PlanItem, Target
from assessment.saved_work import SavedWork, WorkChange
from assessment.workshop import WorkshopStore, schema
from assessment.workshop.database import Database
from assessment.workshop.errors import InvalidAnswer, InvalidChange, UnknownAssessment
from assessment.workshop.tokens import secret_hash


def _work(rubric: RubricSet, business: str = "Corner Bakery", **answers: object) -> SavedWork:
    return SavedWork(business=business, rubric_id=rubric.id, rubric_version=rubric.version, answers=answers)


def _option(rubric: RubricSet, question_id: str, index: int) -> str:
    return rubric.question(question_id).options[index].id


def test_an_assessment_is_numbered_under_its_key_and_opens_only_with_it(store: WorkshopStore, rubric: RubricSet):
    key, other = store.new_founder_key(), store.new_founder_key()
    assert store.create_saved(key, _work(rubric, "First")) == 1
    assert store.create_saved(key, _work(rubric, "Second")) == 2
    assert store.create_saved(other, _work(rubric, "Someone else's")) == 1
    assert store.open_saved(key, 1).work.business == "First"
    assert [r.work.business for r in store.list_saved(key)] == ["Second", "First"]  # changed last first
    assert store.open_saved(key).work.business == "Second"  # no number: the one changed last
    assert store.open_saved(other, 2) is None
    for wrong in ("", "short", store.new_founder_key(), key + "x"):
        assert store.open_saved(wrong, 1) is None and store.list_saved(wrong) == []
        with pytest.raises(UnknownAssessment):
            store.save_work(wrong, 1, WorkChange(fields={"business": "Taken over"}))
    assert store.open_saved(key, 1).work.business == "First"


def test_only_the_hash_of_the_key_is_stored(store: WorkshopStore, rubric: RubricSet, database_url: str):
    key = store.new_founder_key()
    store.create_saved(key, _work(rubric))
    database = Database(database_url)
    try:
        with database.read() as conn:
            stored = conn.execute(select(schema.founders.c.key_hash)).scalars().all()
            dump = " ".join(str(v) for row in conn.execute(select(schema.saved_assessments)).all() for v in row)
    finally:
        database.dispose()
    assert stored == [secret_hash(key)] and key not in dump


def test_changes_merge_per_answer_and_survive_a_new_store(store: WorkshopStore, rubric: RubricSet, database_url: str):
    key = store.new_founder_key()
    number = store.create_saved(key, _work(rubric))
    store.save_work(key, number, WorkChange(answers={"uf_free_offer": _option(rubric, "uf_free_offer", 2)}))
    store.save_work(key, number, WorkChange(answers={"mc_product_nature": "dont_know"}, notes={"uf_free_offer": "So"},
                                            evidence={"uf_free_offer": ["https://example.com/menu"]}))
    store.save_work(key, number, WorkChange(answers={"cn_people_now": 1200.0}, fields={"sector": "Food"}))
    store.save_work(key, number, WorkChange(answers={"mc_product_nature": None}))
    with WorkshopStore(database_url, rubrics=[rubric]) as restarted:  # a restarted server
        work = restarted.open_saved(key, number).work
    assert work.answers == {"uf_free_offer": _option(rubric, "uf_free_offer", 2), "cn_people_now": 1200.0}
    assert work.notes == {"uf_free_offer": "So"} and work.evidence == {"uf_free_offer": ["https://example.com/menu"]}
    assert (work.business, work.sector) == ("Corner Bakery", "Food")


def test_a_refused_change_saves_nothing_of_itself(store: WorkshopStore, rubric: RubricSet):
    key = store.new_founder_key()
    number = store.create_saved(key, _work(rubric, uf_free_offer=_option(rubric, "uf_free_offer", 1)))
    with pytest.raises(InvalidAnswer):
        store.save_work(key, number, WorkChange(answers={"uf_free_offer": "not_an_option"}, fields={"sector": "X"}))
    with pytest.raises(InvalidChange, match="javascript"):
        store.save_work(key, number, WorkChange(evidence={"uf_free_offer": ["javascript:alert(1)"]}))
    with pytest.raises(InvalidChange, match="business"):
        store.save_work(key, number, WorkChange(fields={"business": "x" * 201}))
    work = store.open_saved(key, number).work
    assert work.answers == {"uf_free_offer": _option(rubric, "uf_free_offer", 1)} and work.sector == ""
    assert work.evidence == {} and work.business == "Corner Bakery"


def test_clear_keeps_the_work_for_undo(store: WorkshopStore, rubric: RubricSet):
    key = store.new_founder_key()
    number = store.create_saved(key, _work(rubric, uf_free_offer=_option(rubric, "uf_free_offer", 1)))
    target = Target(kind="levels", levels={"user_first": 60})
    store.save_work(key, number, WorkChange(notes={"uf_free_offer": "why"}, fields={"target": target}))
    store.save_work(key, number, WorkChange(clear=True))
    cleared = store.open_saved(key, number)
    assert cleared.work.answers == {} and cleared.work.business == "" and cleared.work.notes == {}
    assert cleared.work.target.levels == {"user_first": 60}  # the target is not an answer: it stays
    assert cleared.undo is not None and cleared.undo.business == "Corner Bakery"
    store.save_work(key, number, WorkChange(undo=True))
    back = store.open_saved(key, number)
    assert back.work.answers == {"uf_free_offer": _option(rubric, "uf_free_offer", 1)}
    assert back.work.notes == {"uf_free_offer": "why"} and back.work.business == "Corner Bakery" and back.undo is None


def test_concurrent_changes_share_transactions_and_none_is_lost(store: WorkshopStore, rubric: RubricSet):
    """Sixteen tabs answer different questions of one assessment at once: every answer is kept."""
    key = store.new_founder_key()
    number = store.create_saved(key, _work(rubric))
    questions = [q for _, q in rubric.choice_questions()][:16]
    barrier = threading.Barrier(len(questions))
    errors: list[BaseException] = []

    def answer(question) -> None:
        barrier.wait()
        try:
            store.save_work(key, number, WorkChange(answers={question.id: question.options[1].id}))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(q,)) for q in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.open_saved(key, number).work.answers == {q.id: q.options[1].id for q in questions}
    assert store._work_saves.batches < len(questions)  # grouped: fewer transactions than saves


def test_snapshots_are_dated_copies_in_order(store: WorkshopStore, rubric: RubricSet):
    key = store.new_founder_key()
    number = store.create_saved(key, _work(rubric, uf_free_offer=_option(rubric, "uf_free_offer", 0)))
    first = store.take_snapshot(key, number)
    plan = [PlanItem(question_id="uf_free_offer", dimension="user_first", from_id=_option(rubric, "uf_free_offer", 0),
                     to_id=_option(rubric, "uf_free_offer", 1), overall_gain=1.0, dimension_gain=3.0, status="done")]
    store.save_work(key, number, WorkChange(answers={"uf_free_offer": _option(rubric, "uf_free_offer", 3)},
                                            fields={"plan": plan}))
    second = store.take_snapshot(key, number, "verdict")
    listed = store.snapshots(key, number)
    assert [(s.number, s.reason) for s in listed] == [(1, "saved"), (2, "verdict")]
    assert listed[0].work.answers == first.work.answers != second.work.answers
    assert listed[0].taken_at <= listed[1].taken_at and listed[1].progress == (1, 1)
    with pytest.raises(UnknownAssessment):
        store.snapshots(store.new_founder_key(), number)
    store.delete_saved(key, number)
    assert store.open_saved(key, number) is None and store.integrity_check() == []


def test_a_version_2_database_with_workshops_gains_the_founders_tables(database_url: str, rubric: RubricSet):
    database = Database(database_url)
    try:
        with database.write() as conn:
            assert schema.migrate(conn, target=2) == 2
            conn.execute(text("INSERT INTO organisers (key_hash, created_at) VALUES ('h', :now)"), {"now": time.time()})
        with database.read() as conn:
            assert "saved_assessments" not in inspect(conn).get_table_names()
    finally:
        database.dispose()
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        assert store.schema_version == schema.LATEST >= 4
        key = store.new_founder_key()
        assert store.create_saved(key, _work(rubric)) == 1 and store.integrity_check() == []
