"""A cache that cannot be used is set aside and a fresh one started, keeping the unsent work.

Everything in a cache but the expert's own unsent work is a copy of the server's state, so a
damaged file (or one of another account, or of a newer version) costs a download, not data:
`start_afresh` renames it (kept beside, `<name>.damaged`, for whoever wants to look at it), reads
from it what it can of the commands not yet confirmed by the server (the outbox, the sent
commands and their answers, the refusals, with the client id and sequence numbers they were
sent under, so the server never applies one twice), and writes them into a new cache at the
same path. The next sync then pulls the whole state again, as after `Cache.reset`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consoleapp.engine import DEFAULT_POLICY, Policy

from .cache import APP, FORMAT, UNSENT_META, UNSENT_TABLES, Cache, normal_url


@dataclass(frozen=True)
class Unsent:
    """The expert's own work read back from a cache file: rows as dicts, per table."""

    meta: dict[str, str]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def commands(self) -> int:
        return len(self.rows.get("outbox", []))


@dataclass(frozen=True)
class Afresh:
    kept: Path  # where the old file now is
    unsent: int  # commands carried into the new cache, still to be sent
    read: bool  # whether the old file's unsent work could be read at all


def start_afresh(path: Path, server_url: str, user_id: str, policy: Policy = DEFAULT_POLICY) -> Afresh:
    """Set the file at `path` aside and make a new cache there with its unsent work. Blocking."""
    path = Path(path)
    unsent = read_unsent(path, server_url, user_id)
    kept = set_aside(path)
    try:
        cache = Cache.open(path, server_url, user_id, policy)
        try:
            if unsent is not None:
                cache.adopt(unsent.meta, unsent.rows)
        finally:
            cache.close()
    except BaseException:
        # The new cache could not be made (a full disk): the old file goes back in its place, so
        # the next try reads its unsent work again instead of setting aside a half-made new file
        # that holds none of it.
        for suffix in ("", "-wal", "-shm"):  # the new file first: a half-made file must not pass for a cache
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _move(kept, path)
        raise
    return Afresh(kept, unsent.commands if unsent else 0, unsent is not None)


def read_unsent(path: Path, server_url: str, user_id: str) -> Unsent | None:
    """The unsent work of this account in the file, or None when it cannot be read whole (or
    the file is not this account's cache: its commands are not ours to send)."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        meta = {str(r["name"]): str(r["value"]) for r in conn.execute("SELECT name, value FROM cache_meta")}
        if (meta.get("app") != APP or not meta.get("format", "").isdigit() or int(meta["format"]) > FORMAT
                or meta.get("server_url") != normal_url(server_url) or meta.get("user_id") != user_id
                or any(name not in meta for name in UNSENT_META)):
            return None
        rows = {t.name: [dict(r) for r in conn.execute(f"SELECT * FROM {t.name} ORDER BY seq")]  # noqa: S608
                for t in UNSENT_TABLES}
        return Unsent({name: meta[name] for name in UNSENT_META}, rows)
    except sqlite3.Error:  # a damaged page in the unsent work itself: nothing of it is trusted
        return None
    finally:
        conn.close()


def set_aside(path: Path) -> Path:
    """Rename the file (and its write-ahead log, which belongs with it) to the first free
    `<name>.damaged`, `<name>.damaged-2`, …; returns the new path."""
    n = 1
    while True:
        kept = path.with_name(f"{path.name}.damaged" + (f"-{n}" if n > 1 else ""))
        if not any(Path(f"{kept}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
            break
        n += 1
    _move(path, kept)
    return kept


def _move(path: Path, to: Path) -> None:
    """Rename a cache file with its write-ahead log and shared memory, the main file last: until
    it moves, the path is still the old cache."""
    for suffix in ("-wal", "-shm", ""):
        old = Path(f"{path}{suffix}")
        if old.exists():
            old.rename(f"{to}{suffix}")
