"""Alembic migrations for the server's database: the store's tables and the server's own.

`upgrade(engine)` is what `consoleapp-server migrate` (and `serve`, at start) runs. A database
made by an earlier version with `create_all` (tables, but no `alembic_version`) has any missing
table created and is then stamped at head, so it joins the migration history without a copy.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from consoleapp.store import db, schema
from consoleapp.sync.server import tables

HERE = Path(__file__).resolve().parent


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def head() -> str:
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: sa.Engine) -> str | None:
    with db.reading(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """Bring the database to the newest schema; returns (revision before, revision after).

    Everything happens in one transaction (DDL is transactional on both SQLite and
    PostgreSQL), so a failed migration leaves the database as it was.
    """
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        before = MigrationContext.configure(conn).get_current_revision()
        if before is None and _has_tables(conn):
            # Made by create_all before migrations existed: fill any gap, then adopt it.
            schema.metadata.create_all(conn)
            tables.metadata.create_all(conn)
            command.stamp(cfg, "head")
        else:
            command.upgrade(cfg, "head")
        after = MigrationContext.configure(conn).get_current_revision()
    # The log's counter row is data, not schema: seed it (INSERT ... ON CONFLICT DO NOTHING).
    db.ensure_schema(engine)
    return before, after or head()


def _has_tables(conn: sa.Connection) -> bool:
    existing = set(sa.inspect(conn).get_table_names())
    return bool(existing & (set(schema.metadata.tables) | set(tables.metadata.tables)))
