"""The desktop app's local cache: the server's state as last pulled, and the outbox.

One SQLite file per account and server. It holds
- the store's own tables (event log and projections) with the events pulled from the server,
  at local log positions; the server's cursor is kept in `cache_meta`;
- `outbox`: commands not yet processed by the server, numbered by a contiguous `seq`;
- `sent_commands`: every command the server processed (applied or rejected). They stay
  "unconfirmed" until a complete pull shows the server's `last_seq` covers them; if a pull
  ever shows a lower `last_seq` (the server was restored from a backup), the ones above it go
  back to the outbox with their seq and command id, to be pushed again;
- `sync_issues`: the commands the server refused, with its code and message, until the
  person dismisses or retries them. Nothing is dropped silently.

The view the screens show is the pulled state with every pending command replayed through
the engine (`view`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from consoleapp.engine import DEFAULT_POLICY, DomainError, Policy, World, decide, evolve
from consoleapp.engine.commands import Command
from consoleapp.engine.events import Event
from consoleapp.engine.people import PERSONAL
from consoleapp.store import Store
from consoleapp.store import db as store_db
from consoleapp.store import schema as store_schema
from consoleapp.store.codec import command_from_dict, command_to_dict, event_from, hints, parse_json

log = logging.getLogger(__name__)

APP = "consoleapp-cache"
FORMAT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"

metadata = sa.MetaData()

cache_meta = sa.Table(
    "cache_meta", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _command_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("command_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    ]


outbox = sa.Table("outbox", metadata, *_command_columns())

sent_commands = sa.Table(
    "sent_commands", metadata, *_command_columns(),
    sa.Column("status", sa.String(16), nullable=False),  # applied | rejected
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("code", sa.Text, nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("confirmed", sa.Boolean, nullable=False, default=False),  # the pulled state includes it
)

sync_issues = sa.Table(
    "sync_issues", metadata, *_command_columns(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
)

# The expert's own work in a cache, the only part not copied from the server: what a fresh
# cache carries over from one set aside (`recovery.start_afresh`, `Cache.adopt`), with the
# meta rows that number it (the client id and sequence numbers the commands were sent under).
UNSENT_TABLES = (outbox, sent_commands, sync_issues)
UNSENT_META = ("client_id", "next_seq", "last_seq")

FRESH = ("the window offers to set it aside (it is kept) and download your data again; "
         "your changes not yet sent are carried over when they can be read")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(name for name, _ in hints(cls))
    return names


class CacheError(Exception):
    """The cache file is damaged or belongs to someone else; the message says which."""


class UnreadableChange(ValueError):
    """A pulled change that is not an event this app can read (a server bug, or a newer server)."""


@dataclass(frozen=True, slots=True)
class Pending:
    seq: int
    command_id: str
    command: Command
    created_at: datetime
    sent: bool = False  # the server applied it; waiting for the pull that shows its effects


@dataclass(frozen=True, slots=True)
class SyncIssue:
    seq: int
    command_id: str
    command: Command
    code: str
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What the server said about one pushed command: the protocol's `CommandResult`, without pydantic."""

    seq: int
    command_id: str
    status: str
    code: str = ""
    message: str = ""
    position: int = 0


def host_port(server_url: str) -> str:
    parts = urlsplit(server_url if "//" in server_url else f"//{server_url}")
    host = (parts.hostname or "server").replace(":", "_")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{host}_{port}"


def normal_url(server_url: str) -> str:
    return server_url.strip().rstrip("/")


def _now() -> datetime:
    return datetime.now(UTC)


def _encode(command: Command) -> tuple[str, str]:
    data = command_to_dict(command)
    return data["name"], json.dumps(data["args"], separators=(",", ":"))


def _decode(name: str, args: str) -> Command:
    return command_from_dict({"name": name, "args": json.loads(args)})


def is_damage(exc: BaseException) -> bool:
    """SQLite saying the file itself is broken ('database disk image is malformed', 'file is not
    a database'): its plain DatabaseError, not a subclass (a lock, a constraint, a full disk)."""
    orig = getattr(exc, "orig", exc)
    return type(orig) is sqlite3.DatabaseError


def is_disk_refusal(exc: BaseException) -> bool:
    """SQLite saying the disk would not take a write: full ('database or disk is full'), or an
    I/O error. The transaction is rolled back whole; what was committed before is untouched."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and str(orig) in ("database or disk is full", "disk I/O error")


def _inspect(path: Path, server_url: str, user_id: str) -> None:
    """Refuse a file that is not a SQLite database, is damaged, or is not a cache of this account."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CacheError(f"the cache file {path} cannot be read ({exc}); {FRESH}") from None
    if head != SQLITE_MAGIC:
        raise CacheError(f"the cache file {path} is not a database (damaged, or not an Expert Console cache); {FRESH}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise CacheError(f"the cache file {path} cannot be opened ({exc}); {FRESH}") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return
        if "cache_meta" not in tables:
            raise CacheError(f"the file {path} is a database but not an Expert Console cache; {FRESH}")
        meta = dict(conn.execute("SELECT name, value FROM cache_meta").fetchall())
        # The whole file is checked after a session that did not close (a crash, a kill, a power
        # cut): a check of 800 MB takes seconds, too long for every start. After a clean close,
        # only the tables the user's own unsent work lives in are checked.
        if meta.get("closed") == "1":
            scopes = [f"'{name}'" for name in ("cache_meta", "outbox", "sent_commands", "sync_issues") if name in tables]
        else:
            scopes = ["1"]
        for scope in scopes:
            check = conn.execute(f"PRAGMA quick_check({scope})").fetchone()
            if not check or check[0] != "ok":
                first = " ".join(str(check[0]).splitlines()[:2]) if check else "no answer"  # of maybe thousands
                raise CacheError(f"the cache file {path} is damaged ({first}); {FRESH}")
    except sqlite3.Error as exc:
        raise CacheError(f"the cache file {path} is damaged ({exc}); {FRESH}") from None
    finally:
        conn.close()
    if meta.get("app") != APP:
        raise CacheError(f"the file {path} is not an Expert Console cache; {FRESH}")
    if not str(meta.get("format", "")).isdigit() or int(meta["format"]) > FORMAT:
        raise CacheError(f"the cache file {path} was made by a newer version of the app; {FRESH}")
    if meta.get("server_url") != normal_url(server_url) or meta.get("user_id") != user_id:
        raise CacheError(f"the cache file {path} belongs to account {meta.get('user_id')!r} on "
                         f"{meta.get('server_url')!r}, not {user_id!r} on {normal_url(server_url)!r}; {FRESH}")


class Cache:
    """See the module docstring. Thread-safe: one lock around every read and write."""

    def __init__(self, path: Path, engine: sa.Engine, store: Store, policy: Policy) -> None:
        self.path = path
        self.engine = engine
        self.store = store
        self.policy = policy
        self._lock = threading.RLock()
        self._meta: dict[str, str] = {}
        self._load_meta()
        # Set when SQLite finds the file damaged during use (a page that the start's check did
        # not read): `close` then leaves the file marked as not cleanly closed, so the next
        # start checks it whole and offers a fresh copy (`recovery.start_afresh`).
        self.damaged = ""
        sa.event.listen(engine, "handle_error", self._on_error)

    def _on_error(self, context: sa.engine.ExceptionContext) -> None:
        if is_damage(context.original_exception):
            if not self.damaged:
                log.error("the cache file %s is damaged: %s", self.path, context.original_exception)
            self.damaged = str(context.original_exception)

    # --- opening ---------------------------------------------------------------------------

    @staticmethod
    def default_path(server_url: str, user_id: str) -> Path:
        import platformdirs

        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in user_id)
        return Path(platformdirs.user_data_dir("consoleapp")) / f"{host_port(server_url)}-{safe}.sqlite3"

    @classmethod
    def open(cls, path: Path, server_url: str, user_id: str, policy: Policy = DEFAULT_POLICY) -> Cache:
        path = Path(path)
        _inspect(path, server_url, user_id)
        engine: sa.Engine | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = store_db.create(f"sqlite:///{path}")
            store_db.ensure_schema(engine)
            metadata.create_all(engine)
            with engine.begin() as conn:
                existing = dict(conn.execute(sa.select(cache_meta.c.name, cache_meta.c.value)).all())
                if not existing:
                    rows = {"app": APP, "format": str(FORMAT), "server_url": normal_url(server_url),
                            "user_id": user_id, "client_id": uuid.uuid4().hex, "cursor": "", "next_seq": "1",
                            "last_seq": "0", "last_synced": ""}
                    conn.execute(cache_meta.insert(), [{"name": k, "value": v} for k, v in rows.items()])
            store = Store(engine, policy)
            with engine.begin() as conn:
                cls._set(conn, closed="0")  # until `close`: a session that ends otherwise is checked whole
            return cls(path, engine, store, policy)
        except CacheError:
            raise
        except Exception as exc:  # a damaged file can fail anywhere: never crash the app at start
            if engine is not None:
                engine.dispose()
            raise CacheError(f"the cache file {path} cannot be used ({type(exc).__name__}: {exc}); {FRESH}") from exc

    def close(self) -> None:
        with self._lock:
            try:
                if not self.damaged:
                    with self.engine.begin() as conn:
                        self._set(conn, closed="1")
            except sa.exc.SQLAlchemyError as exc:  # a full disk, say: the next start checks the whole file
                log.warning("the cache could not record its clean close: %s", exc)
            self.store.close()
            self.engine.dispose()

    # --- meta --------------------------------------------------------------------------------

    def _load_meta(self) -> None:
        with self.engine.connect() as conn:
            self._meta = dict(conn.execute(sa.select(cache_meta.c.name, cache_meta.c.value)).all())

    @staticmethod
    def _set(conn: sa.Connection, **values: Any) -> None:
        for name, value in values.items():
            conn.execute(sa.delete(cache_meta).where(cache_meta.c.name == name))
            conn.execute(cache_meta.insert().values(name=name, value=str(value)))

    def _save(self, **values: Any) -> None:
        with self.engine.begin() as conn:
            self._set(conn, **values)
        self._meta.update({k: str(v) for k, v in values.items()})

    @property
    def client_id(self) -> str:
        return self._meta["client_id"]

    @property
    def cursor(self) -> str:
        return self._meta.get("cursor", "")

    @property
    def epoch(self) -> str:
        return self.cursor.partition(":")[0]

    @property
    def server_url(self) -> str:
        return self._meta["server_url"]

    @property
    def user_id(self) -> str:
        return self._meta["user_id"]

    @property
    def last_seq(self) -> int:
        """The server's last processed seq for this client, as of the last complete pull."""
        return int(self._meta.get("last_seq") or 0)

    @property
    def last_synced(self) -> datetime | None:
        text = self._meta.get("last_synced", "")
        return datetime.fromisoformat(text) if text else None

    def mark_synced(self, at: datetime) -> None:
        with self._lock:
            self._save(last_synced=at.isoformat())

    # --- the outbox ----------------------------------------------------------------------------

    def enqueue(self, command: Command) -> int:
        name, args = _encode(command)
        with self._lock, self.engine.begin() as conn:
            seq = int(conn.execute(sa.select(cache_meta.c.value).where(cache_meta.c.name == "next_seq")).scalar_one())
            conn.execute(outbox.insert().values(seq=seq, command_id=uuid.uuid4().hex, name=name, args=args,
                                                created_at=_now().isoformat()))
            self._set(conn, next_seq=seq + 1)
            self._meta["next_seq"] = str(seq + 1)
            return seq

    def outbox_rows(self, limit: int | None = None) -> list[tuple[int, str, str, dict[str, Any]]]:
        """(seq, command_id, name, args) of the commands to push, in seq order."""
        with self._lock, self.engine.connect() as conn:
            q = sa.select(outbox.c.seq, outbox.c.command_id, outbox.c.name, outbox.c.args).order_by(outbox.c.seq)
            if limit:
                q = q.limit(limit)
            rows = conn.execute(q).all()
        out = []
        for seq, cid, name, args in rows:
            data = json.loads(args)
            data.pop("actor", None)  # the server makes the caller the actor
            out.append((seq, cid, name, data))
        return out

    def outbox_size(self) -> int:
        with self._lock, self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one())

    def first_queued(self) -> int | None:
        with self._lock, self.engine.connect() as conn:
            value = conn.execute(sa.select(sa.func.min(outbox.c.seq))).scalar()
            return int(value) if value is not None else None

    def pending(self) -> list[Pending]:
        """Commands whose effect the pulled state does not show yet: queued, or applied but not yet pulled."""
        with self._lock, self.engine.connect() as conn:
            queued = conn.execute(sa.select(outbox.c.seq, outbox.c.command_id, outbox.c.name, outbox.c.args,
                                            outbox.c.created_at)).all()
            s = sent_commands.c
            sent = conn.execute(sa.select(s.seq, s.command_id, s.name, s.args, s.created_at)
                                .where(s.status == "applied", s.confirmed.is_(False))).all()
        items = [Pending(r.seq, r.command_id, _decode(r.name, r.args), datetime.fromisoformat(r.created_at), False)
                 for r in queued]
        items += [Pending(r.seq, r.command_id, _decode(r.name, r.args), datetime.fromisoformat(r.created_at), True)
                  for r in sent]
        return sorted(items, key=lambda p: p.seq)

    def counts(self) -> tuple[int, int]:
        """(len(pending()), len(issues())), counted by the database: the sync status asks at every
        exchange, and decoding every command waiting offline only to count them cost a desktop
        with a long outbox more than the exchange itself."""
        s = sent_commands.c
        queued = sa.select(sa.func.count()).select_from(outbox).scalar_subquery()
        sent = (sa.select(sa.func.count()).select_from(sent_commands)
                .where(s.status == "applied", s.confirmed.is_(False)).scalar_subquery())
        issues = sa.select(sa.func.count()).select_from(sync_issues).scalar_subquery()
        with self._lock, self.engine.connect() as conn:
            row = conn.execute(sa.select(queued + sent, issues)).one()  # one statement, one snapshot
        return int(row[0]), int(row[1])

    def issues(self) -> list[SyncIssue]:
        with self._lock, self.engine.connect() as conn:
            rows = conn.execute(sa.select(sync_issues).order_by(sync_issues.c.seq)).all()
        return [SyncIssue(r.seq, r.command_id, _decode(r.name, r.args), r.code, r.message, datetime.fromisoformat(r.at))
                for r in rows]

    def dismiss(self, seq: int) -> None:
        with self._lock, self.engine.begin() as conn:
            conn.execute(sa.delete(sync_issues).where(sync_issues.c.seq == seq))

    def retry(self, seq: int) -> int:
        """Queue the command of an issue again, as a new command; the issue goes away."""
        with self._lock:
            issue = next((i for i in self.issues() if i.seq == seq), None)
            if issue is None:
                raise KeyError(f"no sync issue with seq {seq}")
            new = self.enqueue(issue.command)
            self.dismiss(seq)
            return new

    # --- what the server said ---------------------------------------------------------------

    def record(self, results: Iterable[CommandResult]) -> bool:
        """Move processed commands out of the outbox; a refusal becomes a sync issue.

        Idempotent: a result heard twice (push answer, then pull) changes nothing the second
        time, and a dismissed issue never comes back. A result that *differs* from the one
        heard before (a server restored from a backup decided the command another way) replaces
        it: a command now refused goes to the issues, one now applied leaves them. Returns
        whether anything changed.
        """
        changed = False
        now = _now().isoformat()
        with self._lock, self.engine.begin() as conn:
            for r in results:
                row = conn.execute(sa.select(outbox).where(outbox.c.seq == r.seq)).first()
                if row is None:
                    changed |= self._redecided(conn, r, now)
                else:
                    conn.execute(sa.delete(outbox).where(outbox.c.seq == r.seq))
                    old = conn.execute(sa.select(sent_commands.c.status).where(sent_commands.c.seq == r.seq)).scalar()
                    conn.execute(sa.delete(sent_commands).where(sent_commands.c.seq == r.seq))
                    conn.execute(sent_commands.insert().values(
                        seq=r.seq, command_id=row.command_id, name=row.name, args=row.args, created_at=row.created_at,
                        status=r.status, position=r.position, code=r.code, message=r.message, confirmed=False))
                    if r.status == "rejected" and old != "rejected":
                        conn.execute(sa.delete(sync_issues).where(sync_issues.c.seq == r.seq))
                        conn.execute(sync_issues.insert().values(
                            seq=r.seq, command_id=row.command_id, name=row.name, args=row.args,
                            created_at=row.created_at, code=r.code, message=r.message, at=now))
                    elif r.status == "applied":
                        conn.execute(sa.delete(sync_issues).where(sync_issues.c.seq == r.seq))
                    changed = True
        return changed

    @staticmethod
    def _redecided(conn: sa.Connection, r: CommandResult, now: str) -> bool:
        """A result for a command already out of the outbox: the same one again changes nothing."""
        s = sent_commands.c
        row = conn.execute(sa.select(sent_commands).where(s.seq == r.seq)).first()
        if row is None or row.command_id != r.command_id or (row.status, row.code) == (r.status, r.code):
            return False
        conn.execute(sa.update(sent_commands).where(s.seq == r.seq).values(
            status=r.status, code=r.code, message=r.message, position=r.position))
        i = sync_issues.c
        if r.status == "applied":
            conn.execute(sa.delete(sync_issues).where(i.seq == r.seq))
        elif row.status == "applied":  # the person believed it done: it must show as not applied
            conn.execute(sync_issues.insert().values(
                seq=r.seq, command_id=row.command_id, name=row.name, args=row.args, created_at=row.created_at,
                code=r.code, message=r.message, at=now))
        else:  # refused both times, for another reason now: a visible issue says the new one
            conn.execute(sa.update(sync_issues).where(i.seq == r.seq).values(code=r.code, message=r.message))
        return True

    # --- after a restore: asking again what became of every sent command ------------------------

    @property
    def recheck(self) -> int | None:
        """After a reset: the seq up to which the server's results were compared again, else None."""
        text = self._meta.get("recheck", "")
        return int(text) if text else None

    def rechecked(self, seq: int | None) -> None:
        """Move the recheck on to `seq`, or end it (None)."""
        with self._lock:
            self._save(recheck="" if seq is None else seq)

    def confirm_up_to(self, last_seq: int) -> bool:
        """After a complete pull: the server has processed everything up to `last_seq`.

        Sent commands up to it are confirmed (the pulled state shows them); sent commands
        above it were lost by the server (restored from a backup) and go back to the outbox
        with their seq and command id. Returns whether anything was re-queued.
        """
        with self._lock, self.engine.begin() as conn:
            s = sent_commands.c
            conn.execute(sa.update(sent_commands).where(s.seq <= last_seq, s.confirmed.is_(False)).values(confirmed=True))
            lost = self._requeue(conn, last_seq)
            self._set(conn, last_seq=last_seq)
            self._meta["last_seq"] = str(last_seq)
        return lost > 0

    def requeue_after(self, last_seq: int) -> int:
        """Put every processed command above the server's `last_seq` back in the outbox."""
        with self._lock, self.engine.begin() as conn:
            return self._requeue(conn, last_seq)

    @staticmethod
    def _requeue(conn: sa.Connection, last_seq: int) -> int:
        s = sent_commands.c
        lost = conn.execute(sa.select(s.seq, s.command_id, s.name, s.args, s.created_at).where(s.seq > last_seq)).all()
        if lost:
            conn.execute(outbox.insert(), [dict(r._mapping) for r in lost])
            conn.execute(sa.delete(sent_commands).where(s.seq > last_seq))
            # A refusal the server lost is no longer its word: the command is pending again, to
            # be decided anew (a new refusal puts it back in the issues), not both at once.
            conn.execute(sa.delete(sync_issues).where(sync_issues.c.seq > last_seq))
        return len(lost)

    def adopt(self, meta: dict[str, str], rows: dict[str, list[dict[str, Any]]]) -> None:
        """Take over the unsent work of a cache set aside (`recovery.start_afresh`): its commands
        with the client id and numbers they were sent under. The pulled state starts empty, so
        every sent command's result is asked for again and none counts as seen (as `reset`)."""
        with self._lock, self.engine.begin() as conn:
            for table in UNSENT_TABLES:
                columns = {c.name for c in table.columns}
                kept = [{k: v for k, v in r.items() if k in columns} for r in rows.get(table.name, [])]
                if table is sent_commands:
                    kept = [{**r, "confirmed": False} for r in kept]
                if kept:
                    conn.execute(table.insert(), kept)
            values = {name: meta[name] for name in UNSENT_META}
            self._set(conn, **values, cursor="", recheck=0)
        self._meta.update({**values, "cursor": "", "recheck": "0"})

    def rebase(self, last_seq: int) -> bool:
        """The server expects `last_seq + 1` but the history to fill the gap is gone.

        Last resort: take a new client id and number the queued commands from 1 again (the
        server knows nothing of the new id, so nothing is applied twice under it). Returns
        whether it had to.
        """
        with self._lock, self.engine.begin() as conn:
            first = conn.execute(sa.select(sa.func.min(outbox.c.seq))).scalar()
            if first is None or int(first) <= last_seq + 1:
                return False
            rows = conn.execute(sa.select(outbox).order_by(outbox.c.seq)).all()
            conn.execute(sa.delete(outbox))
            conn.execute(sa.delete(sent_commands))
            renumbered = [{**dict(r._mapping), "seq": i} for i, r in enumerate(rows, 1)]
            conn.execute(outbox.insert(), renumbered)
            values = {"client_id": uuid.uuid4().hex, "next_seq": len(rows) + 1, "last_seq": 0}
            self._set(conn, **values)
            self._meta.update({k: str(v) for k, v in values.items()})
        return True

    # --- pulled changes --------------------------------------------------------------------------

    def absorb(self, changes: Sequence[tuple[str, str]], cursor: str) -> list[Event]:
        """Fold and store the pulled events (kind, data's JSON text) and the new cursor, in one transaction.

        Raises `UnreadableChange`, storing nothing, when a change is not an event this app knows."""
        events: list[Event] = []
        texts: list[str | None] = []
        loads = parse_json
        for kind, text in changes:
            try:
                data = loads(text)
                if type(data) is not dict:
                    raise ValueError("its data is not an object")
                ev = event_from(kind, data)
            except Exception as exc:  # outside input: whatever decoding it raises, the page is refused whole
                raise UnreadableChange(f"the server sent a {kind!r} change the app cannot read ({exc})") from None
            events.append(ev)
            # The server sends each event's data as it stored it, `codec.dumps(event)`: compact
            # JSON with the fields in their declared order. When the data has exactly those keys
            # the text is stored as is (the store need not encode the event again); data with
            # missing or unknown keys (another version's server) is left to the store's encoding.
            texts.append(text if tuple(data) == _field_names(type(ev)) else None)
        with self._lock:
            with self.store.batch() as b:
                for ev, stored in zip(events, texts, strict=True):
                    b.append(ev, stored)
                self._set(b.conn, cursor=cursor)
            self._meta["cursor"] = cursor
        return events

    def reset(self) -> None:
        """Drop the server's state (the next pull starts from scratch); keep the outbox and history.

        The server's results of every sent command are then asked for again (`recheck`): a
        server restored from a backup may have decided some of them differently."""
        with self._lock:
            tables = [t for t in reversed(store_schema.metadata.sorted_tables) if t.name != store_schema.counters.name]
            with self.engine.begin() as conn:
                for t in tables:
                    conn.execute(sa.delete(t))
                store_db.set_counter(conn, 0)
                s = sent_commands.c
                conn.execute(sa.update(sent_commands).where(s.status == "applied").values(confirmed=False))
                self._set(conn, cursor="", recheck=0)
            self._meta.update(cursor="", recheck="0")
            self.store.close()
            self.store = Store(self.engine, self.policy)

    # --- the view --------------------------------------------------------------------------------

    def view(self, now: datetime) -> World:
        """The pulled state with every pending command replayed through the engine at `now`
        (the server's time). A command the engine refuses here is left out of the view but
        stays queued: only the server decides. So is one the engine cannot even replay on the
        cached part of the world (a bug, logged): one queued command must never take every
        screen down with it."""
        with self._lock:
            world = self.store.fork()
            for p in self.pending():
                try:
                    events = decide(world, p.command, now, self.policy)  # pure: a failure changes nothing
                except DomainError:
                    continue
                except Exception:
                    log.exception("the queued %s (seq %d) cannot be replayed on the cached state",
                                  type(p.command).__name__, p.seq)
                    continue
                for ev in events:
                    evolve(world, ev)
        return world

    def pending_refs(self) -> set[str]:
        """Ids of the records pending commands touch, for 'pending' badges."""
        return refs_of(p.command for p in self.pending())


def refs_of(commands: Iterable[Command]) -> set[str]:
    refs: set[str] = set()
    for command in commands:
        for f in dataclasses.fields(command):
            name, value = f.name, getattr(command, f.name, None)
            if isinstance(value, str) and value and (name.endswith("_id") or name == "session"):
                refs.add(value)
        if type(command) in PERSONAL:  # the actor's own profile, payout profile or offers
            refs.add(command.actor)
    return refs
