"""Every pull reads through `event_audience`; the table is derived from the log, so one missing or
emptied is rebuilt from the log at start, saying so, never served empty (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.demo import dataset
from consoleapp.store import db
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.settings import Settings
from consoleapp.sync.server.tables import event_audience

from .live import LiveServer

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    dataset.build(data, now=NOW)
    return data


def rows(settings: Settings) -> list[tuple[str, int]]:
    engine = db.create(settings.url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(event_audience.c.person, event_audience.c.position)
                                 .order_by(event_audience.c.position, event_audience.c.person))
            return [(str(person), int(position)) for person, position in found]
    finally:
        engine.dispose()


def damage(settings: Settings, how: str) -> None:
    engine = db.create(settings.url)
    try:
        with engine.begin() as conn:
            if how == "dropped":
                event_audience.drop(conn)
            else:
                conn.execute(sa.delete(event_audience))
    finally:
        engine.dispose()


@pytest.mark.parametrize(("how", "why"), [("dropped", "rebuilding event_audience from the log: event_audience is missing"),
                                          ("emptied", "rebuilt event_audience from the log (it was empty)")])
def test_a_missing_or_emptied_audience_table_is_rebuilt_from_the_log_as_the_writes_made_it(
        demo_dir: Path, tmp_path: Path, how: str, why: str, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "consoleapp.db").write_bytes((demo_dir / "consoleapp.db").read_bytes())
    settings = Settings(data_dir=data)
    written = rows(settings)
    assert len(written) > 1000  # a year of the demo's sessions
    damage(settings, how)
    with caplog.at_level(logging.WARNING, logger="consoleapp.server"):
        server = open_server(settings)
    server.store.close()
    assert why in caplog.text
    assert "rebuilt event_audience from the log" in caplog.text
    assert rows(settings) == written
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="consoleapp.server"):
        open_server(settings).store.close()  # sound now: nothing is rebuilt again
    assert "event_audience" not in caplog.text


def test_a_desktops_first_pull_after_the_audience_table_was_lost_is_what_it_was(any_server: LiveServer) -> None:
    _, operator = any_server.operator()
    _, expert = any_server.register("expert")
    carl, _ = any_server.register("customer")
    push = {"client_id": "desk-0001", "schema_version": 1, "commands": [
        {"seq": 1, "command_id": "c1", "name": "SetOffers", "args": {"mode": "video", "per_minute": 2}}]}
    assert any_server.call(expert, "POST", "/sync/push", json=push).status_code == 200
    grant = any_server.call(operator, "POST", "/operator/grants", json={"customer": carl, "amount": 50, "reason": "x"})
    assert grant.status_code == 201

    def pulled() -> list[tuple[str, int]]:
        r = any_server.call(expert, "POST", "/sync/pull", json={"client_id": "desk-0002", "cursor": ""})
        assert r.status_code == 200, r.text
        return [(ch["kind"], ch["position"]) for ch in r.json()["changes"]]

    before = pulled()
    assert [kind for kind, _ in before] == ["AccountOpened", "OffersSet"]  # not the customer's grant
    any_server.stop()
    damage(any_server.settings, "dropped")
    any_server.start()
    assert pulled() == before


def test_a_new_servers_log_that_concerns_nobody_yet_leaves_the_table_empty_and_says_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A new server's scheduler runs the day's payouts at once: a run that paid nobody concerns no
    desktop (operators only), so the log holds an event and the table rightly no row."""
    from consoleapp.engine import commands as c
    from consoleapp.engine.model import SYSTEM

    settings = Settings(data_dir=tmp_path / "data")
    with caplog.at_level(logging.WARNING, logger="consoleapp.server"):
        server = open_server(settings)  # a new database: the table is created with the others
        server.runner.one(c.RunPayouts(actor=SYSTEM, day="2001-01-01"))  # long past, whenever the test runs
        server.store.close()
        open_server(settings).store.close()
    assert rows(settings) == []
    assert "event_audience" not in caplog.text
