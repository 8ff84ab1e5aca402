"""The founders' tables (schema version 4): their own assessments and the snapshots of each.

A founder is known only by the hash of their private key (the ``?a=`` of their
link). Each assessment is one JSON document (:class:`assessment.saved_work.SavedWork`)
changed a little at a time; ``undo`` holds the document the last *Clear*
replaced. A snapshot is a copy of the document at one moment (its plan
progress included). Deleting a founder or an assessment deletes what hangs from it.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

_HASH_LENGTH = 64


def founder_tables(metadata: MetaData) -> dict[str, Table]:
    """The three tables, added to ``metadata`` as version 4 created them."""
    founders = Table(
        "founders", metadata,
        Column("id", Integer, primary_key=True),
        Column("key_hash", String(_HASH_LENGTH), nullable=False, unique=True),
        Column("created_at", Float, nullable=False),
    )
    saved = Table(
        "saved_assessments", metadata,
        Column("id", Integer, primary_key=True),
        Column("founder_id", Integer, ForeignKey("founders.id", ondelete="CASCADE"), nullable=False),
        Column("number", Integer, nullable=False),
        Column("document", Text, nullable=False),
        Column("undo", Text),
        Column("created_at", Float, nullable=False),
        Column("updated_at", Float, nullable=False),
        UniqueConstraint("founder_id", "number", name="uq_saved_number"),
    )
    snapshots = Table(
        "snapshots", metadata,
        Column("id", Integer, primary_key=True),
        Column("assessment_id", Integer, ForeignKey("saved_assessments.id", ondelete="CASCADE"), nullable=False),
        Column("number", Integer, nullable=False),
        Column("taken_at", Float, nullable=False),
        Column("reason", String(16), CheckConstraint("reason IN ('saved', 'verdict')", name="ck_snapshots_reason"),
               nullable=False),
        Column("document", Text, nullable=False),
        UniqueConstraint("assessment_id", "number", name="uq_snapshots_number"),
    )
    return {t.name: t for t in (founders, saved, snapshots)}


def create_founder_tables(conn: Connection) -> None:
    """Version 4: the founders' assessments and snapshots."""
    founder_tables(metadata := MetaData())
    metadata.create_all(conn)
