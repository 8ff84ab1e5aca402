"""Where the database lives: environment first, then the secrets file, then <project>/var/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text

from assessment.workshop import UnsupportedDatabase, WorkshopError, WorkshopStore
from assessment.workshop.database import Database
from assessment.workshop.settings import (
    DEFAULT_DATA_DIR,
    PROJECT_ROOT,
    SQLITE_FILE,
    WorkshopSettings,
    is_loopback_host,
    normalise_url,
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


def settings_from(secrets: Path) -> WorkshopSettings:
    """The settings as a deployment whose secrets file is ``secrets`` sees them."""

    class FromFile(WorkshopSettings):
        model_config = SettingsConfigDict(toml_file=secrets)

    return FromFile()


@pytest.fixture(autouse=True)
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting from the machine's environment (CI exports DATABASE_URL)."""
    for name in ("DATABASE_URL", "ASSESSMENT_DATA_DIR", "database_url", "data_dir", "DATA_DIR",
                 "ASSESSMENT_PUBLIC_URL", "ASSESSMENT_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)


def test_database_url_wins_over_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "postgresql://from/secrets"\ndata_dir = "/nowhere"\n')
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path))
    assert settings_from(secrets).store_url() == "postgresql+psycopg://from/secrets"
    monkeypatch.setenv("DATABASE_URL", "postgres://from/env")
    assert settings_from(secrets).store_url() == "postgresql+psycopg://from/env"


def test_data_dir_from_environment_then_secrets_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_env, from_secrets = tmp_path / "env" / "deep", tmp_path / "secret dir"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[workshop]\ndata_dir = "{from_secrets.as_posix()}"\n')
    assert settings_from(secrets).store_url() == f"sqlite:///{from_secrets / SQLITE_FILE}"
    assert from_secrets.is_dir()
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(from_env))
    assert settings_from(secrets).store_url() == f"sqlite:///{from_env / SQLITE_FILE}"
    assert from_env.is_dir()


def test_workshop_table_overlays_the_top_level(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "postgresql://top/level"\n[workshop]\ndatabase_url = "postgres://workshop/table"\n')
    assert settings_from(secrets).database_url == "postgresql+psycopg://workshop/table"


def test_only_the_exact_names_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment variables by their names only; the secrets file by the settings' names only;
    an empty value is no value."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql://wrong/name"\nASSESSMENT_DATA_DIR = "/wrong/name"\n')
    for name, value in (("database_url", "postgres://lower/case"), ("data_dir", "/lower"), ("DATA_DIR", "/short"),
                        ("DATABASE_URL", "")):
        monkeypatch.setenv(name, value)
    settings = settings_from(secrets)
    assert settings.database_url is None and settings.data_dir == DEFAULT_DATA_DIR


def test_default_is_var_under_the_project(tmp_path: Path) -> None:
    assert DEFAULT_DATA_DIR == PROJECT_ROOT / "var"
    assert settings_from(tmp_path / "missing.toml").data_dir == PROJECT_ROOT / "var"


def test_store_from_environment_uses_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path))
    with WorkshopStore.from_environment(settings=settings_from(tmp_path / "none.toml")) as store:
        assert store.dialect == "sqlite" and store.integrity_check() == []
    assert (tmp_path / SQLITE_FILE).exists()
    given = tmp_path / "given"
    with WorkshopStore.from_environment(settings=WorkshopSettings(ASSESSMENT_DATA_DIR=str(given))) as store:
        assert store.url == f"sqlite:///{given / SQLITE_FILE}"


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
    with pytest.raises(UnsupportedDatabase, match="in memory") as in_memory:
        WorkshopStore("sqlite://")
    with pytest.raises(UnsupportedDatabase, match="'mysql'") as other:
        WorkshopStore("mysql://u:secret@h/db")
    for refused in (in_memory.value, other.value):
        assert isinstance(refused, WorkshopError) and isinstance(refused, ValueError)
        assert "secret" not in refused.message("en") + refused.message("zh")


def test_the_public_url_comes_from_the_environment_or_the_secrets_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[workshop]\npublic_url = "https://workshop.example.org/room/"\n')
    assert settings_from(secrets).public_url == "https://workshop.example.org/room"  # no trailing slash
    monkeypatch.setenv("ASSESSMENT_PUBLIC_URL", "http://10.0.0.5:8501")
    assert settings_from(secrets).public_url == "http://10.0.0.5:8501"
    assert settings_from(tmp_path / "none.toml").public_url == "http://10.0.0.5:8501"
    monkeypatch.setenv("ASSESSMENT_PUBLIC_URL", "")
    assert settings_from(tmp_path / "none.toml").public_url is None


@pytest.mark.parametrize("bad", ["workshop.example.org", "ftp://example.org", "https://"])
def test_a_public_url_that_is_not_a_web_address_is_refused_with_its_name(bad: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_PUBLIC_URL", bad)
    with pytest.raises(ValidationError, match="public_url must be an http"):
        WorkshopSettings()


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("127.0.0.1", True), ("127.8.0.2", True), ("[::1]", True), ("::1", True),
    ("app.localhost", True), ("10.0.0.5", False), ("workshop.example.org", False), ("", False), (None, False),
])
def test_loopback_hosts_are_recognised(host: str | None, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_trusted_proxies_default_to_loopback_and_are_read_and_checked(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert [str(n) for n in settings_from(tmp_path / "none.toml").proxy_networks()] == ["127.0.0.0/8", "::1/128"]
    monkeypatch.setenv("ASSESSMENT_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
    assert [str(n) for n in WorkshopSettings().proxy_networks()] == ["10.0.0.0/8", "192.0.2.7/32"]
    monkeypatch.setenv("ASSESSMENT_TRUSTED_PROXIES", "none")
    assert WorkshopSettings().proxy_networks() == []
    monkeypatch.setenv("ASSESSMENT_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example")
    with pytest.raises(ValidationError, match=re.escape("trusted_proxies: 'proxy.example'")):
        WorkshopSettings()
