"""Where the workshop database lives: one URL, from the environment or the app's secrets file.

Order (first found wins): ``DATABASE_URL``; ``database_url`` in
``.streamlit/secrets.toml`` (top level or under ``[workshop]``);
``ASSESSMENT_DATA_DIR``; ``data_dir`` in the secrets file; ``<project>/var/``.
Without a database URL the store is a SQLite file in that data directory,
created if missing. The secrets file is read with :mod:`tomllib`, so the core
never imports Streamlit.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SQLITE_FILE = "workshops.sqlite3"
_POSTGRES_PREFIXES = ("postgres://", "postgresql://", "postgresql+psycopg2://")


def normalise_url(url: str) -> str:
    """Hosting services hand out ``postgres://`` URLs; SQLAlchemy needs a driver: psycopg 3."""
    url = url.strip()
    for prefix in _POSTGRES_PREFIXES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(data_dir: str | Path) -> str:
    """The SQLite URL for the store file in ``data_dir``, creating the directory."""
    directory = Path(data_dir).expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / SQLITE_FILE}"


def read_secrets(path: str | Path = SECRETS_FILE) -> dict[str, Any]:
    """The workshop settings in the secrets file: its top level, overlaid by ``[workshop]``."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    section = data.get("workshop")
    return {**data, **section} if isinstance(section, dict) else data


def database_url(
    environ: Mapping[str, str] | None = None, secrets_path: str | Path = SECRETS_FILE
) -> str:
    """The database URL this deployment uses (see the module's docstring for the order)."""
    env = os.environ if environ is None else environ
    secrets = read_secrets(secrets_path)
    url = env.get("DATABASE_URL") or secrets.get("database_url")
    if url:
        return normalise_url(str(url))
    return sqlite_url(data_directory(env, secrets))


def data_directory(environ: Mapping[str, str], secrets: Mapping[str, Any]) -> Path:
    """Where the SQLite file goes when no database URL is given (not created here)."""
    return Path(environ.get("ASSESSMENT_DATA_DIR") or secrets.get("data_dir") or PROJECT_ROOT / "var")
