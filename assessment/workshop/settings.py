"""Where the workshop database lives, and the address participants reach the app at.

Order (first found wins, per setting): ``DATABASE_URL``; ``database_url`` in
``.streamlit/secrets.toml`` (top level or under ``[workshop]``);
``ASSESSMENT_DATA_DIR``; ``data_dir`` in the secrets file; ``<project>/var/``.
The public base URL of join and facilitator links: ``ASSESSMENT_PUBLIC_URL``,
then ``public_url`` in the secrets file (none: links use the browser's host). The reverse proxies whose
``X-Forwarded-For`` names the client (the join throttle's key): ``ASSESSMENT_TRUSTED_PROXIES``, comma-separated
addresses or networks (default loopback; ``none`` trusts none).
Without a database URL the store is a SQLite file in that data directory,
created if missing. pydantic-settings reads both sources (the secrets file with
:mod:`tomllib`), so the core never imports Streamlit. An empty value counts as
not given.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"
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


def is_loopback_host(host: str | None) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1: an address that only this machine reaches."""
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def base_url(url: str) -> str:
    """``scheme://host[:port][/path]`` of a URL, without a trailing slash, query or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _proxy_parts(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip() and p.strip().lower() != "none"]


class WorkshopSettings(BaseSettings):
    """The store's settings: environment variables first, then the secrets file, then defaults.

    Each setting is given by its environment variable's name, exactly (also as a keyword:
    ``WorkshopSettings(ASSESSMENT_DATA_DIR=…)``), and in the secrets file by its field name. The
    secrets file is ``model_config["toml_file"]``; a subclass names another one (the tests do).
    """

    model_config = SettingsConfigDict(
        case_sensitive=True,
        env_ignore_empty=True,
        extra="ignore",
        toml_file=SECRETS_FILE,
    )

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, validation_alias="ASSESSMENT_DATA_DIR")
    public_url: str | None = Field(default=None, validation_alias="ASSESSMENT_PUBLIC_URL")
    """The address participants open the app at (e.g. ``https://workshop.example.org``); links are built on it."""

    trusted_proxies: str = Field(default="127.0.0.0/8,::1/128", validation_alias="ASSESSMENT_TRUSTED_PROXIES")
    """Comma-separated addresses or networks of reverse proxies whose ``X-Forwarded-For`` is believed."""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        if isinstance(value, str):
            for part in _proxy_parts(value):
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(f"trusted_proxies: {part[:60]!r} is not an address or network") from None
        return value

    def proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """The trusted proxies as networks (empty: no header is believed)."""
        return [ipaddress.ip_network(part, strict=False) for part in _proxy_parts(self.trusted_proxies)]

    @field_validator("database_url", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        if isinstance(value, str):
            return normalise_url(value) or None
        return value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"public_url must be an http:// or https:// address with a host (got {value[:80]!r})")
        return base_url(value.strip())

    @field_validator("data_dir", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        return DEFAULT_DATA_DIR if isinstance(value, str) and not value.strip() else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _SecretsFile(settings_cls)

    def store_url(self) -> str:
        """The database URL this deployment uses: the one given, or the SQLite file under the data dir."""
        return self.database_url or sqlite_url(self.data_dir)


class _SecretsFile(TomlConfigSettingsSource):
    """The secrets file's workshop settings: its top level, overlaid by its ``[workshop]`` table.

    Only the fields' names are read there (``database_url``, ``data_dir``), never the
    environment variables' names; a missing file gives nothing.
    """

    def _read_file(self, file_path: Path) -> dict[str, Any]:
        data = super()._read_file(file_path)
        section = data.get("workshop")
        merged = {**data, **section} if isinstance(section, dict) else data
        fields = WorkshopSettings.model_fields
        return {str(field.validation_alias): merged[name] for name, field in fields.items() if name in merged}
