"""Is the database sound? The checks an operator (or a test) runs against the store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import text as sql_text

from assessment.workshop import schema
from assessment.workshop.store.base import StoreBase


class Health(StoreBase):
    """The store's self-check."""

    def ping(self) -> None:
        """One round trip (``SELECT 1``): returns when the database answers, else DatabaseUnavailable."""
        with self._db.read() as conn:
            conn.execute(sql_text("SELECT 1"))

    def integrity_check(self) -> list[str]:
        """Problems found in the database (empty when healthy): SQLite's own integrity and
        foreign-key checks, or a round trip on PostgreSQL; and the schema version on both."""
        problems: list[str] = []
        with self._db.read() as conn:
            if self.dialect == "sqlite":
                result = [r[0] for r in conn.execute(sql_text("PRAGMA integrity_check")).all()]
                if result != ["ok"]:
                    problems += [f"integrity_check: {line}" for line in result]
                broken = conn.execute(sql_text("PRAGMA foreign_key_check"))
                problems += [f"foreign key broken: {tuple(r)}" for r in broken]
            elif conn.scalar(sql_text("SELECT 1")) != 1:
                problems.append("the server did not answer SELECT 1")
            version = conn.scalar(select(schema.schema_version.c.version))
        if version != schema.LATEST:
            problems.append(f"schema version {version}, expected {schema.LATEST}")
        return problems
