"""The scheduler on the real server with a movable clock (R6 expiry, R22-R26 168 h, R33 payouts),
and PostgreSQL with two worker processes: pokes cross processes, due commands run once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.store.conftest import _pg_schema

from .live import LiveServer
from .test_stream import booked, cast, instant, server_now, stream, wait_for


@pytest.mark.dates  # a deadline 90 s after now
def test_r6_instant_request_expires_90s_later_and_the_hold_returns(any_server: LiveServer) -> None:
    people = cast(any_server)
    _, operator = any_server.operator()
    mid = instant(people)
    assert people.carl.kinds(mid)[-1] != "RequestExpired"
    any_server.advance(operator, seconds=60)
    assert "RequestExpired" not in people.carl.kinds(mid)  # not yet: 90 s
    any_server.advance(operator, seconds=31)
    kinds = wait_for(lambda: (k := people.carl.kinds(mid)) and "PaymentReturned" in k and k, 10, "the expiry")
    assert kinds.count("RequestExpired") == 1 and kinds.count("PaymentReturned") == 1
    notes = any_server.call(people.customer_token, "GET", "/sync/notifications").json()
    assert [n["kind"] for n in notes if n["ref"] == mid] == ["expired"]


# A calendar of its own: Monday 17 May 2027, 09:00 UTC. The meeting is held on the 19th and
# settled on the 26th, with no payout day between; the next one is 1 June, the one after 16 June.
PAYOUT_CALENDAR = datetime(2027, 5, 17, 9, 0, tzinfo=UTC)


@pytest.fixture
def calendar_server(tmp_path: Path) -> Iterator[LiveServer]:
    # The clock moves five weeks: longer than a login token lives by default (30 days).
    live = LiveServer(tmp_path / "data", at=PAYOUT_CALENDAR, env={"CONSOLEAPP_TOKEN_HOURS": str(24 * 90)}).start()
    try:
        yield live
    finally:
        live.stop()


@pytest.mark.dates  # 168 h, payout days, token lifetime
def test_r22_auto_evaluation_at_168h_then_r33_payout_on_the_next_payout_day(calendar_server: LiveServer) -> None:
    server = calendar_server
    people = cast(server, now_slot=False)
    _, operator = server.operator()
    start = (server_now(server, operator) + timedelta(days=2)).replace(second=0, microsecond=0)
    assert start.date() == date(2027, 5, 19)
    mid = booked(server, people, start)
    people.anna.push("SetPayoutProfile", legal_name="Anna A", billing_address="1 Main St", tax_id="DE136695976",
                     bank_account="DE89 3704 0044 0532 0130 00")
    server.advance(operator, days=2, minutes=31)  # past the end: held
    wait_for(lambda: "MeetingHeld" in people.anna.kinds(mid), 10, "the meeting to be held")
    assert "MeetingSettled" not in people.anna.kinds(mid)
    server.advance(operator, hours=168)
    kinds = wait_for(lambda: (k := people.anna.kinds(mid)) and "MeetingSettled" in k and k, 10, "the settlement")
    assert kinds.count("MeetingSettled") == 1

    def payouts() -> list[dict[str, object]]:
        return [ch for ch in people.anna.changes() if ch["kind"] == "PayoutMade"]

    assert not payouts()  # 26 May: the share waits for the next payout day
    to_day(server, operator, date(2027, 6, 1))
    made = wait_for(payouts, 10, "a payout")
    assert len(made) == 1 and made[0]["data"]["amount"] == 108  # 120 less the commission
    assert str(made[0]["ref"]).endswith(":2027-06-01")
    to_day(server, operator, date(2027, 6, 16))
    for _ in range(3):
        server.advance(operator, seconds=1)
    assert len(payouts()) == 1  # nothing more to pay; each payout day runs once


def to_day(server: LiveServer, operator: str, day: date) -> None:
    """Move the server's clock to one minute past midnight UTC of `day`."""
    target = datetime(day.year, day.month, day.day, 0, 1, tzinfo=UTC)
    server.advance(operator, seconds=(target - server_now(server, operator)).total_seconds())


# --- PostgreSQL, two worker processes -------------------------------------------------------


@pytest.fixture
def pg_workers(tmp_path: Path) -> Iterator[LiveServer]:
    for url in _pg_schema():
        live = LiveServer(tmp_path / "data", database_url=url, workers=2).start()
        try:
            yield live
        finally:
            live.stop()


def test_pg_two_workers_poke_each_others_streams(pg_workers: LiveServer) -> None:
    people = cast(pg_workers)
    streams = []
    try:
        for _ in range(30):  # the kernel spreads connections over the workers: open until both serve one
            streams.append(stream(pg_workers, people.expert_token))
            if len({s.worker for s in streams}) == 2 and len(streams) >= 4:
                break
        assert len({s.worker for s in streams}) == 2, "every stream landed on one worker"
        for n in range(3):  # each request goes through whichever worker takes it
            instant(people, f"m-cross-{n}")
            for s in streams:
                wait_for(lambda s=s, n=n: any(x.data["ref"] == f"m-cross-{n}" for x in s.of("notification")), 10,
                         f"stream on worker {s.worker} hearing of request {n}")
                # The poke is its own message, which may come after the notification's.
                wait_for(lambda s=s: s.of("poke"), 10, f"stream on worker {s.worker} poked")
    finally:
        for s in streams:
            s.close()


def test_pg_two_workers_run_each_due_command_once(pg_workers: LiveServer) -> None:
    people = cast(pg_workers)
    _, operator = pg_workers.operator()
    meetings = [instant(people) for _ in range(5)]
    pg_workers.advance(operator, seconds=91)
    for mid in meetings:
        wait_for(lambda mid=mid: "RequestExpired" in people.carl.kinds(mid), 10, f"expiry of {mid}")
    for _ in range(5):  # a few more ticks of both schedulers
        pg_workers.advance(operator, seconds=1)
    engine = sa.create_engine(pg_workers.database_url)
    try:
        with engine.connect() as conn:
            counts = dict(conn.execute(sa.text(
                "SELECT ref, count(*) FROM events WHERE kind = 'RequestExpired' GROUP BY ref")).all())
            payout_runs = conn.execute(sa.text(
                "SELECT data FROM events WHERE kind = 'PayoutRunCompleted'")).scalars().all()
    finally:
        engine.dispose()
    assert counts == {mid: 1 for mid in meetings}
    assert len(payout_runs) == len(set(payout_runs)) == 1  # the startup payout day, run by one worker only
