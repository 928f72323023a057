"""Real servers for the sync tests: SQLite in a temporary folder, and the local PostgreSQL
(a fresh schema per test) when it answers; otherwise the PostgreSQL cases skip, saying why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.conftest import _pg_schema

from .live import LiveServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "data").start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[LiveServer]:
    yield from _pg(tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        live = LiveServer(tmp_path / "data").start()
        try:
            yield live
        finally:
            live.stop()
    else:
        yield from _pg(tmp_path)


def _pg(tmp_path: Path) -> Iterator[LiveServer]:
    for url in _pg_schema():
        live = LiveServer(tmp_path / "data", database_url=url).start()
        try:
            yield live
        finally:
            live.stop()
