"""The store's tables (SQLAlchemy Core) and the ordered migrations that build them.

Workshops since version 1; the room (rubric sets by digest, reveals, comments) since version 3; founders' own
assessments and snapshots since version 4 (:mod:`assessment.workshop.schema_founders`); wrong join codes per
client address since version 5 (the join throttle, shared by every replica).

``TABLES`` describes the newest schema and is what queries use. Each migration
is a function of a connection inside one transaction; the ``schema_version``
table holds how many have run. A migration writes its own DDL (never
``TABLES.create_all``), so migrating an old database replays exactly what a
new one got. Times are UTC seconds since the epoch (a float): the same on both
databases, compared and converted in bulk without parsing text.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy import text as sql_text

from assessment.workshop.errors import SchemaTooNew
from assessment.workshop.schema_founders import create_founder_tables, founder_tables

NAME_MAX = 80
BUSINESS_MAX = 200
VALUE_MAX = 64
NOTE_MAX = 2000
COMMENT_MAX = 500
FILE_NAME_MAX = 255
DIGEST_LENGTH = 64
HASH_LENGTH = 64
MIGRATION_LOCK = 7_331_409
"""PostgreSQL advisory lock taken while migrating, so two app processes starting together take turns."""


def _tables_v1(metadata: MetaData) -> dict[str, Table]:
    """The first schema. Kept as it was: later versions change it only in later migrations."""
    organisers = Table(
        "organisers", metadata,
        Column("id", Integer, primary_key=True),
        Column("key_hash", String(HASH_LENGTH), nullable=False, unique=True),
        Column("created_at", Float, nullable=False),
    )
    participants = Table(
        "participants", metadata,
        Column("id", Integer, primary_key=True),
        Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        Column("number", Integer, nullable=False),
        Column("display_name", String(NAME_MAX), nullable=False),
        Column("role", String(NAME_MAX)),
        Column("resume_token_hash", String(HASH_LENGTH), nullable=False, unique=True),
        Column("joined_at", Float, nullable=False),
        UniqueConstraint("workshop_id", "number", name="uq_participants_number"),
        UniqueConstraint("workshop_id", "id", name="uq_participants_workshop"),
    )
    tables = (organisers, _workshops_v1(metadata), participants, *_answers_v1(metadata))
    return {t.name: t for t in tables}


def _workshops_v1(metadata: MetaData) -> Table:
    return Table(
        "workshops", metadata,
        Column("id", Integer, primary_key=True),
        Column("organiser_id", Integer, ForeignKey("organisers.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("business", String(BUSINESS_MAX), nullable=False),
        Column("sector", String(BUSINESS_MAX)),
        Column("rubric_id", String(64), nullable=False),
        Column("rubric_version", String(20), nullable=False),
        Column("language", String(8), nullable=False),
        Column("deadline", Float),
        Column("anonymous", Boolean, nullable=False),
        Column("status", String(8), CheckConstraint("status IN ('open', 'closed')", name="ck_workshops_status"),
               nullable=False),
        Column("revealed", Boolean, nullable=False),
        Column("created_at", Float, nullable=False),
        Column("join_code", String(16), nullable=False, unique=True),
        Column("facilitator_key_hash", String(HASH_LENGTH), nullable=False),
        Column("participants_joined", Integer, nullable=False),
    )


def _answers_v1(metadata: MetaData) -> tuple[Table, Table]:
    answers = Table(
        "answers", metadata,
        Column("workshop_id", Integer, nullable=False),
        Column("participant_id", Integer, nullable=False),
        Column("question_id", String(64), nullable=False),
        Column("value", String(VALUE_MAX), nullable=False),
        Column("updated_at", Float, nullable=False),
        UniqueConstraint("workshop_id", "participant_id", "question_id", name="uq_answers_key"),
        # An answer's workshop is its participant's workshop: the database itself keeps them together.
        ForeignKeyConstraint(["workshop_id", "participant_id"], ["participants.workshop_id", "participants.id"],
                             ondelete="CASCADE", name="fk_answers_participant"),
        ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE", name="fk_answers_workshop"),
    )
    agreed = Table(
        "agreed_answers", metadata,
        Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        Column("question_id", String(64), nullable=False),
        Column("value", String(VALUE_MAX), nullable=False),
        Column("updated_at", Float, nullable=False),
        UniqueConstraint("workshop_id", "question_id", name="uq_agreed_key"),
    )
    return answers, agreed


def _tables_v3(metadata: MetaData) -> dict[str, Table]:
    """The room (version 3): rubric sets by digest, questions revealed one by one, participants' comments."""
    rubric_sets = Table(
        "rubric_sets", metadata,
        Column("digest", String(DIGEST_LENGTH), primary_key=True),
        Column("rubric_id", String(64), nullable=False),
        Column("rubric_version", String(20), nullable=False),
        Column("created_at", Float, nullable=False),
    )
    rubric_files = Table(
        "rubric_files", metadata,
        Column("digest", String(DIGEST_LENGTH), ForeignKey("rubric_sets.digest", ondelete="CASCADE"), nullable=False),
        Column("name", String(FILE_NAME_MAX), nullable=False),
        Column("content", LargeBinary, nullable=False),
        PrimaryKeyConstraint("digest", "name", name="pk_rubric_files"),
    )
    revealed = Table(
        "revealed_questions", metadata,
        Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        Column("question_id", String(64), nullable=False),
        PrimaryKeyConstraint("workshop_id", "question_id", name="pk_revealed_questions"),
    )
    comments = Table(
        "answer_comments", metadata,
        Column("workshop_id", Integer, nullable=False),
        Column("participant_id", Integer, nullable=False),
        Column("question_id", String(64), nullable=False),
        Column("comment", Text, nullable=False),
        Column("updated_at", Float, nullable=False),
        PrimaryKeyConstraint("workshop_id", "participant_id", "question_id", name="pk_answer_comments"),
        ForeignKeyConstraint(["workshop_id", "participant_id"], ["participants.workshop_id", "participants.id"],
                             ondelete="CASCADE", name="fk_comments_participant"),
    )
    return {t.name: t for t in (rubric_sets, rubric_files, revealed, comments)}


_V3_COLUMNS = {
    "workshops": (("rubric_digest", String(DIGEST_LENGTH), "VARCHAR(64)"),
                  ("focus_question", String(64), "VARCHAR(64)"),
                  ("timer_ends_at", Float, "FLOAT")),
    "participants": (("finished_at", Float, "FLOAT"),),
}
"""Version 3's new columns on old tables: name, SQLAlchemy type, DDL type (all nullable)."""


def _tables_v5(metadata: MetaData) -> Table:
    """Version 5: the join throttle's records, one per (hashed) key: a client address, or an address and a
    workshop's code prefix. Kept in the database so every replica sees them and a reconnect resets nothing."""
    return Table(
        "join_attempts", metadata,
        Column("key_hash", String(HASH_LENGTH), primary_key=True),
        Column("failures", Integer, nullable=False),
        Column("blocked_until", Float, nullable=False),
        Column("last_seen", Float, nullable=False, index=True),
    )


def _tables_latest() -> MetaData:
    metadata = MetaData()
    tables = _tables_v1(metadata)
    tables["agreed_answers"].append_column(Column("note", Text))  # version 2
    for table, columns in _V3_COLUMNS.items():  # version 3
        for name, kind, _ in columns:
            tables[table].append_column(Column(name, kind))
    _tables_v3(metadata)
    founder_tables(metadata)  # version 4
    _tables_v5(metadata)
    return metadata


TABLES = _tables_latest()
organisers = TABLES.tables["organisers"]
workshops = TABLES.tables["workshops"]
participants = TABLES.tables["participants"]
answer_rows = TABLES.tables["answers"]
agreed_answers = TABLES.tables["agreed_answers"]
founders = TABLES.tables["founders"]
saved_assessments = TABLES.tables["saved_assessments"]
snapshots = TABLES.tables["snapshots"]
rubric_sets = TABLES.tables["rubric_sets"]
rubric_files = TABLES.tables["rubric_files"]
revealed_questions = TABLES.tables["revealed_questions"]
answer_comments = TABLES.tables["answer_comments"]
join_attempts = TABLES.tables["join_attempts"]

schema_version = Table(
    "schema_version", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)


def _create_v1(conn: Connection) -> None:
    _tables_v1(metadata := MetaData())
    metadata.create_all(conn)


def _add_agreed_note(conn: Connection) -> None:
    """Version 2: the room's reason for an agreed answer, kept beside it."""
    conn.execute(sql_text("ALTER TABLE agreed_answers ADD COLUMN note TEXT"))


def _add_room(conn: Connection) -> None:
    """Version 3: a workshop pinned to a rubric set stored by digest, the presenter's question and timer,
    questions revealed one by one, participants who are done, and their comments."""
    for table, columns in _V3_COLUMNS.items():
        for name, _, ddl in columns:
            conn.execute(sql_text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))
    metadata = MetaData()
    _tables_v1(metadata)  # the tables the new ones refer to
    metadata.create_all(conn, tables=list(_tables_v3(metadata).values()))


def _add_join_attempts(conn: Connection) -> None:
    """Version 5: the join throttle's table (it refers to no other)."""
    _tables_v5(MetaData()).create(conn)


SchemaStep = Callable[[Connection], None]
MIGRATIONS: tuple[SchemaStep, ...] = (
    _create_v1, _add_agreed_note, _add_room, create_founder_tables, _add_join_attempts,
)
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The schema version stored in ``conn``'s database (0 when it has none yet)."""
    schema_version.create(conn, checkfirst=True)
    version = conn.scalar(select(schema_version.c.version).where(schema_version.c.id == 1))
    if version is None:
        conn.execute(insert(schema_version).values(id=1, version=0))
        return 0
    return int(version)


def migrate(conn: Connection, target: int = LATEST) -> int:
    """Run the migrations after the stored version up to ``target``, in the caller's transaction.

    Returns the version reached. Idempotent: a database already at ``target`` is untouched.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    version = current_version(conn)
    if version > LATEST:
        raise SchemaTooNew(version=version, latest=LATEST)
    for number in range(version + 1, target + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(update(schema_version).where(schema_version.c.id == 1).values(version=number))
    return max(version, target)
