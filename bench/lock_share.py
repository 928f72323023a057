"""How much of a PostgreSQL push is spent holding the log counter's lock; ONE JSON line.

Every write that writes events holds the `counters` row lock to its commit: a write of the whole
log from its catch-up on (`db.writing`), a push of an expert's own prices and slots only from the
round trip that writes its rows on (`Store.batch(local=...)`: it decides beside other experts'
writes; `db.lock_counter_sent`). However
many workers serve, those holds run one at a time: if one worker holds the lock a share `s` of the
time it spends on pushes, N workers whose writes hold it as long can push at most 1/s times as fast
as one. This bench measures `s`: the real server (one worker, PostgreSQL, a fresh schema dropped
after) runs in a child process whose `db.writing` and `db.lock_counter_sent` also note when the
counter was taken (PostgreSQL's clock, read in the statement after the lock's) and when the
transaction ended; 20 experts' desktops push batches of 50 commands at it
(bench/server.py's `push_rate`, as bench/scale.py's `pg_push` does), and the counter's hold over
that window is summed. With `--servers 2`, two such one-worker servers share the database (what
`serve --workers 2` runs) and the clients alternate between them: a `held_share` near 1 there says
the lock, not the machine, is what the second worker waits for.

With `--separate`, each server has a database of its own (nothing shared: no counter row, no
catch-up of the other's events): the pushes per second the machine gives that many workers when no
write waits for another's, the ceiling of any ordering of the log that lets writes run side by side.
With `--whole-log`, every write locks the whole log as writes other than experts' own did before
(the comparison, run in turns with the default). With `--ordered`, a prototype of another ordering
of the log (`ordered_commits`): a local write reserves its positions from a sequence, writes its
rows beside other writers', and waits only to commit in the order of its positions; its
`held_share` is then only the counter's update at the commit, and its `commands_per_s` is what
taking the counter out of the rows' round trip gives.
With `--unfolded` (several servers on one database), each server counts the events the others wrote past
without decoding or folding them (`_counted_past`): its World is then wrong about the other servers'
experts, which this bench's pushes never ask about (each expert pushes to one server). The difference
with the default is what keeping every worker's World whole costs the shared log: the rest of the gap
to `--separate` is the counter and PostgreSQL.

- `held_share`: time the counter was held ÷ the push window (summed over the servers);
- `held_ms_per_push`, `server_cpu_ms_per_push`, `postgresql_cpu_ms_per_push`: per push of 50
  commands (PostgreSQL's with the connections that ended in the window);
- `machine_busy`: the share of all cores busy over the window;
- `ceiling_ratio`: 1 / `held_share`, what two workers' pushes ÷ one's (bench/scale.py's
  `pg_push_ratio`) cannot exceed while each hold lasts as long (meaningful with one server).
- `writes`, `pushes_per_write`: the writes in the window that wrote events, and the pushes each
  carried (`Runner.shared` puts the pushes that queued meanwhile in one transaction);
- `phases_ms_per_write`: a write cut in `PHASES` (a write of the whole log) or `PHASES_LOCAL` (a
  local one: from its keys' locks on), each phase's mean wall time and the writing thread's own CPU
  time in it: where the wall time exceeds the CPU time, the writing thread was waiting, for
  PostgreSQL or for a core or for Python's lock. `locking` is the write's start to its locks taken:
  its BEGIN, its callers' reads and row locks (`before`), the locks, and what goes with them. A
  local write's `counter_wait` runs from its rows handed over to the counter's grant (PostgreSQL's
  clock), its `round_trip` from the grant to the answers: its hold is `round_trip` and `commit`.

    .venv/bin/python bench/lock_share.py [--clients 20] [--batches 30] [--servers 1] [--separate] [--whole-log]
                                         [--ordered] [--unfolded]

PostgreSQL: CONSOLEAPP_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import client  # noqa: F401 - first: it puts the project on sys.path
from processes import cpu_seconds, machine_jiffies, postgres_cpu_seconds, server_pid
from server import pg_schema, push_rate, register_many
from serving import serving

PUSH_BATCH = 50
WHOLE_LOG = "CONSOLEAPP_BENCH_WHOLE_LOG"  # set in the servers' environment by `--whole-log`
ORDERED = "CONSOLEAPP_BENCH_ORDERED"  # set in the servers' environment by `--ordered`
UNFOLDED = "CONSOLEAPP_BENCH_UNFOLDED"  # set in the servers' environment by `--unfolded`


PHASES = ("locking", "catch_up", "decide", "rows", "round_trip", "commit")
# A local write (an expert's own prices and slots, `Store.batch(local=...)`) takes the counter only to
# write its rows, in their round trip (`db.lock_counter_sent`): the statements handed over, PostgreSQL
# waits for the counter (as its clock says), then writes the rows and answers.
PHASES_LOCAL = ("locking", "catch_up", "decide", "rows", "counter_wait", "round_trip", "commit")


def child(spans_file: Path, serve: list[str]) -> int:
    """The server (`serve ...`, one worker, in this process), each lock hold appended to
    `spans_file` as it ends (uvicorn ends its process with the signal that stopped it: nothing
    runs at exit).

    A hold that wrote events also notes the wall clock and the writing thread's CPU time at the
    boundaries of its phases (`PHASES`): the write begun, the lock taken, the other workers' events folded
    (`Store._catch_up`), the callers' work done (deciding and folding: `Store._write` begins), every
    row built and its statement handed to psycopg (the pipeline's block ends), for a local write the
    counter granted (by PostgreSQL's clock, `counting`), PostgreSQL's answers back (`Store._write`
    returns), and the commit done."""
    import threading

    import sqlalchemy as sa

    from consoleapp.store import db
    from consoleapp.store.store import Store
    from consoleapp.sync.server import cli

    writing, pipelined, lock_counter_sent = db.writing, db.pipelined, db.lock_counter_sent
    local = threading.local()  # the marks of the hold this thread is in, if any, and when it took the counter

    def mark() -> None:
        marks = getattr(local, "marks", None)
        if marks is not None:
            marks.append(f"{time.perf_counter():.6f}:{time.thread_time():.6f}")

    def marked(method: Callable[..., Any], before: bool) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if before:
                mark()
            result = method(*args, **kwargs)
            mark()
            return result
        return call

    with spans_file.open("a", buffering=1) as spans:  # line-buffered: each span is written whole

        @contextlib.contextmanager
        def timed(engine: sa.Engine, before: Callable[[sa.Connection], None] | None = None,
                  keys: Iterable[str] | None = None, log: db.LogRead | None = None,
                  first: Sequence[db.Ask] = (), then: Sequence[db.Ask] = ()) -> Iterator[tuple[sa.Connection, int]]:
            local.marks, local.counted = None, 0.0
            entered = f"{time.perf_counter():.6f}:{time.thread_time():.6f}"
            try:
                with writing(engine, before, keys, log, first, then) as locked:
                    got = time.time()  # the locks taken (after `before`); wall clock: compared with the parent's window
                    if keys is None and not local.counted:  # a write of the whole log takes the counter with its locks
                        local.counted = got
                    local.marks = [entered]
                    mark()
                    yield locked
                mark()
                # After the commit (or rollback) let the locks go: when the counter was taken (0: never,
                # a local write that decided nothing), the write's start and end, its phases' marks.
                spans.write(" ".join([str(local.counted), str(got), str(time.time()), *local.marks]) + "\n")
            finally:
                local.marks = None

        skew: list[float] = []  # PostgreSQL's clock less this process's (faked under faketime; PostgreSQL's is not)

        def counting(conn: sa.Connection) -> Callable[[], int]:
            if not skew:  # once, on a connection of its own: half a round trip's error
                with conn.engine.connect() as other:
                    before = time.time()
                    theirs = other.exec_driver_sql("SELECT extract(epoch FROM clock_timestamp())::float8").scalar_one()
                    skew.append(float(theirs) - (before + time.time()) / 2)
            length = lock_counter_sent(conn)
            taken = conn.connection.cursor()  # right after the lock's statement: when PostgreSQL granted it
            taken.execute("SELECT extract(epoch FROM clock_timestamp())::float8")

            def read() -> int:  # once the pipeline has ended, after the mark of its statements handed over
                try:
                    row = taken.fetchone()
                finally:
                    taken.close()
                at = float(row[0]) - skew[0] if row else time.time()
                local.counted = at
                marks = getattr(local, "marks", None)
                if marks is not None:  # the grant in this thread's clocks; no CPU is spent waiting for it
                    ended = float(marks[-1].split(":")[0])
                    granted = max(ended, time.perf_counter() - (time.time() - at))
                    marks.append(f"{granted:.6f}:{time.thread_time():.6f}")
                return length()

            return read

        @contextlib.contextmanager
        def piped(conn: sa.Connection) -> Iterator[None]:
            with pipelined(conn):
                yield
                mark()  # every statement handed over; the answers come as the block ends

        db.writing, db.pipelined, db.lock_counter_sent = timed, piped, counting  # the store calls them through the module
        if os.environ.get(WHOLE_LOG):  # every write over the whole log, as before local writes: the comparison
            from consoleapp.sync.server import runner
            runner.own_keys_of = lambda jobs: None
        if os.environ.get(ORDERED):
            ordered_commits(local)
        if os.environ.get(UNFOLDED):
            Store._fold_log = _counted_past  # type: ignore[method-assign]
        Store._catch_up = marked(Store._catch_up, before=False)  # type: ignore[method-assign]
        Store._write = marked(Store._write, before=True)  # type: ignore[method-assign]
        return cli.main(serve)


def _counted_past(self: Any, conn: Any, spans: list[tuple[int, int]], may_reload: bool = True,
                  read: Any = None) -> None:
    """`--unfolded`'s `Store._fold_log`: the other servers' events counted past, not decoded nor folded.
    The World then holds another expert's prices and slots as they were: right for this bench's pushes
    only (each expert pushes to one server, which alone decides over that expert's records)."""
    self._world.version += sum(upto - after for after, upto in spans)


# `--ordered`: a local write reserves its positions from a sequence instead of locking the counter, and
# writes its rows with them; only its commit waits, for the write that reserved just before it (an
# advisory lock on that write's last position, held to its commit) and then moves the counter on. The
# log still commits in the order of its positions, so a pull's cursor never passes a later commit, but
# the rows of writes over different keys go in side by side. A prototype to measure, not the product's
# path: a write that fails after reserving leaves a gap its successor does not fill (the bench's pushes
# never fail), and only a local write reserves (a write of the whole log still holds the counter).
_RESERVE = "hashtextextended('consoleapp.reserve/' || current_schema(), 0)"  # held for the reservation only
_POSITION = "hashtext('consoleapp.log/' || current_schema())"  # with a write's last position: held to its commit
_BASE = "current_setting('consoleapp.base')::bigint"  # the write's reserved positions start after it


def ordered_commits(local: Any) -> None:
    """Patch the store (in the server's process) for `--ordered`; `local`: the child's marks. `Store._write`
    runs as it is: its counter's lock (`db.lock_counter_sent`) becomes the reservation, and its counter's
    move (`db.advance_counter`) waits its turn first."""
    import threading

    from consoleapp.store import db, schema
    from consoleapp.store.store import Store

    counters = db._q(schema.counters.name)
    created: list[bool] = []
    writing = threading.local()  # `events`: how many positions this thread's local write reserves (None: not one)

    def past_counter(dialect: Any) -> str:  # a reserving write's base, else (a write of the whole log) the counter
        if dialect.name != "postgresql":
            return original_past(dialect)
        return (f"(COALESCE(NULLIF(current_setting('consoleapp.base', true), '')::bigint, "
                f"(SELECT value FROM {counters} WHERE name = %s)) + %s)")

    def write(self: Store, conn: Any, base: int, events: int, rows: Any, deferred: Any, count: bool) -> Any:
        writing.events = events if count and conn.dialect.name == "postgresql" else None
        try:
            return original_write(self, conn, base, events, rows, deferred, count)
        finally:
            writing.events = None

    def reserve(conn: Any) -> Callable[[], int]:
        events = getattr(writing, "events", None)
        if events is None:
            return original_lock(conn)
        if not created:  # once per process, on a connection of its own (another server may race it)
            with contextlib.suppress(Exception), conn.engine.connect() as other:
                other.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "CREATE SEQUENCE IF NOT EXISTS log_seq MINVALUE 0 START WITH 0")
            created.append(True)
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({_RESERVE})")
        cursor = conn.connection.cursor()
        cursor.execute("SELECT set_config('consoleapp.base', GREATEST((SELECT CASE WHEN is_called THEN last_value "
                       f"ELSE 0 END FROM log_seq), (SELECT value FROM {counters} WHERE name = %s))::text, true)",
                       (db.LOG,))
        conn.exec_driver_sql(f"SELECT setval('log_seq', {_BASE} + %s)", (events,))
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSITION}, ({_BASE} + %s)::int)", (events,))
        conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_RESERVE})")

        def length() -> int:  # once the pipeline has ended
            local.counted = time.time()  # no hold of the counter to note: the turn's wait is part of the commit
            row = cursor.fetchone()
            cursor.close()
            return int(row[0])

        return length

    def advance(conn: Any, events: int) -> None:
        if getattr(writing, "events", None) is None:
            original_advance(conn, events)
            return
        # The commit's turn: the write that reserved the positions before these has committed.
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({_POSITION}, {_BASE}::int)")
        conn.exec_driver_sql(f"UPDATE {counters} SET value = {_BASE} + %s WHERE name IN (%s, %s)",
                             (events, db.LOG, db.PROJECTED))

    original_past, original_write = db.past_counter, Store._write
    original_lock, original_advance = db.lock_counter_sent, db.advance_counter
    db.past_counter, db.lock_counter_sent, db.advance_counter = past_counter, reserve, advance
    Store._write = write  # type: ignore[method-assign]


def phases(lines: list[list[str]], began: float, ended: float) -> tuple[int, dict[str, dict[str, float]]]:
    """Writes inside the window whose every phase was noted, and each phase's mean wall and CPU ms."""
    wall = dict.fromkeys(PHASES_LOCAL, 0.0)
    cpu = dict.fromkeys(PHASES_LOCAL, 0.0)
    counts = dict.fromkeys(PHASES_LOCAL, 0)
    writes = 0
    for line in lines:
        names = {len(PHASES) + 1: PHASES, len(PHASES_LOCAL) + 1: PHASES_LOCAL}.get(len(line) - 3)
        if names is None or float(line[1]) < began or float(line[2]) > ended:
            continue  # a hold that wrote nothing (or a sign-up's, before the window)
        points = [tuple(map(float, m.split(":"))) for m in line[3:]]
        writes += 1
        for name, (a, b) in zip(names, zip(points, points[1:], strict=False), strict=True):
            wall[name] += b[0] - a[0]
            cpu[name] += b[1] - a[1]
            counts[name] += 1
    return writes, {name: {"wall": round(wall[name] / counts[name] * 1000, 2),
                           "cpu": round(cpu[name] / counts[name] * 1000, 2)} for name in PHASES_LOCAL if counts[name]}


def measure(clients: int, batches: int, servers: int = 1, separate: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-lock-") as tmp, contextlib.ExitStack() as stack:
        spans_file = Path(tmp) / "spans.txt"
        launcher = (sys.executable, __file__, "--child", str(spans_file))
        # Several one-worker servers on one database, started one after the other: what
        # `serve --workers N` runs, each process here wrapped so that its lock holds are noted.
        # `separate`: each on a database of its own, so that nothing is shared between them (no
        # counter row, no catch-up): what this machine gives several workers when no write waits
        # for another's.
        shared = "" if separate else stack.enter_context(pg_schema())
        urls = [stack.enter_context(serving(Path(tmp) / f"data{n}", shared or stack.enter_context(pg_schema()), 1,
                                            launcher=launcher)) for n in range(servers)]
        pids = [server_pid(int(url.rsplit(":", 1)[1])) for url in urls]
        # Signed up before the window (a sign-up hashes a password), each where it will push: client
        # n pushes to server n mod N (push_rate), whose database must know it when they are separate.
        signed = [register_many(url, "expert", len(range(n, clients, servers))) for n, url in enumerate(urls)]
        people = [signed[n % servers][n // servers] for n in range(clients)]
        cpu0, pg0, busy0 = cpu_seconds(pids), postgres_cpu_seconds(), machine_jiffies()
        began = time.time()
        figures = push_rate(urls, clients, batches, PUSH_BATCH, people)
        ended = time.time()
        cpu, pg_cpu, busy1 = cpu_seconds(pids) - cpu0, postgres_cpu_seconds() - pg0, machine_jiffies()
        stack.close()  # the servers stop here, so that every span they noted is in the file
        lines = [line.split() for line in spans_file.read_text().splitlines()]
    spans = [(float(x[0]), float(x[2])) for x in lines if len(x) >= 3 and float(x[0])]  # the counter's holds
    held = sum(max(0.0, min(b, ended) - max(a, began)) for a, b in spans)
    writes, phase_ms = phases(lines, began, ended)
    window = ended - began
    pushes = clients * batches
    share = held / window
    return {"bench": "lock_share", "servers": servers, "separate": separate,
            "whole_log": bool(os.environ.get(WHOLE_LOG)), "ordered": bool(os.environ.get(ORDERED)),
            "unfolded": bool(os.environ.get(UNFOLDED)), "clients": clients,
            "batches_per_client": batches, "batch": PUSH_BATCH, "commands_per_s": figures["commands_per_s"],
            "errors": figures["errors"], "window_s": round(window, 2), "held_s": round(held, 2),
            "held_share": round(share, 2), "held_ms_per_push": round(held / pushes * 1000, 1),
            "server_cpu_ms_per_push": round(cpu / pushes * 1000, 1),
            "postgresql_cpu_ms_per_push": round(pg_cpu / pushes * 1000, 1),
            "machine_busy": round((busy1[0] - busy0[0]) / max(busy1[1] - busy0[1], 1), 2),
            "ceiling_ratio": round(1 / share, 2) if share and not separate else None,
            "writes": writes, "pushes_per_write": round(pushes / writes, 1) if writes else None,
            "phases_ms_per_write": phase_ms}


def main() -> int:
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        return child(Path(sys.argv[2]), sys.argv[3:])
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--clients", type=int, default=20, help="experts pushing at once (default 20)")
    p.add_argument("--batches", type=int, default=30, help="pushes of 50 commands per expert (default 30)")
    p.add_argument("--servers", type=int, default=1,
                   help="one-worker servers on the one database, clients spread over them (default 1)")
    p.add_argument("--separate", action="store_true",
                   help="each server on a database of its own: nothing shared, the machine's own ceiling")
    p.add_argument("--whole-log", action="store_true",
                   help="every write locks the whole log, as before experts' own prices and slots were decided apart")
    p.add_argument("--ordered", action="store_true",
                   help="local writes reserve their positions and wait only to commit in their order (a prototype)")
    p.add_argument("--unfolded", action="store_true",
                   help="with several servers on one database, each counts the others' events past without folding them")
    args = p.parse_args()
    if args.unfolded:
        os.environ[UNFOLDED] = "1"
    if args.whole_log:
        os.environ[WHOLE_LOG] = "1"
    if args.ordered:
        os.environ[ORDERED] = "1"
    print(json.dumps(measure(args.clients, args.batches, args.servers, args.separate)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
