"""`consoleapp-server verify`: the full replay of the log, on demand, against every table a self-hoster's
server reads (the projections, the ledger's rows, the pulls' scope); `--repair` rebuilds them from the log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.demo import dataset
from consoleapp.store import db, schema
from consoleapp.sync.server.tables import event_audience

from .live import LiveServer
from .test_cli import run_cli

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    dataset.build(data, now=NOW)
    return data / "consoleapp.db"


def test_r32_verify_says_the_tables_match_then_names_what_was_changed_and_repair_rebuilds_it(
        demo_db: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "consoleapp.db").write_bytes(demo_db.read_bytes())
    clean = run_cli("verify", data_dir=data)
    assert clean.returncode == 0, clean.stderr
    assert "the tables match the log's" in clean.stdout

    engine = db.create(f"sqlite:///{data / 'consoleapp.db'}")
    with engine.begin() as conn:
        m = schema.meetings.c
        some = conn.execute(sa.select(m.id, m.record).order_by(m.id).limit(1)).one()
        conn.execute(sa.update(schema.meetings).where(m.id == some.id)
                     .values(record=some.record.replace('"topic":"', '"topic":"changed by hand ')))
        a = event_audience.c
        first = conn.execute(sa.select(a.person, a.position).order_by(a.position).limit(1)).one()
        conn.execute(sa.delete(event_audience).where(a.person == first.person, a.position == first.position))
    engine.dispose()

    found = run_cli("verify", data_dir=data)
    assert found.returncode == 1, found.stdout + found.stderr
    topic = json.loads(some.record)["topic"]
    # The field changed by hand, not the whole record twice.
    assert f"meetings {some.id}: record.topic is {'changed by hand ' + topic!r}, the log says {topic!r}" \
        in found.stdout
    assert f"event_audience: 1 row(s) missing: {first.person} at {first.position}" in found.stdout
    assert "verify --repair" in found.stdout

    repaired = run_cli("verify", "--repair", data_dir=data)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "repaired from the log; 0 left" in repaired.stdout
    again = run_cli("verify", data_dir=data)
    assert again.returncode == 0 and "the tables match" in again.stdout


def test_verify_repair_refuses_while_a_server_has_the_database(demo_db: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "consoleapp.db").write_bytes(demo_db.read_bytes())
    live = LiveServer(data).start()
    try:
        refused = run_cli("verify", "--repair", data_dir=data)
        assert refused.returncode == 1
        assert "stop it before repairing" in refused.stderr
        checked = run_cli("verify", data_dir=data)  # the check itself only reads
        assert checked.returncode == 0, checked.stdout + checked.stderr
    finally:
        live.stop()


def test_verify_says_where_no_database_is(tmp_path: Path) -> None:
    missing = run_cli("verify", data_dir=tmp_path / "nothing")
    assert missing.returncode == 1 and "no database at" in missing.stderr
