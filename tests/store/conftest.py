"""Databases for the store tests: a fresh SQLite file, and a fresh PostgreSQL schema when the
local server (or CONSOLEAPP_TEST_PG) answers; otherwise the PostgreSQL cases skip, saying why."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.store import Store
from tests.store.twin import Twin

PG_URL = os.environ.get("CONSOLEAPP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_schema() -> Iterator[str]:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as err:  # the driver missing or the server down: both mean skip
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {type(err).__name__}: {err}".splitlines()[0])
    name = f"store_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        separator = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{separator}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'console.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'console.db'}"
    else:
        yield from _pg_schema()


@pytest.fixture
def twin(url: str) -> Iterator[Twin]:
    """A scenario run on the engine and through a store on `url` (both databases)."""
    store = Store.open(url)
    yield Twin(store=store)
    store.close()
