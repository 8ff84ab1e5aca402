"""One SQLAlchemy engine, set up so SQLite and PostgreSQL behave alike under concurrent writers.

(A database engine: not :class:`assessment.engine.Engine`, the compiled rubric.)

SQLite: WAL (readers never block the writer), ``synchronous=FULL`` (an
acknowledged answer survives a crash; a commit costs one fsync), a 10 s busy
timeout, foreign keys on, and every write transaction opened with ``BEGIN
IMMEDIATE`` (SQLAlchemy's documented pysqlite recipe: the driver's own BEGIN
switched off, ours emitted in the ``begin`` event). Python's default deferred
BEGIN lets two threads read, then both write, and one update is lost or fails
with "database is locked" mid-transaction; taking the write lock first makes
read-then-write transactions serial. Writers in one process also queue on a
lock of their own, so they wake in turn instead of polling SQLite's busy
handler (which sleeps in steps of up to 100 ms). Reads open a deferred
transaction: a snapshot that never waits for a writer.

A database that is locked past the busy timeout, down, read-only or full
raises the store's :class:`DatabaseBusy` / :class:`DatabaseUnavailable`
(never the driver's error), so a page can say "not saved, retrying".

PostgreSQL: a connection pool sized for a full room of 40 writers; a
statement is a consistent snapshot under READ COMMITTED, and rows that must
not change under a write are locked explicitly (``FOR SHARE``/``UPDATE``);
reads run REPEATABLE READ, one snapshot for the whole read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Table, create_engine, event
from sqlalchemy import exc as sql_errors
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.engine import make_url

from assessment.workshop.errors import DatabaseBusy, DatabaseUnavailable, UnsupportedDatabase

BUSY_TIMEOUT_SECONDS = 10.0
_READ_ONLY = "workshop_read_only"
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
_FAULTS = (sql_errors.OperationalError, sql_errors.InterfaceError, sql_errors.TimeoutError)
"""What a database that is down, locked, full or read-only raises (not an integrity error: that is the data)."""


def database_fault(error: Exception) -> DatabaseUnavailable:
    """The store's typed error for a driver's fault: busy (locked past the busy timeout, or no pooled
    connection free in time) or unavailable (down, read-only, disk full)."""
    if isinstance(error, sql_errors.TimeoutError) or any(w in str(error).lower() for w in _BUSY_WORDS):
        return DatabaseBusy()
    return DatabaseUnavailable()


@contextmanager
def _faults_typed() -> Iterator[None]:
    try:
        yield
    except _FAULTS as exc:
        raise database_fault(exc) from exc


def make_sql_engine(url: str, echo: bool = False) -> SqlEngine:
    """A SQLAlchemy engine for ``url`` (``sqlite:///file`` or ``postgresql+psycopg://…``), configured as above."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise UnsupportedDatabase(backend="sqlite:// (in memory)")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            pool_size=8,
            max_overflow=48,
            pool_timeout=BUSY_TIMEOUT_SECONDS * 3,
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, echo=echo, pool_size=10, max_overflow=40, pool_timeout=30, pool_pre_ping=True
        )
    raise UnsupportedDatabase(backend=parsed.get_backend_name())


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN; _begin_sqlite does
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin_sqlite(conn: Connection) -> None:
    read_only = conn.get_execution_options().get(_READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _write_lock(engine: SqlEngine) -> threading.Lock:
    """One lock per SQLite file in this process, shared by every store that opens it."""
    key = str(engine.url.database)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


class Database:
    """The SQLAlchemy engine plus the two kinds of transaction the store uses."""

    def __init__(self, url: str, echo: bool = False):
        self.sql_engine = make_sql_engine(url, echo)
        self.dialect = self.sql_engine.dialect.name
        self._lock = _write_lock(self.sql_engine) if self.dialect == "sqlite" else None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A short write transaction, committed when the block ends (rolled back on an error).
        A database fault is raised as :class:`DatabaseBusy` or :class:`DatabaseUnavailable`."""
        with _faults_typed(), self._lock or nullcontext(), self.sql_engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot: every statement in the block sees the same committed state (faults typed
        as for :meth:`write`)."""
        with _faults_typed(), self.sql_engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            else:
                conn.execution_options(**{_READ_ONLY: True})
            with conn.begin():
                yield conn

    def upsert(self, table: Table, key: Sequence[str], update: Sequence[str]) -> Any:
        """``INSERT … ON CONFLICT (key) DO UPDATE SET update = excluded.update``: one statement on either database."""
        insert = sqlite.insert(table) if self.dialect == "sqlite" else postgresql.insert(table)
        return insert.on_conflict_do_update(
            index_elements=list(key), set_={name: insert.excluded[name] for name in update}
        )

    def insert_new(self, table: Table, key: Sequence[str]) -> Any:
        """``INSERT … ON CONFLICT (key) DO NOTHING``: a row that is already there (e.g. content stored
        by digest from another replica) is left as it is."""
        insert = sqlite.insert(table) if self.dialect == "sqlite" else postgresql.insert(table)
        return insert.on_conflict_do_nothing(index_elements=list(key))

    def dispose(self) -> None:
        self.sql_engine.dispose()
