"""`consoleapp-server`: serve, migrate (Alembic, both dialects), and the admin commands on a
running server; every error is one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from consoleapp.store import db, schema
from consoleapp.sync import migrations
from consoleapp.sync.server import cli, tables
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.settings import Settings
from tests.store.conftest import _pg_schema

from .live import LiveServer, free_port

CLI = [sys.executable, "-m", "consoleapp.sync.server.cli"]


def run_cli(*args: str, env: dict[str, str] | None = None, data_dir: Path | None = None,
            database_url: str = "") -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "CONSOLEAPP_ADMIN_PASSWORD"}
    full.update(env or {})
    if data_dir is not None:
        full["CONSOLEAPP_DATA_DIR"] = str(data_dir)
    full["CONSOLEAPP_DATABASE_URL"] = database_url
    return subprocess.run([*CLI, *args], env=full, capture_output=True, text=True, timeout=60)


class CliServer(LiveServer):
    """The server started the way an administrator starts it: `consoleapp-server serve`."""

    def spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return self.serve(env)


def one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("consoleapp-server: error:"), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# --- migrations -------------------------------------------------------------------------


def _schema_differences(url: str) -> list[object]:
    """What the database holds beyond or short of each metadata (the store's, the server's)."""
    engine = db.create(url)
    try:
        with db.reading(engine) as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return [*_own(compare_metadata(context, schema.metadata), tables.metadata),
                    *_own(compare_metadata(context, tables.metadata), schema.metadata)]
    finally:
        engine.dispose()


def _own(diffs: list[object], other: sa.MetaData) -> list[object]:
    """One metadata's comparison sees the other's tables, and their indexes, as 'removed': ignore
    those only (an index left on one of its own tables, say one a migration forgot to drop, stays)."""
    theirs = set(other.tables) | {"alembic_version"}
    kept = []
    for d in diffs:
        if isinstance(d, tuple) and d and d[0] == "remove_table" and d[1].name in theirs:
            continue
        if isinstance(d, tuple) and d and d[0] == "remove_index" and d[1].table.name in theirs:
            continue
        kept.append(d)
    return kept


def test_migrate_creates_the_schema_once_on_sqlite(tmp_path: Path) -> None:
    first = run_cli("migrate", data_dir=tmp_path / "data")
    assert first.returncode == 0, first.stderr
    assert f"to {migrations.head()}" in first.stdout
    again = run_cli("migrate", data_dir=tmp_path / "data")
    assert again.returncode == 0 and "already at" in again.stdout
    url = f"sqlite:///{tmp_path / 'data' / 'consoleapp.db'}"
    assert _schema_differences(url) == []
    engine = db.create(url)
    try:
        assert migrations.current(engine) == migrations.head()
        with db.reading(engine) as conn:  # the log's counter is seeded
            assert conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == "log")).scalar_one() == 0
    finally:
        engine.dispose()


def test_migrate_on_postgresql_matches_the_metadata(tmp_path: Path) -> None:
    for url in _pg_schema():
        result = run_cli("migrate", database_url=url)
        assert result.returncode == 0, result.stderr
        assert _schema_differences(url) == []


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_migrations_alone_make_the_schema_of_the_metadata(tmp_path: Path, database: str) -> None:
    """Alembic's revisions, without the store's own start-up repairs (`migrate` ends with
    `db.ensure_schema`, which drops retired indexes and makes missing ones, and would hide an index
    a migration forgot to make or to drop): what they make is what the metadata describes."""
    from alembic import command

    for url in [f"sqlite:///{tmp_path / 'consoleapp.db'}"] if database == "sqlite" else _pg_schema():
        engine = db.create(url)
        try:
            cfg = migrations.config()
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            engine.dispose()
        assert _schema_differences(url) == []


def test_an_sqlite_servers_audience_rows_move_to_a_table_without_rowid_and_back(tmp_path: Path) -> None:
    """Migration 0016 copies `event_audience` into a table WITHOUT ROWID (each row stored once, not
    also in its key's index): every row is kept, and going back to 0015 gives a rowid table again."""
    from alembic import command

    engine = db.create(f"sqlite:///{tmp_path / 'consoleapp.db'}")
    rows = [(f"person-{n % 7}", n) for n in range(1, 301)]

    def to(revision: str, down: bool = False) -> None:
        cfg = migrations.config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)

    def made() -> tuple[str, list[tuple[str, int]]]:
        with engine.connect() as conn:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'event_audience'").scalar_one()
            kept = [tuple(r) for r in conn.exec_driver_sql("SELECT person, position FROM event_audience ORDER BY position")]
        return sql.upper(), kept  # type: ignore[return-value]

    try:
        to("0015")
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO event_audience (person, position) VALUES (?, ?)", rows)
        sql, kept = made()
        assert "WITHOUT ROWID" not in sql and kept == rows
        before, after = migrations.upgrade(engine)
        assert (before, after) == ("0015", migrations.head())
        sql, kept = made()
        assert "WITHOUT ROWID" in sql and kept == rows
        assert _schema_differences(str(engine.url)) == []
        to("0015", down=True)
        sql, kept = made()
        assert "WITHOUT ROWID" not in sql and kept == rows
    finally:
        engine.dispose()


def test_a_database_made_by_create_all_is_stamped_not_rebuilt(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    server = open_server(settings)  # how earlier versions made the schema
    server.store.close()
    result = run_cli("migrate", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    engine = db.create(settings.url)
    try:
        assert migrations.current(engine) == migrations.head()
    finally:
        engine.dispose()


# --- serve ------------------------------------------------------------------------------


def test_serve_migrates_then_answers_and_flags_beat_env(tmp_path: Path) -> None:
    wrong = free_port()
    with CliServer(tmp_path / "data", env={"CONSOLEAPP_PORT": str(wrong)}) as server:
        body = httpx.get(f"{server.url}/health").json()
        assert body["status"] == "ok" and body["dialect"] == "sqlite" and body["epoch"]
    engine = db.create(f"sqlite:///{tmp_path / 'data' / 'consoleapp.db'}")
    try:
        assert migrations.current(engine) == migrations.head()
    finally:
        engine.dispose()


def test_serve_readies_the_database_for_its_workers_without_importing_what_only_they_run(tmp_path: Path) -> None:
    """`serve --workers N` checks its settings, migrates, makes the epoch and binds before its
    workers start; each worker imports the application itself. The supervisor importing it too
    cost a second at every start, and its memory for as long as the server runs."""
    script = (
        "import sys\n"
        "from consoleapp.sync.server import cli, workers\n"
        "from consoleapp.sync.server.video.provider import provider_for\n"
        "settings = cli.settings_from(cli.parser().parse_args(['serve']))\n"
        "provider_for(settings)\n"
        "print(cli.migrate(settings)[1])\n"
        "print(' '.join(m for m in ('consoleapp.sync.server.app', 'consoleapp.sync.server.runner', 'fastapi',\n"
        "                           'jinja2', 'consoleapp.sync.server.admin', 'consoleapp.sync.server.backup')\n"
        "      if m in sys.modules) or 'none')\n"
    )
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(tmp_path / "data"), "CONSOLEAPP_DATABASE_URL": ""}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    revision, imported = done.stdout.split("\n")[:2]
    assert revision == migrations.head()  # the database is ready: the workers only open it
    assert imported == "none"
    with db.create(f"sqlite:///{tmp_path / 'data' / 'consoleapp.db'}").connect() as conn:
        assert conn.execute(sa.select(tables.server_meta.c.value).where(tables.server_meta.c.name == "epoch")).scalar()


def test_admin_commands_open_the_data_without_building_the_web_application(tmp_path: Path) -> None:
    """An administrator's command opens the database, the clock and the runner (`opening.py`),
    not the routes and pages: building them took 0.4 s of every command for nothing it does. Nor
    does it import FastAPI (0.3 s): accounts are opened by `accounts.py`, `/admin/status` lives in
    `admin_routes.py`, and `context.py` takes its `Request` from Starlette."""
    data = tmp_path / "data"
    assert run_cli("migrate", data_dir=data).returncode == 0
    script = (
        "import sys\n"
        "from consoleapp.sync.server import cli\n"
        "assert cli.main(['admin', 'create-operator', '--email', 'olga@example.com', '--name', 'Olga',\n"
        "                 '--password', 'correct horse']) == 0\n"
        "assert cli.main(['admin', 'list-users']) == 0\n"
        "print(' '.join(m for m in ('consoleapp.sync.server.app', 'consoleapp.sync.server.web', 'jinja2',\n"
        "                           'consoleapp.sync.server.customer', 'consoleapp.sync.server.operator',\n"
        "                           'fastapi') if m in sys.modules) or 'none')\n"
    )
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(data), "CONSOLEAPP_DATABASE_URL": ""}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "none"


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    result = run_cli("serve", "--workers", "2", data_dir=tmp_path / "data")
    one_clear_line(result, "PostgreSQL", "CONSOLEAPP_DATABASE_URL")
    result = run_cli("--workers", "3", data_dir=tmp_path / "data")  # serve is the default command
    one_clear_line(result, "--workers 3")
    result = run_cli("serve", env={"CONSOLEAPP_WORKER_STUCK_SECONDS": "0"}, data_dir=tmp_path / "data")
    one_clear_line(result, "CONSOLEAPP_WORKER_STUCK_SECONDS=0", "1 second or more")
    result = run_cli("serve", env={"CONSOLEAPP_DB_POOL": "0"}, data_dir=tmp_path / "data")
    one_clear_line(result, "CONSOLEAPP_DB_POOL=0", "1 or more")


def test_serve_warns_when_the_workers_could_open_more_connections_than_postgresql_allows() -> None:
    for url in _pg_schema():
        assert cli.connection_room(Settings(database_url=url, workers=2)) == ""
        crowded = cli.connection_room(Settings(database_url=url, workers=4, db_pool=40))
        assert "4 workers may open up to 204 PostgreSQL connections" in crowded
        assert "lower CONSOLEAPP_DB_POOL or --workers" in crowded
        assert cli.connection_room(Settings(workers=1)) == ""  # SQLite: one file, no connection limit
        server = open_server(Settings(database_url=url, db_pool=7))
        try:
            assert server.store.engine.pool.size() == 7  # type: ignore[attr-defined]
        finally:
            server.store.close()


def test_bad_settings_say_which_one(tmp_path: Path) -> None:
    result = run_cli("migrate", env={"CONSOLEAPP_PORT": "eighty"}, data_dir=tmp_path / "data")
    assert result.returncode != 0 and "CONSOLEAPP_PORT" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("migrate", database_url="nosuchdb://x")
    one_clear_line(result, "nosuchdb")
    result = run_cli("migrate", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    one_clear_line(result, "database error")


# --- admin ------------------------------------------------------------------------------


def test_admin_commands_work_on_a_running_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with CliServer(data) as server:
        made = run_cli("admin", "create-operator", "--email", "Olga@Example.com", "--name", "Olga",
                       env={"CONSOLEAPP_ADMIN_PASSWORD": "correct horse",
                            "CONSOLEAPP_PUBLIC_URL": "https://console.example.org"}, data_dir=data)
        assert made.returncode == 0, made.stderr
        # the address people reach this server at, never a default host and port
        assert "log in at https://console.example.org/login" in made.stdout and "8765" not in made.stdout, made.stdout
        login = httpx.post(f"{server.url}/auth/login", json={"email": "olga@example.com", "password": "correct horse"})
        assert login.status_code == 200 and login.json()["role"] == "operator"
        status = httpx.get(f"{server.url}/admin/status", headers={"Authorization": f"Bearer {login.json()['token']}"})
        assert status.status_code == 200 and status.json()["users"] == {"operator": 1}

        twice = run_cli("admin", "create-operator", "--email", "olga@example.com", "--name", "Olga",
                        "--password", "correct horse", data_dir=data)
        one_clear_line(twice, "exists")
        no_password = run_cli("admin", "create-operator", "--email", "x@example.com", "--name", "X",
                              env={}, data_dir=data)
        one_clear_line(no_password, "--password")

        r = httpx.post(f"{server.url}/auth/register", json={"email": "anna@example.com", "password": "correct horse",
                                                            "name": "Anna", "role": "expert"})
        anna = r.json()["token"]
        listed = run_cli("admin", "list-users", data_dir=data)
        assert listed.returncode == 0
        assert "olga@example.com" in listed.stdout and "anna@example.com" in listed.stdout

        reset = run_cli("admin", "reset-password", "--email", "anna@example.com", data_dir=data)
        assert reset.returncode == 0, reset.stderr
        code = reset.stdout.strip()
        confirmed = httpx.post(f"{server.url}/auth/reset/confirm", json={"token": code, "password": "new password"})
        assert confirmed.status_code == 200, confirmed.text
        anna = httpx.post(f"{server.url}/auth/login", json={"email": "anna@example.com",
                                                            "password": "new password"}).json()["token"]
        assert httpx.get(f"{server.url}/auth/me", headers={"Authorization": f"Bearer {anna}"}).status_code == 200

        closed = run_cli("admin", "close-user", "--email", "anna@example.com", data_dir=data)
        assert closed.returncode == 0, closed.stderr
        assert httpx.get(f"{server.url}/auth/me", headers={"Authorization": f"Bearer {anna}"}).status_code in (401, 403)
        again = httpx.post(f"{server.url}/auth/login", json={"email": "anna@example.com", "password": "new password"})
        assert again.status_code == 403
        listed = run_cli("admin", "list-users", "--json", data_dir=data)
        assert '"closed": true' in listed.stdout

        one_clear_line(run_cli("admin", "close-user", "--email", "anna@example.com", data_dir=data), "already closed")
        one_clear_line(run_cli("admin", "close-user", "--email", "nobody@example.com", data_dir=data), "nobody@example.com")
        one_clear_line(run_cli("admin", "reset-password", "--email", "nobody@example.com", data_dir=data), "no account")
    with open_server(Settings(data_dir=data)).store as store:  # the engine closed the account too
        closed_people = [p for p in store.world.people.values() if getattr(p, "closed", False)]
        assert len(closed_people) == 1


def test_admin_on_a_missing_database_says_so(tmp_path: Path) -> None:
    one_clear_line(run_cli("admin", "list-users", data_dir=tmp_path / "nowhere"), "no database")


@pytest.fixture
def installed_script() -> Iterator[Path]:
    script = Path(sys.executable).parent / "consoleapp-server"
    if not script.exists():
        pytest.skip("consoleapp-server is not installed in this environment (pip install -e .)")
    yield script


def test_the_installed_script_runs(installed_script: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(installed_script), "migrate", "--data-dir", str(tmp_path / "d")],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "CONSOLEAPP_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
