"""Fixtures for the workshop tests: the store on SQLite and on PostgreSQL, each test on a fresh database.

PostgreSQL comes from ``DATABASE_URL`` (or ``TEST_DATABASE_URL``) when set;
otherwise a throw-away server is started for the session from the local
PostgreSQL binaries (as the ``postgres`` user when running as root, since
initdb refuses root), listening on 127.0.0.1 only, and stopped by its process
id. With no server at all the PostgreSQL tests are skipped, or fail when
``CI`` is set: CI must exercise both databases.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment.models import RubricSet
from assessment.workshop.settings import normalise_url
from assessment.workshop.store import WorkshopStore

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path | None:
    versions = [Path(p) for p in glob.glob(PG_BIN_GLOB) if Path(p).parent.name.isdigit()]
    found = sorted(versions, key=lambda p: int(p.parent.name))
    return found[-1] if found and (found[-1] / "initdb").exists() else None


class LocalPostgres:
    """A throw-away PostgreSQL cluster in a temporary directory, for one test session."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.pid: int | None = None
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.root, 0o700)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        def run(*args: str) -> None:
            subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

        run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--no-sync")
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=300")
        run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
            "-t", "60", "-o", options, "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        """Fast shutdown by process id; SIGKILL only if it will not go."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGINT)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    os.kill(self.pid, 0)
                    time.sleep(0.05)
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.pid = None
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str | None]:
    """A URL with the right to create databases, or None when no PostgreSQL can be had."""
    given = normalise_url(os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or "")
    if given.startswith("postgresql"):
        problem = _unreachable(given)
        if problem and os.environ.get("CI"):
            pytest.fail(f"DATABASE_URL names a PostgreSQL server that cannot be reached: {problem}")
        yield None if problem else given
        return
    bindir = _pg_bin()
    if bindir is None:
        yield None
        return
    server = LocalPostgres(bindir)
    try:
        server.start()
    except (subprocess.SubprocessError, OSError, KeyError) as exc:
        server.stop()
        if os.environ.get("CI"):
            detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace")
            pytest.fail(f"could not start a local PostgreSQL from {bindir}: {exc} {detail}")
        yield None
        return
    try:
        yield server.url
    finally:
        server.stop()


def _unreachable(url: str) -> str | None:
    """Why the server at ``url`` cannot be used, or None when it answers."""
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not reachable"
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()
    return None


def _fresh_postgres(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database (or, without CREATEDB, a new schema) and how to remove it."""
    name = f"workshop_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return url, drop
    except Exception:  # no CREATEDB right: a schema of our own instead
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        url = make_url(admin_url).update_query_dict({"options": f"-csearch_path={name}"})

        def drop_schema() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            admin.dispose()

        return url.render_as_string(hide_password=False), drop_schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workshops.sqlite3'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    if admin_url is None:
        reason = "no PostgreSQL reachable: DATABASE_URL unset or unreachable, and no local server binaries"
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL too: {reason}")
        pytest.skip(reason)
    url, drop = _fresh_postgres(admin_url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def store(database_url: str, rubric: RubricSet) -> Iterator[WorkshopStore]:
    with WorkshopStore(database_url, rubrics=[rubric]) as opened:
        yield opened
