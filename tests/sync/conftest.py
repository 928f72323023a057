"""Real servers for the sync tests: SQLite in a temporary folder, and the local PostgreSQL
(a fresh schema per test) when it answers; otherwise the PostgreSQL cases skip, saying why.
`opened_server` is one opened in the test's own process, for tests that drive its runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from consoleapp.sync.server.context import Server
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.settings import Settings
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


@pytest.fixture(params=["sqlite", "postgresql"])
def opened_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    urls: Iterator[str] = iter([""]) if request.param == "sqlite" else _pg_schema()
    for url in urls:
        opened = open_server(Settings(data_dir=tmp_path / "data", database_url=url, test_clock=True))
        try:
            yield opened
        finally:
            opened.store.close()
