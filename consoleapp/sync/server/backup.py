"""Online backup and restore of the server's database, with no external tools.

- SQLite: the sqlite3 backup API copies the live database in one step under a read
  transaction, so the copy is one consistent moment even while the server writes. The file
  is an ordinary SQLite database.
- PostgreSQL: every table is read in one REPEATABLE READ snapshot (`store.db.reading`) and
  written as gzip-compressed JSON lines: a header line, then one line per row.

`restore` takes either kind of file into either kind of database (a SQLite copy into a
SQLite data folder is a page copy; anything else goes row by row), brings the schema to the
newest migration and takes a new epoch, so every desktop client's next pull says `reset`.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from consoleapp.store import db, schema
from consoleapp.sync import migrations

from . import audit, tables
from .epoch import ensure_epoch
from .refusal import Refusal
from .settings import Settings

FORMAT = "consoleapp-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"
BATCH = 1000


class BackupError(Refusal):
    """Something a person must fix; the message says what."""


@dataclass(frozen=True)
class Summary:
    file: Path
    kind: str  # 'sqlite' or 'jsonl.gz'
    rows: int
    log_length: int
    epoch: str = ""

    def describe(self, verb: str) -> str:
        text = f"{verb} {self.file} ({self.kind}, {self.rows} rows, {self.log_length} events in the log)"
        return text + (f"; new epoch {self.epoch}: desktop apps will resynchronise" if self.epoch else "")


def all_tables() -> list[sa.Table]:
    """Every table, parents before children (foreign keys)."""
    return list(schema.metadata.sorted_tables) + list(tables.metadata.sorted_tables)


def sqlite_path(url: str) -> Path | None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(parsed.database)


# --- backup -----------------------------------------------------------------------------


def backup(settings: Settings, target: Path) -> Summary:
    """Write a consistent copy of the running (or stopped) server's database to `target`."""
    target = target.expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give a file name, like {target / 'consoleapp-backup.db'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(settings.url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"no database at {path}; check --data-dir or CONSOLEAPP_DATA_DIR")
        return _backup_sqlite(path, target)
    return _backup_rows(settings.url, target)


def _backup_sqlite(path: Path, target: Path) -> Summary:
    partial = _partial(target)
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=db.BUSY_TIMEOUT_MS / 1000)
        dst = sqlite3.connect(partial)
        try:
            src.execute(f"PRAGMA busy_timeout={db.BUSY_TIMEOUT_MS}")
            src.backup(dst)  # pages=-1: all of it in one step, one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            rows = sum(_count(dst, t.name) for t in all_tables() if _exists(dst, t.name))
            length = _log_length(dst)
        finally:
            src.close()
            dst.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {path} failed: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return Summary(target, "sqlite", rows, length)


def _backup_rows(url: str, target: Path) -> Summary:
    engine = db.create(url)
    partial = _partial(target)
    rows = 0
    try:
        with db.reading(engine) as conn, gzip.open(partial, "wt", encoding="utf-8") as out:
            present = set(sa.inspect(conn).get_table_names())
            if "events" not in present:
                raise BackupError("this database has no Expert Console tables; check CONSOLEAPP_DATABASE_URL")
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() \
                if "alembic_version" in present else None
            chosen = [t for t in all_tables() if t.name in present]
            length = int(conn.execute(sa.select(schema.counters.c.value)
                                      .where(schema.counters.c.name == db.LOG)).scalar() or 0)
            header = {"format": FORMAT, "version": 1, "dialect": conn.dialect.name, "revision": revision,
                      "log_length": length, "tables": [t.name for t in chosen]}
            out.write(json.dumps(header) + "\n")
            for table in chosen:
                order = list(table.primary_key.columns)
                result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                    sa.select(*(sa.column(c.name) for c in table.columns)).select_from(sa.table(table.name))
                    .order_by(*(sa.column(c.name) for c in order)))
                for row in result.mappings():
                    out.write(json.dumps({"t": table.name, "r": {k: _plain(v) for k, v in row.items()}}) + "\n")
                    rows += 1
        os.replace(partial, target)
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError(f"backup failed, the database said: {_first_line(exc)}") from None
    finally:
        engine.dispose()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return Summary(target, "jsonl.gz", rows, length)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": _utc(value).isoformat()}
    return value


def _utc(value: datetime) -> datetime:
    """Every stored time is UTC; SQLite hands some back without a zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _partial(target: Path) -> str:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    return name


def _exists(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _log_length(conn: sqlite3.Connection) -> int:
    if not _exists(conn, "counters"):
        return 0
    row = conn.execute("SELECT value FROM counters WHERE name=?", (db.LOG,)).fetchone()
    return int(row[0]) if row else 0


# --- restore ----------------------------------------------------------------------------


def restore(settings: Settings, source: Path) -> Summary:
    """Replace the data folder's (or CONSOLEAPP_DATABASE_URL's) database with a backup.

    The server must be stopped: restoring under a running server would leave it with a
    World that no longer matches the log. Refused when that is detectable.
    """
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    kind = _kind(source)
    refuse_if_running(settings)
    path = sqlite_path(settings.url)
    if path is None:
        return _restore_into(settings.url, source, kind)
    # SQLite: build the restored copy beside the database, then swap it in, so a failed
    # restore leaves the old database untouched.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(f"{path}.restoring")
    _remove_sqlite(partial)
    try:
        if kind == "sqlite":
            _copy_sqlite(source, partial)
        summary = _restore_into(f"sqlite:///{partial}", source, kind, rows=kind != "sqlite")
        _single_file(partial)
        _remove_sqlite(path)
        os.replace(partial, path)
    finally:
        _remove_sqlite(partial)
    return summary


def _restore_into(url: str, source: Path, kind: str, rows: bool = True) -> Summary:
    engine = db.create(url)
    try:
        migrations.upgrade(engine)
        count = _restore_rows(engine, source, kind) if rows else _total(engine)
        if kind == "jsonl.gz" and _revision_of(source) != migrations.head():
            # Rows of an older schema went into this one: a table or a column derived from the log
            # that the backup did not have (a migration would have filled it) is rebuilt from the
            # log at the next start, as after that migration, rather than trusted empty.
            with engine.begin() as conn:
                conn.execute(sa.delete(schema.counters).where(schema.counters.c.name == db.PROJECTED))
        epoch = ensure_epoch(engine, renew=True)
        with db.reading(engine) as conn:
            length = int(conn.execute(sa.select(schema.counters.c.value)
                                      .where(schema.counters.c.name == db.LOG)).scalar_one())
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError(f"restore failed, the database said: {_first_line(exc)}") from None
    finally:
        engine.dispose()
    return Summary(source, kind, count, length, epoch)


def _single_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _kind(source: Path) -> str:
    with open(source, "rb") as f:
        start = f.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start[:2] == b"\x1f\x8b":
        try:
            with gzip.open(source, "rt", encoding="utf-8") as f:
                header = json.loads(f.readline())
        except (OSError, ValueError):
            header = {}
        if isinstance(header, dict) and header.get("format") == FORMAT:
            return "jsonl.gz"
    raise BackupError(f"{source} is not an Expert Console backup (neither a SQLite database nor {FORMAT} JSON lines)")


def refuse_if_running(settings: Settings, doing: str = "restoring") -> None:
    """Refuse while a server answers on the configured port or has the SQLite file open."""
    try:
        answer = httpx.get(f"http://{_dial(settings.host)}:{settings.port}/health", timeout=0.5)
        running = answer.status_code in (200, 503) and "epoch" in answer.text
    except httpx.HTTPError:
        running = False
    if running:
        raise BackupError(f"a server answers on {settings.host}:{settings.port}; stop it before {doing}")
    path = sqlite_path(settings.url)
    if path is not None and path.exists() and _sqlite_in_use(path):
        raise BackupError(f"{path} is in use (a server or another program has it open); stop it before {doing}")


def _dial(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host


def _sqlite_in_use(path: Path) -> bool:
    """An exclusive lock in WAL mode is refused while any other connection has the file open."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("COMMIT")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _copy_sqlite(source: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src.close()
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from None


def _rows_of(source: Path, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if kind == "jsonl.gz":
        with gzip.open(source, "rt", encoding="utf-8") as f:
            f.readline()  # the header
            for line in f:
                item = json.loads(line)
                yield item["t"], {k: _typed(v) for k, v in item["r"].items()}
        return
    engine = sa.create_engine(f"sqlite:///file:{source}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:  # a private read-only copy: no server shares this file
            present = set(sa.inspect(conn).get_table_names())
            for table in all_tables():
                if table.name in present:
                    for row in conn.execute(sa.select(table)).mappings():
                        yield table.name, {k: _utc(v) if isinstance(v, datetime) else v for k, v in row.items()}
    finally:
        engine.dispose()


def _revision_of(source: Path) -> str | None:
    """The schema revision a JSON-lines backup was made at (its header's)."""
    with gzip.open(source, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline())
    revision = header.get("revision")
    return revision if isinstance(revision, str) else None


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    return value


def _restore_rows(engine: sa.Engine, source: Path, kind: str) -> int:
    known = {t.name: t for t in all_tables()}
    count = 0
    with engine.begin() as conn, audit.unguarded(conn):  # the whole database is replaced, the audit log too
        for table in reversed(all_tables()):
            conn.execute(table.delete())
        pending: list[dict[str, Any]] = []
        current: sa.Table | None = None
        for name, row in _rows_of(source, kind):
            table = known.get(name)
            if table is None:
                continue
            if current is not None and (table is not current or len(pending) >= BATCH):
                conn.execute(current.insert(), pending)
                pending = []
            current = table
            pending.append({k: v for k, v in row.items() if k in table.c})
            count += 1
        if current is not None and pending:
            conn.execute(current.insert(), pending)
        if conn.dialect.name == "postgresql":
            # login_attempts has a serial id: move its sequence past the restored rows.
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('login_attempts', 'id'), "
                                 "COALESCE((SELECT max(id) FROM login_attempts), 0) + 1, false)"))
    return count


def _total(engine: sa.Engine) -> int:
    with db.reading(engine) as conn:
        return sum(int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in all_tables())


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
