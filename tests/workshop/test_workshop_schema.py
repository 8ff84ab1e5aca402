"""The schema is created on first start, versioned, reopened idempotently and migrated forward."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import insert, inspect, select, update

from assessment.models import RubricSet
from assessment.workshop import WorkshopStore, schema
from assessment.workshop.database import Database
from assessment.workshop.tokens import new_join_code, new_secret, secret_hash


def _tables_and_version(url: str) -> tuple[set[str], int, set[str]]:
    database = Database(url)
    try:
        with database.read() as conn:
            names = set(inspect(conn).get_table_names())
            version = conn.scalar(select(schema.schema_version.c.version))
            agreed_columns = {c["name"] for c in inspect(conn).get_columns("agreed_answers")}
    finally:
        database.dispose()
    return names, version, agreed_columns


def test_first_start_creates_the_schema_and_records_its_version(database_url: str) -> None:
    with WorkshopStore(database_url) as store:
        assert store.schema_version == schema.LATEST
    names, version, agreed_columns = _tables_and_version(database_url)
    assert names == {"organisers", "workshops", "participants", "answers", "agreed_answers", "schema_version",
                     "rubric_sets", "rubric_files", "revealed_questions", "answer_comments",
                     "founders", "saved_assessments", "snapshots", "join_attempts"}
    assert version == schema.LATEST and "note" in agreed_columns


def test_reopening_is_idempotent_and_keeps_data(database_url: str, rubric: RubricSet) -> None:
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
        store.join(created.join_code, "Anna")
    for _ in range(3):
        with WorkshopStore(database_url, rubrics=[rubric]) as again:
            assert again.schema_version == schema.LATEST
            info = again.facilitator(created.workshop_id, created.facilitator_key)
            assert info is not None and info.participants == 1
            assert again.integrity_check() == []


def test_an_old_database_is_migrated_forward(database_url: str, rubric: RubricSet) -> None:
    """A version-1 database (before agreed answers had notes) with data in it: opening it with
    today's store runs migration 2 and keeps everything."""
    key, organiser = new_secret(), new_secret()
    question = rubric.choice_questions()[0][1]
    database = Database(database_url)
    try:
        with database.write() as conn:
            assert schema.migrate(conn, target=1) == 1
        with database.write() as conn:
            now = time.time()
            organiser_id = conn.execute(
                insert(schema.organisers).values(key_hash=secret_hash(organiser), created_at=now)
                .returning(schema.organisers.c.id)
            ).scalar_one()
            workshop_id = conn.execute(
                insert(schema.workshops).values(
                    organiser_id=organiser_id, business="Old Cake", rubric_id=rubric.id, rubric_version=rubric.version,
                    language="en", anonymous=False, status="open", revealed=False, created_at=now,
                    join_code=new_join_code(), facilitator_key_hash=secret_hash(key), participants_joined=0,
                ).returning(schema.workshops.c.id)
            ).scalar_one()
            # Written with the version-1 columns only: no "note".
            conn.execute(insert(schema.agreed_answers).values(
                workshop_id=workshop_id, question_id=question.id, value=question.options[2].id, updated_at=now))
        _, version, agreed_columns = _tables_and_version(database_url)
        assert version == 1 and "note" not in agreed_columns
    finally:
        database.dispose()

    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        assert store.schema_version == schema.LATEST == 5
        info = store.facilitator(workshop_id, key)
        assert info is not None and info.rubric_digest is None and info.focus_question is None  # version 3's columns
        assert store.room_progress(workshop_id, key).revealed_questions == frozenset()
        assert store.agreed(workshop_id, key).values == {question.id: question.options[2].id}
        store.set_agreed(workshop_id, key, question.id, question.options[3].id, note="Migrated fine")
        assert store.agreed(workshop_id, key).notes == {question.id: "Migrated fine"}
        assert [w.business for w in store.list_workshops(organiser)] == ["Old Cake"]
        assert store.integrity_check() == []


def test_a_version_4_database_gains_the_join_throttle_table(database_url: str) -> None:
    """Version 5: the join throttle's records, added to a database that has everything up to founders' work."""
    database = Database(database_url)
    try:
        with database.write() as conn:
            assert schema.migrate(conn, target=4) == 4
            conn.execute(insert(schema.founders).values(key_hash=secret_hash(new_secret()), created_at=time.time()))
        with database.read() as conn:
            assert "join_attempts" not in inspect(conn).get_table_names()
    finally:
        database.dispose()
    with WorkshopStore(database_url) as store:
        assert store.schema_version == schema.LATEST == 5
        assert store.attempt_wait(["address=192.0.2.1"]) == 0.0
        store.record_failure("address=192.0.2.1", 900, lambda failures: 7.0 * failures)
        assert 6.0 < store.attempt_wait(["address=192.0.2.1", "address=192.0.2.2"]) <= 7.0
        assert store.integrity_check() == []
    names, version, _ = _tables_and_version(database_url)
    assert "join_attempts" in names and version == 5


def test_a_database_from_newer_code_is_refused(database_url: str) -> None:
    with WorkshopStore(database_url):
        pass
    database = Database(database_url)
    try:
        with database.write() as conn:
            conn.execute(update(schema.schema_version).values(version=schema.LATEST + 1))
    finally:
        database.dispose()
    with pytest.raises(schema.SchemaTooNew):
        WorkshopStore(database_url)


def test_integrity_check_reports_a_wrong_schema_version(database_url: str) -> None:
    with WorkshopStore(database_url) as store:
        database = Database(database_url)
        try:
            with database.write() as conn:
                conn.execute(update(schema.schema_version).values(version=1))
        finally:
            database.dispose()
        assert store.integrity_check() == [f"schema version 1, expected {schema.LATEST}"]
