"""Crash runs: the real server killed with SIGKILL at seeded random moments, then restarted on
the same data, while desktops push batches and the scheduler works through a pile of deadlines.

What a crash may never do (docs/ARCHITECTURE.md §3, R34):
- lose or repeat a push the client got a 200 for: every acknowledged command id is in the
  server's results exactly once, and the event its answer points at is that command's;
- apply a re-sent batch twice: a desktop re-sends the batch it got no answer for, unchanged,
  and the events it causes are counted against the answers;
- leave a gap in the log, an unbalanced ledger (`violations()`), or tables that disagree
  with a replay of the log (`Store.verify()`);
- run a deadline twice: a meeting is marked held, settled and closed for claims once.

The tests in test_crash.py run a few rounds per database; a long run is one command:

    .venv/bin/python -m tests.reliability.crash --rounds 200

which prints one JSON line: rounds, crashes survived, commands acknowledged, duplicates found
(always 0 when it passes), problems, seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from consoleapp.engine.ledger import violations
from consoleapp.engine.model import Role
from consoleapp.store import Store, db, schema
from consoleapp.sync.server.accounts import create_user
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.tables import sync_results
from tests.sync.live import LiveServer

ROUNDS_ENV = "CONSOLEAPP_CRASH_ROUNDS"
PG_URL = os.environ.get("CONSOLEAPP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RETRY_SECONDS = 0.05  # a desktop's back-off while the server is down (a retry pace, not a deadline)
GIVE_UP_SECONDS = 120.0  # a batch nobody answers for this long is a failure of the run, not a hang
# Scheduler deadlines that must each happen once per meeting, whatever crashed when.
ONCE_PER_MEETING = ("MeetingHeld", "MeetingSettled", "ClaimWindowClosed")
# Clock jumps of a long run must not expire the desktops' sessions (that is test_security's topic).
LONG_TOKENS = {"CONSOLEAPP_TOKEN_HOURS": str(10**6)}


class RunFailed(RuntimeError):
    """The run could not go on (the server never came back, a batch was never answered)."""


# --- a desktop's outbox -------------------------------------------------------------------------


@dataclass
class Desk:
    """One desktop's outbox: contiguous seqs, and a batch re-sent unchanged until a 200 answers it."""

    live: LiveServer
    token: str
    actor: str
    client_id: str = field(default_factory=lambda: f"desk-{uuid.uuid4().hex[:12]}")
    next_seq: int = 1
    acked: dict[str, dict[str, Any]] = field(default_factory=dict)  # command id -> the server's answer
    names: dict[str, str] = field(default_factory=dict)  # command id -> command name
    last_batch: list[dict[str, Any]] = field(default_factory=list)
    resent: int = 0  # batches sent again because no answer came (the server died under them)
    problems: list[str] = field(default_factory=list)
    abort: threading.Event = field(default_factory=threading.Event)

    def deliver(self, commands: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Push `commands` as the next batch; returns the answers once a 200 came."""
        batch = [{"seq": self.next_seq + i, "command_id": uuid.uuid4().hex, "name": name, "args": args}
                 for i, (name, args) in enumerate(commands)]
        self.next_seq += len(batch)
        for sent in batch:
            self.names[sent["command_id"]] = sent["name"]
        results = self._until_answered(batch)
        self.last_batch = batch
        return results

    def again(self) -> None:
        """Send the last acknowledged batch once more (its answer lost): the stored answers must come back."""
        if self.last_batch:
            self._until_answered(self.last_batch)

    def _until_answered(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        started = time.monotonic()
        first = True
        while True:
            answer = self._post(batch)
            if answer is not None:
                return answer
            if self.abort.is_set() or time.monotonic() - started > GIVE_UP_SECONDS:
                raise RunFailed(f"{self.client_id}: seq {batch[0]['seq']} got no answer")
            if first:
                self.resent += 1
                first = False
            time.sleep(RETRY_SECONDS)

    def _post(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        body = {"client_id": self.client_id, "schema_version": 1, "commands": batch}
        try:
            r = httpx.post(f"{self.live.url}/sync/push", json=body, timeout=30,
                           headers={"Authorization": f"Bearer {self.token}"})
        except httpx.HTTPError:
            return None  # killed mid-request, or not back yet: the same batch goes again
        if r.status_code >= 500:
            return None  # a dying process may still answer; nothing it says is an acknowledgement
        if r.status_code != 200:
            self.problems.append(f"{self.client_id}: push answered {r.status_code}: {r.text[:200]}")
            raise RunFailed(self.problems[-1])
        data = r.json()
        expected = [(x["seq"], x["command_id"]) for x in batch]
        got = [(x["seq"], x["command_id"]) for x in data["results"]]
        if got != expected or data["gap"] or data["last_seq"] != batch[-1]["seq"]:
            self.problems.append(f"{self.client_id}: sent {expected[0]}..{expected[-1]}, "
                                 f"answered {got[:1]}..{got[-1:]} gap={data['gap']} last_seq={data['last_seq']}")
        for result in data["results"]:
            known = self.acked.get(result["command_id"])
            if known is not None and known != result:
                self.problems.append(f"{self.client_id}: the answer for {result['command_id']} changed "
                                     f"from {known} to {result}")
            self.acked[result["command_id"]] = result
        results: list[dict[str, Any]] = data["results"]
        return results


class Pusher(threading.Thread):
    """A desktop pushing batches of 1-12 commands in a loop; `lock` is held while a batch is out."""

    def __init__(self, desk: Desk, rng: random.Random, go: threading.Event, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.desk, self.rng, self.go, self.stop = desk, rng, go, stop
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def command(self) -> tuple[str, dict[str, Any]]:
        if self.rng.random() < 0.1:  # a command the engine refuses is processed once too
            return "ApproveBooking", {"meeting_id": f"missing-{uuid.uuid4().hex[:8]}"}
        return "SetOffers", {"mode": "chat", "per_minute": self.rng.randint(1, 9)}

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                if not self.go.wait(0.05):
                    continue
                with self.lock:
                    if self.go.is_set() and not self.stop.is_set():
                        self.desk.deliver([self.command() for _ in range(self.rng.randint(1, 12))])
        except BaseException as exc:
            self.error = exc


# --- many deadlines at once ------------------------------------------------------------------------


@dataclass
class Storm:
    """An expert and a customer with many back-to-back meetings, all ending before the clock jump."""

    live: LiveServer
    op: str
    expert: Desk
    customer: Desk
    meetings: int

    @classmethod
    def create(cls, live: LiveServer, op: str, meetings: int) -> Storm:
        expert_id, expert_token = live.register("expert")
        customer_id, customer_token = live.register("customer")
        granted = live.call(op, "POST", "/operator/grants", json={"customer": customer_id, "amount": 10**8})
        assert granted.status_code == 201, granted.text
        storm = cls(live, op, Desk(live, expert_token, expert_id), Desk(live, customer_token, customer_id), meetings)
        storm.expect_applied(storm.expert, [("SetOffers", {"mode": "video", "short_price": 40, "long_price": 70})])
        return storm

    def expect_applied(self, desk: Desk, commands: list[tuple[str, dict[str, Any]]]) -> None:
        for result in desk.deliver(commands):
            if result["status"] != "applied":
                raise RunFailed(f"storm set-up refused: {result}")

    def prepare(self) -> list[str]:
        """Book and approve the meetings (one push each side); their ids."""
        now = datetime.fromisoformat(self.live.call(self.op, "GET", "/admin/clock").json()["now"])
        start = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
        slot = f"slot-{uuid.uuid4().hex[:10]}"
        end = start + timedelta(minutes=15 * self.meetings)
        self.expect_applied(self.expert, [("AddSlot", {"slot_id": slot, "start": start.isoformat(), "end": end.isoformat()})])
        ids = [f"m-{uuid.uuid4().hex[:12]}" for _ in range(self.meetings)]
        self.expect_applied(self.customer, [
            ("BookSlot", {"meeting_id": mid, "slot_id": slot, "mode": "video", "offer": "short",
                          "start": (start + timedelta(minutes=15 * i)).isoformat(), "topic": "crash test"})
            for i, mid in enumerate(ids)])
        self.expect_applied(self.expert, [("ApproveBooking", {"meeting_id": mid}) for mid in ids])
        return ids

    def jump(self) -> None:
        """Past every end by the auto-evaluation deadline: held, settled, claim window closed, in one tick."""
        self.live.advance(self.op, hours=2 + self.meetings / 4 + 170)

    def wait_settled(self, url: str, ids: list[str], limit: float = 60.0) -> None:
        """Until the scheduler has settled every meeting (it runs on its own; we only look)."""
        started = time.monotonic()
        while (done := settled(url, ids)) < len(ids):
            if time.monotonic() - started > limit:
                raise RunFailed(f"the scheduler settled {done} of {len(ids)} meetings in {limit:.0f} s")
            time.sleep(0.1)


# --- the checks ----------------------------------------------------------------------------------


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0


def check(url: str, desks: list[Desk], complete: bool) -> Findings:
    """Everything a crash must not break. `complete`: every command sent has been acknowledged,
    so the events must match the answers exactly (otherwise an unanswered batch may have applied)."""
    found = Findings()
    store = Store.open(url)
    try:
        found.problems += [f"ledger: {v}" for v in violations(store.world.ledger, store.every_account())]
        found.problems += [f"verify: {v}" for v in store.verify()]
        e = schema.events.c
        with db.reading(store.engine) as conn:
            length = int(conn.execute(sa.select(schema.counters.c.value)
                                      .where(schema.counters.c.name == db.LOG)).scalar_one())
            count, top = conn.execute(sa.select(sa.func.count(), sa.func.max(e.position))).one()
            if not count == (top or 0) == length:
                found.problems.append(f"log: {count} events, top position {top}, counter {length}")
            stored = conn.execute(sa.select(sync_results.c.client_id, sync_results.c.seq, sync_results.c.command_id,
                                            sync_results.c.status, sync_results.c.position)).all()
            events = {int(p): (kind, actor) for p, kind, actor in conn.execute(sa.select(e.position, e.kind, e.actor))}
            offers = Counter(actor for kind, actor in events.values() if kind == "OffersSet")
            once = Counter((kind, ref) for kind, ref in conn.execute(
                sa.select(e.kind, e.ref).where(e.kind.in_(ONCE_PER_MEETING))))
    finally:
        store.close()
    by_id: dict[str, list[Any]] = {}
    for row in stored:
        by_id.setdefault(row.command_id, []).append(row)
    claimed: dict[int, str] = {}
    for desk in desks:
        applied_offers = 0
        for cid, answer in desk.acked.items():
            rows = by_id.get(cid, [])
            if not rows:
                found.problems.append(f"{desk.client_id}: acknowledged command {cid} is not on the server")
                continue
            if len(rows) > 1:
                found.duplicates += len(rows) - 1
                found.problems.append(f"{desk.client_id}: command {cid} was processed {len(rows)} times")
            row = rows[0]
            if (row.client_id, row.seq, row.status, row.position) != (desk.client_id, answer["seq"], answer["status"],
                                                                     answer["position"]):
                found.problems.append(f"{desk.client_id}: the server holds {tuple(row)} for the answer {answer}")
            if answer["status"] != "applied":
                continue
            position = int(answer["position"])
            if position in claimed:
                found.problems.append(f"position {position} is the answer of {claimed[position]} and of {cid}")
            claimed[position] = cid
            kind, actor = events.get(position, ("missing", ""))
            if kind == "missing":
                found.problems.append(f"{desk.client_id}: {cid} answered position {position}, which is not in the log")
            # A command's answer names its last event (often a notification by the system);
            # SetOffers has exactly one, the caller's own OffersSet, so it is checked in full.
            if desk.names[cid] == "SetOffers":
                applied_offers += 1
                if (kind, actor) != ("OffersSet", desk.actor):
                    found.problems.append(f"{desk.client_id}: SetOffers {cid} answered position {position}, "
                                          f"which holds {kind} by {actor!r}")
        extra = offers[desk.actor] - applied_offers
        if extra and (complete or extra < 0):
            if extra > 0:
                found.duplicates += extra
            found.problems.append(f"{desk.client_id}: {offers[desk.actor]} OffersSet events for {applied_offers} "
                                  "acknowledged SetOffers")
    for (kind, ref), n in once.items():
        if n > 1:
            found.duplicates += n - 1
            found.problems.append(f"{kind} happened {n} times to {ref}")
    return found


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Report:
    database: str
    rounds: int = 0
    crashes: int = 0
    survived: int = 0  # crashes after which every check passed
    acknowledged: int = 0
    resent: int = 0
    duplicates: int = 0
    deadlines: int = 0  # meetings taken through held, settled and closed by a crashing scheduler
    interrupted: int = 0  # rounds whose kill came before the scheduler had settled every meeting
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(url: str, data_dir: Path, rounds: int, seed: int, workers: int = 1, desks: int = 3,
        meetings: int = 30) -> Report:
    """`rounds` crashes of the server at `url` (empty: SQLite in `data_dir`), each followed by a restart and the checks."""
    began = time.monotonic()
    rng = random.Random(seed)
    report = Report("postgresql" if url else "sqlite")
    live = LiveServer(data_dir, database_url=url, workers=workers, env=LONG_TOKENS)
    url = live.settings.url
    go, stop = threading.Event(), threading.Event()
    pushers: list[Pusher] = []
    everyone: list[Desk] = []
    live.start()
    r = 0
    try:
        op = operator_token(live)
        storm = Storm.create(live, op, meetings)
        for n in range(desks):
            actor, token = live.register("expert")
            pushers.append(Pusher(Desk(live, token, actor), random.Random(seed * 1000 + n), go, stop))
        everyone = [storm.expert, storm.customer, *(p.desk for p in pushers)]
        go.set()
        for p in pushers:
            p.start()
        for r in range(rounds):
            # Every other round the clock jumps over many meeting ends, so the kill lands in
            # the scheduler's work as well as in the pushes.
            ids = storm.prepare() if r % 2 == 0 else []
            if ids:
                storm.jump()
            time.sleep(rng.uniform(0.02, 0.8))  # the crash moment
            live.kill()
            report.crashes += 1
            # The data exactly as the kill left it, before any restart could tidy anything up
            # (answers not received yet may have committed: `complete=False`).
            at_crash = check(url, everyone, complete=False)
            if ids and settled(url, ids) < len(ids):
                report.interrupted += 1
            live.start()
            with paused(pushers, go):  # each in-flight batch is re-sent and answered before this returns
                for desk in everyone:
                    desk.again()
                if ids:
                    storm.wait_settled(url, ids)
                    report.deadlines += len(ids)
                after = check(url, everyone, complete=True)
            _failed(pushers)
            found = [f"at the crash: {p}" for p in at_crash.problems] + [f"after the restart: {p}" for p in after.problems]
            report.problems += [f"round {r + 1}: {p}" for p in found]
            report.duplicates += max(at_crash.duplicates, after.duplicates)  # one duplicate shows in both
            report.rounds += 1
            report.survived += not found
            if found:
                break  # the data is broken; further rounds would only repeat it
    except Exception as exc:  # reported with the rest, so a long run still ends in its JSON line
        report.problems.append(f"round {r + 1}: the run stopped: {exc!r}")
    finally:
        stop.set()
        for desk in everyone:
            desk.abort.set()
        for p in pushers:
            p.join(GIVE_UP_SECONDS)
        live.stop()
    for desk in everyone:
        report.problems += desk.problems
        report.acknowledged += len(desk.acked)
        report.resent += desk.resent
    report.seconds = round(time.monotonic() - began, 1)
    return report


def operator_token(live: LiveServer) -> str:
    """An operator's token issued by the server's own /auth/login, so it lives as the server's
    settings say (a token made in this process would carry the default 30 days, and the clock
    jumps a week a round)."""
    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    server = open_server(live.settings)
    try:
        create_user(server, email, "correct horse", "Ops", Role.OPERATOR)
    finally:
        server.store.close()
    r = httpx.post(f"{live.url}/auth/login", json={"email": email, "password": "correct horse"}, timeout=30)
    if r.status_code != 200:
        raise RunFailed(f"the operator could not log in: {r.status_code} {r.text[:200]}")
    token: str = r.json()["token"]
    return token


def settled(url: str, ids: list[str]) -> int:
    engine = db.create(url)
    m = schema.meetings.c
    try:
        with db.reading(engine) as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schema.meetings)
                                    .where(m.id.in_(ids), m.status == "Settled")).scalar_one())
    finally:
        engine.dispose()


@contextlib.contextmanager
def paused(pushers: list[Pusher], go: threading.Event) -> Iterator[None]:
    """No pusher has a batch out inside this block (each finishes the one it is sending first)."""
    go.clear()
    held = []
    try:
        for p in pushers:
            p.lock.acquire()
            held.append(p)
        yield
    finally:
        for p in held:
            p.lock.release()
        go.set()


def _failed(pushers: list[Pusher]) -> None:
    for p in pushers:
        if p.error is not None:
            raise RunFailed(f"pusher {p.desk.client_id} failed: {p.error!r}") from p.error


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema on the local PostgreSQL, dropped afterwards; `LookupError` (saying why) if none answers."""
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as err:  # the driver missing or the server down: both mean "no PostgreSQL here"
        raise LookupError(f"PostgreSQL unreachable at {PG_URL}: {type(err).__name__}: {err}".splitlines()[0]) from None
    name = f"crash_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        separator = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{separator}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def rounds_from_env(default: int) -> int:
    raw = os.environ.get(ROUNDS_ENV, "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.crash", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=rounds_from_env(20), help="crashes per database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pg-workers", type=int, default=2, help="server processes on PostgreSQL")
    args = parser.parse_args(argv)
    began = time.monotonic()
    reports: list[Report] = []
    skipped: dict[str, str] = {}
    for name in [x.strip() for x in args.databases.split(",") if x.strip()]:
        with tempfile.TemporaryDirectory(prefix="consoleapp-crash-") as tmp:
            if name == "sqlite":
                reports.append(run("", Path(tmp) / "data", args.rounds, args.seed))
                continue
            try:
                with pg_schema() as url:
                    reports.append(run(url, Path(tmp) / "data", args.rounds, args.seed, workers=args.pg_workers))
            except LookupError as why:
                skipped[name] = str(why)
    problems = [p for r in reports for p in r.problems]
    print(json.dumps({
        "rounds": sum(r.rounds for r in reports), "crashes_survived": sum(r.survived for r in reports),
        "commands_acknowledged": sum(r.acknowledged for r in reports), "batches_resent": sum(r.resent for r in reports),
        "deadlines_run": sum(r.deadlines for r in reports),
        "scheduler_interrupted": sum(r.interrupted for r in reports), "duplicates_found": sum(r.duplicates for r in reports),
        "problems": problems[:20], "databases": {r.database: {"rounds": r.rounds, "crashes": r.crashes,
                                                              "seconds": r.seconds} for r in reports},
        "skipped": skipped, "seed": args.seed, "seconds": round(time.monotonic() - began, 1)}))
    return 1 if problems or not reports else 0


if __name__ == "__main__":
    sys.exit(main())
