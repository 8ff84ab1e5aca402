"""Issue 11, item 12: a locked, full, read-only or unreachable database gives the store's typed errors
(DatabaseBusy / DatabaseUnavailable, with words in English and Chinese), never the driver's OperationalError;
nothing half-written is left, and the same store works again when the database is back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from assessment.models import RubricSet
from assessment.workshop import DatabaseBusy, DatabaseUnavailable, WorkshopError, WorkshopStore, database
from assessment.workshop.database import database_fault


@pytest.fixture
def sqlite_store(tmp_path: Path, rubric: RubricSet, monkeypatch: pytest.MonkeyPatch) -> Iterator[WorkshopStore]:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.2)  # a lock outlasts it quickly
    with WorkshopStore(f"sqlite:///{tmp_path / 'w.sqlite3'}", rubrics=[rubric]) as store:
        yield store


def _participant(store: WorkshopStore, rubric: RubricSet) -> tuple[str, str, str]:
    created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
    token = store.join(created.join_code, "Ana").resume_token
    question = rubric.choice_questions()[0][1]
    return token, question.id, question.options[1].id


def _on_connect(store: WorkshopStore, pragma: str) -> object:
    """Every new connection of the store runs ``pragma`` (the pool is emptied first)."""
    def run(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(pragma)

    store.dispose()
    event.listen(store._db.sql_engine, "connect", run)
    return run


def _back_to_normal(store: WorkshopStore, listener: object) -> None:
    event.remove(store._db.sql_engine, "connect", listener)
    store.dispose()


def test_a_lock_held_past_the_busy_timeout_is_busy_then_saves(sqlite_store: WorkshopStore, rubric: RubricSet) -> None:
    token, question, option = _participant(sqlite_store, rubric)
    path = sqlite_store._db.sql_engine.url.database
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseBusy) as busy:
            sqlite_store.save_answer(token, question, option)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "database is busy" in str(busy.value) and "数据库正忙" in busy.value.message("zh")
    assert busy.value.reason("en") == "the database is busy"
    sqlite_store.save_answer(token, question, option)  # the lock is gone: the same call goes through
    assert sqlite_store.participant_answers(token) == {question: option}


@pytest.mark.parametrize("pragma", ["PRAGMA query_only = ON", "PRAGMA max_page_count = 1"])
def test_a_read_only_or_full_database_is_unavailable_and_nothing_is_half_written(
        sqlite_store: WorkshopStore, rubric: RubricSet, pragma: str) -> None:
    token, question, option = _participant(sqlite_store, rubric)
    listener = _on_connect(sqlite_store, pragma)
    try:
        with pytest.raises(DatabaseUnavailable) as fault:
            sqlite_store.save_answer(token, question, option)
            for _, each in rubric.choice_questions():  # a full database refuses once a new page is needed
                sqlite_store.save_comment(token, each.id, "x" * 500)
    finally:
        _back_to_normal(sqlite_store, listener)
    assert not isinstance(fault.value, DatabaseBusy) and "unavailable" in str(fault.value)
    assert isinstance(fault.value, WorkshopError) and "OperationalError" not in str(fault.value)
    sqlite_store.save_answer(token, question, option)
    assert sqlite_store.participant_answers(token) == {question: option}
    assert sqlite_store.integrity_check() == []


def test_an_unreachable_server_is_unavailable_for_reads_and_writes(sqlite_store: WorkshopStore,
                                                                   rubric: RubricSet) -> None:
    token, question, option = _participant(sqlite_store, rubric)
    working = sqlite_store._db.sql_engine
    sqlite_store._db.sql_engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none",
                                                connect_args={"connect_timeout": 2})
    try:
        for call in (lambda: sqlite_store.save_answer(token, question, option), lambda: sqlite_store.resume(token),
                     sqlite_store.ping):
            with pytest.raises(DatabaseUnavailable):
                call()
    finally:
        sqlite_store._db.sql_engine.dispose()
        sqlite_store._db.sql_engine = working
    sqlite_store.ping()
    assert sqlite_store.resume(token) is not None


def test_a_store_cannot_start_on_a_database_that_is_down() -> None:
    with pytest.raises(DatabaseUnavailable):
        WorkshopStore("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


def test_faults_are_told_apart_by_the_drivers_words() -> None:
    from sqlalchemy import exc

    locked = exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    full = exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    assert type(database_fault(locked)) is DatabaseBusy
    assert type(database_fault(full)) is DatabaseUnavailable
    assert type(database_fault(exc.TimeoutError("QueuePool limit"))) is DatabaseBusy
