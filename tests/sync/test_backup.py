"""Online backup while pushes keep coming, restore into a fresh place, and the clients'
resynchronisation: a new epoch, so a pull with an old cursor says `reset`."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.engine.ledger import platform_months
from consoleapp.store import Store, db, schema
from consoleapp.sync import migrations
from consoleapp.sync.server import backup
from consoleapp.sync.server.settings import Settings
from consoleapp.sync.server.tables import sync_clients, sync_results
from tests.store.conftest import _pg_schema
from tests.store.twin import Twin, varied

from .live import LiveServer
from .test_cli import one_clear_line, run_cli


class Writer(threading.Thread):
    """One expert's desktop, pushing batches of SetOffers until told to stop."""

    def __init__(self, server: LiveServer, token: str, client: str) -> None:
        super().__init__(daemon=True)
        self.server, self.token, self.client = server, token, client
        self.stop = threading.Event()
        self.seq = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.server.client(self.token) as http:
                while not self.stop.is_set():
                    batch = [{"seq": self.seq + i, "command_id": f"{self.client}-{self.seq + i}", "name": "SetOffers",
                              "args": {"mode": "video", "per_minute": 1 + (self.seq + i) % 7}} for i in range(1, 11)]
                    r = http.post("/sync/push", json={"client_id": self.client, "schema_version": 1, "commands": batch})
                    assert r.status_code == 200, r.text
                    self.seq = r.json()["last_seq"]
        except BaseException as exc:  # reported by the test
            self.error = exc


def _consistent(url: str) -> int:
    """The restored database is one moment of the original: log contiguous, clients whole."""
    engine = db.create(url)
    try:
        with db.reading(engine) as conn:
            length = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar_one()
            count, top = conn.execute(sa.select(sa.func.count(), sa.func.max(schema.events.c.position))).one()
            assert count == top == length
            for client in conn.execute(sa.select(sync_clients)).all():
                seqs = conn.execute(sa.select(sync_results.c.seq).where(sync_results.c.client_id == client.client_id)
                                    .order_by(sync_results.c.seq)).scalars().all()
                assert seqs == list(range(1, client.last_seq + 1))
        with Store(engine) as store:
            assert store.verify() == []
        return int(length)
    finally:
        engine.dispose()


def _roundtrip(tmp_path: Path, source_url: str, target_url: str) -> None:
    original = LiveServer(tmp_path / "a", database_url=source_url).start()
    try:
        _, token = original.register("expert", email="anna@example.com")
        epoch = original.call("", "GET", "/health").json()["epoch"]
        writer = Writer(original, token, "desk-anna")
        writer.start()
        while writer.seq < 30 and writer.error is None:
            threading.Event().wait(0.02)
        old = original.call(token, "POST", "/sync/pull", json={"client_id": "desk-anna", "cursor": ""}).json()
        backup = tmp_path / "backup.file"
        made = run_cli("backup", str(backup), data_dir=original.data_dir, database_url=source_url)
        seq_at_backup = writer.seq
        assert made.returncode == 0, made.stderr
        while writer.seq < seq_at_backup + 30 and writer.error is None:  # writes go on after the copy
            threading.Event().wait(0.02)
        writer.stop.set()
        writer.join(30)
        assert writer.error is None, writer.error
        if not source_url:
            refused = run_cli("restore", str(backup), data_dir=original.data_dir)
            one_clear_line(refused, "in use")
    finally:
        original.stop()

    restored = run_cli("restore", str(backup), data_dir=tmp_path / "b", database_url=target_url)
    assert restored.returncode == 0, restored.stderr
    assert "new epoch" in restored.stdout
    target = target_url or f"sqlite:///{tmp_path / 'b' / 'consoleapp.db'}"
    length = _consistent(target)
    assert length >= 30

    again = LiveServer(tmp_path / "b", database_url=target_url).start()
    try:
        health = again.call("", "GET", "/health").json()
        assert health["epoch"] != epoch
        login = httpx.post(f"{again.url}/auth/login", json={"email": "anna@example.com", "password": "correct horse"})
        assert login.status_code == 200
        token = login.json()["token"]
        stale = again.call(token, "POST", "/sync/pull", json={"client_id": "desk-anna", "cursor": old["cursor"]}).json()
        assert stale["reset"] is True
        fresh = again.call(token, "POST", "/sync/pull", json={"client_id": "desk-anna", "cursor": "", "limit": 1000}).json()
        assert fresh["reset"] is False and fresh["changes"][0]["kind"] == "AccountOpened"
        assert fresh["last_seq"] >= 30  # the pushes made before the backup are there
        assert [r["seq"] for r in fresh["results"]] == list(range(1, fresh["last_seq"] + 1))[:1000]
    finally:
        again.stop()


def test_sqlite_backup_under_writes_restores_with_a_new_epoch(tmp_path: Path) -> None:
    _roundtrip(tmp_path, "", "")


@pytest.fixture
def two_pg_schemas() -> Iterator[tuple[str, str]]:
    for first in _pg_schema():
        for second in _pg_schema():
            yield first, second


def test_postgresql_backup_under_writes_restores_with_a_new_epoch(tmp_path: Path, two_pg_schemas: tuple[str, str]) -> None:
    _roundtrip(tmp_path, *two_pg_schemas)


def test_postgresql_backup_restores_into_sqlite(tmp_path: Path) -> None:
    for url in _pg_schema():
        _roundtrip(tmp_path, url, "")


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    one_clear_line(run_cli("restore", str(junk), data_dir=tmp_path / "d"), "not an Expert Console backup")
    one_clear_line(run_cli("restore", str(tmp_path / "missing.db"), data_dir=tmp_path / "d"), "no backup file")
    one_clear_line(run_cli("backup", str(tmp_path / "b.db"), data_dir=tmp_path / "empty"), "no database")


def _older(backup_file: Path, revision: str, without: str) -> Path:
    """The same JSON-lines backup as if made at `revision`, before the table `without` existed."""
    older = backup_file.with_name(f"older-{backup_file.name}")
    with gzip.open(backup_file, "rt", encoding="utf-8") as src, gzip.open(older, "wt", encoding="utf-8") as out:
        header = json.loads(src.readline())
        header["revision"] = revision
        header["tables"] = [t for t in header["tables"] if t != without]
        out.write(json.dumps(header) + "\n")
        for line in src:
            if json.loads(line)["t"] != without:
                out.write(line)
    return older


def test_r32_a_backup_from_an_older_schema_has_what_it_lacked_rebuilt_from_the_log(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Rows of a backup made before migration 0012 restored into today's schema: its platform
    months are rebuilt from the log at the next start, never trusted empty."""
    for url in _pg_schema():
        engine = db.create(url)
        migrations.upgrade(engine)
        engine.dispose()
        with Store.open(url) as store:
            twin = Twin(store=store)
            varied(twin)
            expected = platform_months(twin.world.ledger.transfers.values())
        made = tmp_path / "backup.jsonl.gz"
        backup.backup(Settings(data_dir=tmp_path / "a", database_url=url), made)
    assert expected and expected[0].commission > 0
    for name, source, rebuilt in (("today", made, False), ("older", _older(made, "0011", "platform_months"), True)):
        data = tmp_path / name
        backup.restore(Settings(data_dir=data), source)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="consoleapp.store"), \
                Store.open(Settings(data_dir=data).url) as restored:
            assert ("rebuilding the projection tables from the log" in caplog.text) is rebuilt
            assert restored.platform_months() == expected
            assert restored.verify() == []
