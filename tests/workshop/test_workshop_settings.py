"""Where the database lives: environment first, then the secrets file, then <project>/var/."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from assessment.workshop import WorkshopStore
from assessment.workshop.database import Database
from assessment.workshop.settings import (
    PROJECT_ROOT,
    SQLITE_FILE,
    data_directory,
    database_url,
    normalise_url,
    read_secrets,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/w", "postgresql+psycopg://u:p@db:5432/w"),
        ("postgresql://u@db/w?sslmode=require", "postgresql+psycopg://u@db/w?sslmode=require"),
        ("postgresql+psycopg://u@db/w", "postgresql+psycopg://u@db/w"),
        (" sqlite:////tmp/x.db ", "sqlite:////tmp/x.db"),
    ],
)
def test_postgres_urls_get_the_psycopg_driver(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_database_url_wins_over_everything(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "postgresql://from/secrets"\ndata_dir = "/nowhere"\n')
    env = {"DATABASE_URL": "postgres://from/env", "ASSESSMENT_DATA_DIR": str(tmp_path)}
    assert database_url(env, secrets) == "postgresql+psycopg://from/env"
    assert database_url({"ASSESSMENT_DATA_DIR": str(tmp_path)}, secrets) == "postgresql+psycopg://from/secrets"


def test_data_dir_from_environment_then_secrets_is_created(tmp_path: Path) -> None:
    from_env, from_secrets = tmp_path / "env" / "deep", tmp_path / "secret dir"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[workshop]\ndata_dir = "{from_secrets.as_posix()}"\n')
    assert database_url({"ASSESSMENT_DATA_DIR": str(from_env)}, secrets) == f"sqlite:///{from_env / SQLITE_FILE}"
    assert from_env.is_dir()
    assert database_url({}, secrets) == f"sqlite:///{from_secrets / SQLITE_FILE}"
    assert from_secrets.is_dir()


def test_default_is_var_under_the_project(tmp_path: Path) -> None:
    assert data_directory({}, read_secrets(tmp_path / "missing.toml")) == PROJECT_ROOT / "var"


def test_store_from_environment_uses_the_data_dir(tmp_path: Path) -> None:
    with WorkshopStore.from_environment(environ={"ASSESSMENT_DATA_DIR": str(tmp_path)},
                                        secrets_path=str(tmp_path / "none.toml")) as store:
        assert store.dialect == "sqlite" and store.integrity_check() == []
    assert (tmp_path / SQLITE_FILE).exists()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        with database.read() as conn:
            assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
            assert conn.scalar(text("PRAGMA foreign_keys")) == 1
            assert conn.scalar(text("PRAGMA busy_timeout")) == 10_000
            assert conn.scalar(text("PRAGMA synchronous")) == 2  # FULL
    finally:
        database.dispose()


def test_in_memory_sqlite_and_other_databases_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkshopStore("sqlite://")
    with pytest.raises(ValueError):
        WorkshopStore("mysql://u@h/db")
