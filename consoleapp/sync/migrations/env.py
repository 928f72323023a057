"""Alembic environment: both metadata objects, on the connection `migrate()` hands over.

Run programmatically by `consoleapp.sync.server.backup`'s neighbour `cli.migrate`; the
connection arrives in `config.attributes["connection"]`. Run from the alembic command line
(`alembic -c ...`), it connects to `sqlalchemy.url` or CONSOLEAPP_DATABASE_URL instead.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context

from consoleapp.store import schema
from consoleapp.sync.server import tables

config = context.config
target_metadata = [schema.metadata, tables.metadata]


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite is a table copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("CONSOLEAPP_DATABASE_URL", "")
    if not url:
        raise SystemExit("set sqlalchemy.url or CONSOLEAPP_DATABASE_URL")
    return url


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from consoleapp.store import db

    engine = db.create(_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
