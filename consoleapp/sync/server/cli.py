"""`consoleapp-server`: run the sync server, migrate, back up, restore and manage accounts.

Every setting comes from a `CONSOLEAPP_*` environment variable (see settings.py); a flag
given on the command line wins over the variable. Errors print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from consoleapp import __version__

from .refusal import Refusal
from .settings import Settings

COMMANDS = ("serve", "migrate", "verify", "backup", "restore", "admin")
# How long an idle kept-alive connection stays open. Longer than clients keep theirs (httpx: 5 s),
# so a client always drops an idle connection first: with uvicorn's 5 s both ends timed out together
# and, under load, requests sent on a connection the server was closing failed with a reset
# (bench/load.py found it; whether such a request was applied, the client cannot know).
KEEP_ALIVE_SECONDS = 65
APP = "consoleapp.sync.server.app:create_app"  # an import string: each worker process imports it


class CliError(Refusal):
    """Something a person must fix; the message says what."""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "serve")  # `consoleapp-server --port 9000` means `serve --port 9000`
    parsed = parser().parse_args(args)
    from consoleapp.engine import DomainError

    try:
        result: int = parsed.run(parsed)
        return result
    except Refusal as exc:
        return _error(str(exc))
    except DomainError as exc:
        return _error(exc.message)
    except sa.exc.SQLAlchemyError as exc:
        return _error(f"database error: {str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}")
    except OSError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        return 130


def _error(message: str) -> int:
    print(f"consoleapp-server: error: {message}", file=sys.stderr)
    return 1


# --- the command line -------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help="folder of the embedded SQLite database (env CONSOLEAPP_DATA_DIR, default ./consoleapp-data)")
    common.add_argument("--database-url", default=argparse.SUPPRESS,
                        help="a SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (env CONSOLEAPP_DATABASE_URL); "
                             "empty: SQLite in the data folder")

    top = argparse.ArgumentParser(prog="consoleapp-server", description="The Expert Console sync server.")
    top.add_argument("--version", action="version", version=f"consoleapp-server {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="migrate, then run the server (the default)")
    serve.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on (env CONSOLEAPP_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port (env CONSOLEAPP_PORT, default 8765)")
    serve.add_argument("--workers", type=int, default=argparse.SUPPRESS,
                       help="server processes (env CONSOLEAPP_WORKERS, default 1); more than 1 needs PostgreSQL")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(run=cmd_serve)

    migrate = sub.add_parser("migrate", parents=[common], help="create or upgrade the database schema")
    migrate.set_defaults(run=cmd_migrate)

    verify = sub.add_parser("verify", parents=[common],
                            help="replay the whole log and compare every table with it (works while the server runs)")
    verify.add_argument("--repair", action="store_true",
                        help="rebuild the tables from the log where they differ (server stopped)")
    verify.set_defaults(run=cmd_verify)

    backup = sub.add_parser("backup", parents=[common], help="write a consistent copy of the database, online")
    backup.add_argument("file", type=Path, help="the backup file to write")
    backup.set_defaults(run=cmd_backup)

    restore = sub.add_parser("restore", parents=[common],
                             help="replace the database with a backup (server stopped); clients resynchronise")
    restore.add_argument("file", type=Path, help="a file written by `backup`")
    restore.set_defaults(run=cmd_restore)

    admin = sub.add_parser("admin", help="manage accounts (works while the server runs)")
    actions = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create-operator", parents=[common], help="open an operator account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--password", help="otherwise CONSOLEAPP_ADMIN_PASSWORD, otherwise a prompt")
    create.set_defaults(run=cmd_create_operator)
    listing = actions.add_parser("list-users", parents=[common], help="every account, oldest first")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(run=cmd_list_users)
    close = actions.add_parser("close-user", parents=[common], help="close an account and revoke its tokens")
    close.add_argument("--email", required=True)
    close.add_argument("--reason", default="closed by the administrator")
    close.set_defaults(run=cmd_close_user)
    reset = actions.add_parser("reset-password", parents=[common],
                               help="print a one-time code for /auth/reset/confirm")
    reset.add_argument("--email", required=True)
    reset.set_defaults(run=cmd_reset_password)
    link = actions.add_parser("login-link", parents=[common],
                              help="print a one-time link that logs a browser in as the account")
    link.add_argument("--email", required=True)
    link.add_argument("--next", default="/", help="the page to open once logged in, e.g. /e/anna-keller")
    link.set_defaults(run=cmd_login_link)
    pay = actions.add_parser("run-payouts", parents=[common],
                             help="pay every expert due on a payout day (R33), as the console's Payouts page does")
    pay.add_argument("--day", help="the payout day, like 2026-12-16 (default: the one due now)")
    pay.set_defaults(run=cmd_run_payouts)
    paid = actions.add_parser("payment-received", parents=[common],
                              help="a bank transfer arrived: credit the request with this reference (once)")
    paid.add_argument("reference", help="the reference on the transfer, like EC-7K3M-9QDA")
    paid.set_defaults(run=cmd_payment_received)
    sepa = actions.add_parser("sepa-file", parents=[common],
                              help="the SEPA credit-transfer file (pain.001) of a payout day, for the platform's bank")
    sepa.add_argument("--day", required=True, help="the payout day, like 2026-12-16")
    sepa.add_argument("--out", help="write the file here (default: standard output)")
    sepa.set_defaults(run=cmd_sepa_file)
    return top


def settings_from(args: argparse.Namespace) -> Settings:
    names = ("host", "port", "data_dir", "database_url", "workers")
    overrides: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}
    settings = Settings.from_env(**overrides)
    if settings.workers < 1:
        raise CliError("--workers must be 1 or more")
    if not 0 < settings.port < 65536:
        raise CliError(f"--port {settings.port} is not a port number")
    if not settings.worker_stuck_seconds >= 1:
        raise CliError(f"CONSOLEAPP_WORKER_STUCK_SECONDS={settings.worker_stuck_seconds:g}: give 1 second or more "
                       "(a worker that leaves connections waiting this long is replaced)")
    if settings.db_pool < 1:
        raise CliError(f"CONSOLEAPP_DB_POOL={settings.db_pool}: give 1 or more "
                       "(the PostgreSQL connections each worker keeps open)")
    return settings


def describe(settings: Settings) -> str:
    if settings.database_url:
        return sa.make_url(settings.database_url).render_as_string(hide_password=True)
    return str((settings.data_dir / "consoleapp.db").resolve())


def _engine(settings: Settings, must_exist: bool) -> sa.Engine:
    from consoleapp.store import db

    if not settings.database_url:
        path = (settings.data_dir / "consoleapp.db").resolve()
        if must_exist and not path.exists():
            raise CliError(f"no database at {path}; check --data-dir / CONSOLEAPP_DATA_DIR, "
                           "or run `consoleapp-server migrate` first")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return db.create(settings.url)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise CliError(f"cannot use the database URL {describe(settings)}: {exc}") from None


def connection_room(settings: Settings) -> str:
    """On PostgreSQL, a warning when the workers could together open more connections than the
    server allows: each keeps `db_pool`, a burst opens `db.PG_OVERFLOW` more, and one listens."""
    if not settings.database_url:
        return ""
    from consoleapp.store import db

    engine = _engine(settings, must_exist=False)
    try:
        with engine.connect() as conn:
            allowed = (int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
                       - int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar_one()))
    finally:
        engine.dispose()
    most = settings.workers * (settings.db_pool + db.PG_OVERFLOW + 1)
    if most <= allowed:
        return ""
    return (f"{settings.workers} worker{'s' if settings.workers > 1 else ''} may open up to {most} PostgreSQL "
            f"connections ({settings.db_pool} kept by each, {db.PG_OVERFLOW} more in a burst, 1 listening) where "
            f"the database allows {allowed}: lower CONSOLEAPP_DB_POOL or --workers, or raise max_connections")


def migrate(settings: Settings, must_exist: bool = False) -> tuple[str | None, str]:
    from consoleapp.sync import migrations

    from .epoch import ensure_epoch

    engine = _engine(settings, must_exist)
    try:
        revisions = migrations.upgrade(engine)
        ensure_epoch(engine)  # before any worker starts: several would race to make it
        return revisions
    finally:
        engine.dispose()


# --- commands ---------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from .video.provider import provider_for

    settings = settings_from(args)
    try:
        provider_for(settings)  # a video provider without its settings stops the server before anything runs
    except SystemExit as exc:
        raise CliError(str(exc)) from None
    if settings.workers > 1 and not settings.database_url:
        raise CliError(f"--workers {settings.workers} needs PostgreSQL: the embedded SQLite database is "
                       "served by one process. Set CONSOLEAPP_DATABASE_URL=postgresql+psycopg://... "
                       "to scale out, or use --workers 1")
    before, after = migrate(settings)
    if before != after:
        print(f"consoleapp-server: database {describe(settings)} migrated to {after}", file=sys.stderr)
    if crowded := connection_room(settings):
        print(f"consoleapp-server: warning: {crowded}", file=sys.stderr)
    # Workers re-import the app factory, which reads its settings from the environment.
    os.environ.update({
        "CONSOLEAPP_HOST": settings.host, "CONSOLEAPP_PORT": str(settings.port),
        "CONSOLEAPP_DATA_DIR": str(settings.data_dir.resolve()),
        "CONSOLEAPP_DATABASE_URL": settings.database_url, "CONSOLEAPP_WORKERS": str(settings.workers),
    })
    import uvicorn

    from . import workers

    print(f"consoleapp-server {__version__}: {settings.base_url} on {describe(settings)}, "
          f"{settings.workers} worker{'s' if settings.workers > 1 else ''}", file=sys.stderr)
    options: dict[str, Any] = {"factory": True, "host": settings.host, "port": settings.port,
                               "workers": settings.workers, "log_level": args.log_level, "proxy_headers": True,
                               "timeout_keep_alive": KEEP_ALIVE_SECONDS}
    if settings.workers == 1 or not workers.supported():
        uvicorn.run(APP, **options)
        return 0
    config = uvicorn.Config(APP, **options)
    try:
        sockets = workers.bind(config)
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    return workers.Spread(config, sockets, settings.worker_stuck_seconds).run()


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    before, after = migrate(settings)
    where = describe(settings)
    if before == after:
        print(f"{where}: already at {after}")
    else:
        print(f"{where}: migrated from {before or 'an empty database'} to {after}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """The full-replay check, on demand: every derived table, the ledger's invariants and the
    pulls' scope against a replay of the log. `--repair` rebuilds them all from the log."""
    from consoleapp.engine.ledger import violations
    from consoleapp.store import Store, db, open_world

    from . import audience
    from .backup import refuse_if_running

    settings = settings_from(args)
    if args.repair:
        refuse_if_running(settings, "repairing (it keeps the open business it loaded in memory)")
    migrate(settings, must_exist=True)

    def check(store: Store) -> list[str]:
        found = store.verify()
        found += [f"ledger: {v}" for v in violations(store.world.ledger, store.every_account())]
        return found + audience.differences(store.engine)

    started = time.monotonic()
    store = Store(_engine(settings, must_exist=True), settings.policy)
    try:
        found = check(store)
        events = store.world.version
        for line in found:
            print(line)
        if found and args.repair:
            with db.writing(store.engine) as (conn, _length):
                open_world.rebuild(conn, "consoleapp-server verify --repair")
            audience.rebuild_rows(store.engine)
            store.close()
            store = Store(_engine(settings, must_exist=True), settings.policy)
            left = check(store)
            for line in left:
                print(f"still: {line}")
            print(f"{describe(settings)}: {len(found)} difference(s) in {events} events repaired from the log; "
                  f"{len(left)} left ({time.monotonic() - started:.1f} s)")
            return 1 if left else 0
    finally:
        store.close()
    if found:
        print(f"{describe(settings)}: {len(found)} difference(s) between the tables and the log's {events} events; "
              "`consoleapp-server verify --repair` (server stopped) rebuilds them from the log")
        return 1
    print(f"{describe(settings)}: the tables match the log's {events} events ({time.monotonic() - started:.1f} s)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .backup import backup

    settings = settings_from(args)
    summary = backup(settings, args.file)
    print(summary.describe("backed up to"))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .backup import restore

    settings = settings_from(args)
    summary = restore(settings, args.file)
    print(summary.describe(f"restored into {describe(settings)} from"))
    return 0


def _server(args: argparse.Namespace, must_exist: bool = True) -> Any:
    from .opening import open_server

    settings = settings_from(args)
    migrate(settings, must_exist=must_exist)
    return open_server(settings)


def _password(args: argparse.Namespace) -> str:
    if args.password:
        return str(args.password)
    env = os.environ.get("CONSOLEAPP_ADMIN_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise CliError("give the password with --password or CONSOLEAPP_ADMIN_PASSWORD (no terminal to ask on)")
    first = getpass.getpass("Password for the new operator (8+ characters): ")
    if getpass.getpass("Once more: ") != first:
        raise CliError("the two passwords differ; nothing was created")
    return first


def cmd_create_operator(args: argparse.Namespace) -> int:
    from .admin import create_operator

    password = _password(args)
    server = _server(args, must_exist=False)
    try:
        user_id = create_operator(server, args.email, args.name, password)
    finally:
        server.store.close()
    print(f"operator {args.email.strip().lower()} created (id {user_id}); "
          f"log in at {server.settings.base_url}/login, the console is {server.settings.base_url}/ops")
    return 0


def cmd_list_users(args: argparse.Namespace) -> int:
    from .admin import list_users

    server = _server(args)
    try:
        rows = list_users(server)
    finally:
        server.store.close()
    if args.json:
        for r in rows:
            print(json.dumps({"id": r.id, "email": r.email, "role": r.role, "name": r.name,
                              "created_at": r.created_at.isoformat(), "closed": r.closed}))
        return 0
    if not rows:
        print("no accounts yet; make one with `consoleapp-server admin create-operator`")
        return 0
    width = max(len(r.email) for r in rows)
    for r in rows:
        state = "closed" if r.closed else "active"
        print(f"{r.email:<{width}}  {r.role:<8}  {state:<6}  {r.created_at:%Y-%m-%d %H:%M}  {r.name}")
    return 0


def cmd_close_user(args: argparse.Namespace) -> int:
    from .admin import close_user

    server = _server(args)
    try:
        close_user(server, args.email, args.reason)
    finally:
        server.store.close()
    print(f"{args.email.strip().lower()} closed; its sessions are revoked")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    from .admin import reset_password

    server = _server(args)
    try:
        token, expires = reset_password(server, args.email)
    finally:
        server.store.close()
    print(token)
    print(f"a one-time reset code for {args.email.strip().lower()}, valid until {expires:%Y-%m-%d %H:%M} UTC; "
          "it is used with POST /auth/reset/confirm {token, password}", file=sys.stderr)
    return 0


def cmd_login_link(args: argparse.Namespace) -> int:
    from urllib.parse import urlencode

    from .admin import login_link

    server = _server(args)
    try:
        code, expires = login_link(server, args.email)
    finally:
        server.store.close()
    print(f"{server.settings.base_url}/login/link?{urlencode({'code': code, 'next': args.next})}")
    print(f"a one-time login link for {args.email.strip().lower()}, valid until {expires:%Y-%m-%d %H:%M} UTC",
          file=sys.stderr)
    return 0




def cmd_run_payouts(args: argparse.Namespace) -> int:
    """R33 from the command line: the engine's RunPayouts, audited as the command line's action."""
    from consoleapp.engine import DomainError
    from consoleapp.engine import commands as c
    from consoleapp.engine import events as e
    from consoleapp.engine.model import SYSTEM
    from consoleapp.engine.payouts import due_payout_day

    from . import audit

    server = _server(args)
    try:
        with server.runner.world() as w:
            due = due_payout_day(w, server.clock.now(), server.store.policy)
            names = {x: p.name for x, p in w.people.items()}
        day = args.day or (due.isoformat() if due else "")
        if not day:
            raise CliError("no payout day is due now (they were run already); give one with --day")
        command = c.RunPayouts(actor=SYSTEM, day=day)

        def record(tx: Any, results: list[Any]) -> None:
            if not isinstance(results[0], Exception):
                audit.record_commands(tx.conn, server.clock.now(), audit.COMMAND_LINE, [command], results[0])

        (result,), _ = server.runner.run([command], record)
    finally:
        server.store.close()
    if isinstance(result, DomainError):
        raise CliError(f"no payouts were made: {result.message}")
    for ev in result:
        if isinstance(ev, e.PayoutMade):
            print(f"paid\t{ev.expert}\t{names.get(ev.expert, '')}\t{ev.amount}")
        elif isinstance(ev, e.PayoutWithheld):
            print(f"withheld\t{ev.expert}\t{names.get(ev.expert, '')}\t{ev.balance}\t{ev.reason}")
    return 0


def cmd_payment_received(args: argparse.Namespace) -> int:
    """The console's "Mark received" from the command line, audited as the command line's action."""
    from starlette.exceptions import HTTPException

    from consoleapp.engine.model import SYSTEM

    from . import audit
    from .payments import records

    server = _server(args)
    try:
        try:
            payment = records.by_reference(server, args.reference)
            with server.runner.transaction() as tx:
                done = records.receive(tx, server, payment.id, audit.COMMAND_LINE, SYSTEM)
        except HTTPException as refused:
            detail = refused.detail if isinstance(refused.detail, dict) else {"message": str(refused.detail)}
            raise CliError(str(detail["message"])) from None
    finally:
        server.store.close()
    print(f"{done.payment.reference}: {done.message}")
    return 0


def cmd_sepa_file(args: argparse.Namespace) -> int:
    """The payout run of --day as pain.001, audited as the command line's; refused runs say why."""
    from consoleapp.documents.sepa import SepaError

    from . import audit, payout_files

    day = payout_files.payout_day(args.day)
    if day is None:
        raise CliError(f"--day {args.day!r} is not a date like 2026-12-16")
    server = _server(args)
    try:
        made = payout_files.sepa_file(server, day, audit.COMMAND_LINE)
    except SepaError as exc:
        raise CliError(f"no SEPA file: {exc}") from None
    finally:
        server.store.close()
    if args.out:
        Path(args.out).write_bytes(made.xml)
        print(f"{args.out}: {made.describe(server.settings.currency)} for {day.isoformat()}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(made.xml)
    return 0


if __name__ == "__main__":
    sys.exit(main())
