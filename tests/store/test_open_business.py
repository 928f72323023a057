"""A store keeps the open business in memory and reads closed history back from its tables
(`consoleapp/store/open_world.py`, `repository.py`): on SQLite files and on PostgreSQL."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.claims import flagged_experts
from consoleapp.engine.due import due
from consoleapp.engine.events import ExpertFlagged, ReviewWritten
from consoleapp.engine.ledger import Transfer, earnings, violations, wallet
from consoleapp.engine.model import (
    Answer,
    DeclineReason,
    MeetingStatus,
    Mode,
    OfferKind,
    Outcome,
    PaymentStatus,
    Role,
)
from consoleapp.engine.payouts import statement
from consoleapp.store import Store, db, open_world, schema
from consoleapp.store.open_world import SLOT_GRACE, slot_cutoff
from consoleapp.store.repository import CorruptRow, Reader, held
from tests.engine.scenario import T0, Scenario
from tests.store.twin import Twin, same, varied


def history(s: Twin, sessions: int) -> list[str]:
    """Sessions held, evaluated smoothly (R22: settled) and past their claim window (R29): closed."""
    s.expert("anna", now_slot=False)
    s.customer("carl", 100_000)
    ids = []
    for i in range(sessions):
        mid = f"old{i}"
        s.held_meeting(mid, price=30)
        s.do(c.Evaluate(actor="carl", meeting_id=mid, answer=Answer.SMOOTH))
        ids.append(mid)
    s.wait(hours=s.policy.claim_window_hours + 1)
    s.do(c.AddSlot(actor="anna", slot_id="now", start=None))  # for instant requests from here on
    return ids


def in_memory(store: Store) -> set[str]:
    return set(dict.keys(store.world.meetings))


def elsewhere(twin: Twin, store: Store, command: c.Command) -> None:
    """Another process decides: its store writes, the twin's engine World follows."""
    assert store.execute(command, twin.now) == Scenario.do(twin, command)


def reopened_reading(twin: Twin, url: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Start the twin's store again; returns the kinds of events its start read from the log."""
    twin.store.close()
    read: list[tuple[str, ...]] = []
    real = open_world.logged

    def watched(conn: sa.Connection, *kinds: str) -> Iterator[tuple[int, object]]:
        read.append(kinds)
        return real(conn, *kinds)

    monkeypatch.setattr(open_world, "logged", watched)
    twin.store = Store.open(url)
    return read


def test_r29_closed_meetings_leave_memory_and_are_read_back_by_id(twin: Twin, url: str) -> None:
    ids = history(twin, 12)
    twin.do(c.RequestInstant(actor="carl", meeting_id="now1", expert="anna", mode=Mode.VIDEO,
                             offer=OfferKind.SHORT, topic="still open"))
    w = twin.store.world
    assert in_memory(twin.store) == {"now1"}
    assert not dict.keys(w.ledger.transfers) & {f"{mid}:hold1" for mid in ids}  # resolved holds too
    assert not dict.keys(w.ledger.resolved) and not dict.keys(w.claims_of_session)
    # Nothing else grows with the history between writes either.
    for tracked in (w.meetings, w.ledger.transfers, w.ledger.resolved, w.ledger.accounts, w.met):
        assert not tracked.dirty  # type: ignore[attr-defined]
    # Every read by id still answers, as the engine's own World does.
    assert w.meetings["old3"] == twin.world.meetings["old3"]
    assert "old3" in w.meetings and w.meetings.get("nothing") is None and "nothing" not in w.meetings
    assert w.ledger.transfers["old3:hold1"] == twin.world.ledger.transfers["old3:hold1"]
    assert w.ledger.resolved["old3:hold1"] == twin.world.ledger.resolved["old3:hold1"]
    assert same(w, twin.world) and twin.store.verify() == []
    # R26: an expert's late answer on a closed meeting is decided and folded like any other.
    twin.do(c.Evaluate(actor="anna", meeting_id="old0", answer=Answer.SMOOTH))
    assert twin.store.world.meetings["old0"].expert_answer is Answer.SMOOTH
    assert "old0" not in in_memory(twin.store)  # closed again after the write
    # R27: the review checks the sessions the customer had, none of them in memory.
    twin.do(c.WriteReview(actor="carl", expert="anna", text="Clear and patient"))
    # Started again, the store reads the open business from the tables, not the log.
    twin.store.close()
    twin.store = Store.open(url)
    assert in_memory(twin.store) == {"now1"}
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def customer_wallets_held(store: Store) -> set[str]:
    """The customers' wallets and Persons in memory, as `customer:<id>` and `person:<id>`."""
    people = {f"person:{k}" for k, who in dict.items(store.world.people) if who.role is Role.CUSTOMER}
    return people | {k for k in dict.keys(store.world.ledger.accounts) if k.startswith("customer:")}


def test_r11_customers_and_their_wallets_leave_memory_and_are_read_back(twin: Twin, url: str) -> None:
    """A store keeps no customer's Person or wallet in memory: R11's check reads the balance back
    from the table when a command moves it, in the store that wrote it as after a start."""
    s = twin
    s.expert("anna", now_slot=False)
    s.customer("carl", 100)
    s.customer("dana", 500)
    s.held_meeting("m1", price=60)  # carl: 40 left
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    s.held_meeting("d1", price=90, customer="dana")  # its hold open: no answer yet
    assert customer_wallets_held(s.store) == set()
    assert {"escrow", "commission", "expert:anna"} <= set(dict.keys(s.store.world.ledger.accounts))
    assert set(dict.keys(s.store.world.people)) == {"anna"}
    for store in (s.store, Store.open(url)):
        try:
            for who in ("carl", "dana"):
                assert store.world.ledger.account(wallet(who)) == s.world.ledger.account(wallet(who))
                assert store.world.people[who] == s.world.people[who] and who in store.world.people
            assert "nobody" not in store.world.people and store.world.people.get("nobody") is None
            assert violations(store.world.ledger, store.every_account()) == []
            assert same(store.world, s.world) and store.verify() == []
        finally:
            if store is not s.store:
                store.close()
    s.store.close()
    s.store = Store.open(url)
    start = s.now + timedelta(days=1)
    too_much = c.RequestScheduled(actor="carl", meeting_id="m2", expert="anna", mode=Mode.VIDEO,
                                  offer=OfferKind.LONG, topic="More", times=(start,))  # 50 > 40
    with pytest.raises(DomainError) as refused:
        s.store.execute(too_much, s.now)
    assert refused.value.code == "insufficient_credits" and "40 available" in refused.value.message
    s.do(c.RequestScheduled(actor="carl", meeting_id="m3", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.SHORT, topic="Less", times=(start,)))  # 20 of 40
    assert customer_wallets_held(s.store) == set()
    assert s.store.world.ledger.account(wallet("carl")).available == 20
    assert same(s.store.world, s.world) and s.store.verify() == []


def test_r11_wallets_and_customers_another_process_changes_are_caught_up_without_reloading(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Catching up folds another process's transfers over wallets read back from their rows, which
    may already hold later transfers: the store lets each such account go once it has reached the
    log's end, so the next rule reads the row, right again. A new expert's first earnings too."""
    s = twin
    s.expert("anna", now_slot=False)
    s.customer("carl", 1000)
    first = s.store
    with Store.open(url) as second, caplog.at_level(logging.INFO, logger="consoleapp.store"):
        for command in (c.OpenAccount(actor="system", person="bob", role=Role.EXPERT, name="Bob", email="bob@example.com"),
                        c.SetOffers(actor="bob", mode=Mode.VIDEO, short_price=20, long_price=50)):
            elsewhere(s, second, command)  # another expert, opened on the other store
        start = s.now + timedelta(hours=2)
        for mid, expert in (("b1", "bob"), ("a1", "anna"), ("b2", "bob")):
            elsewhere(s, second, c.RequestScheduled(actor="carl", meeting_id=mid, expert=expert, mode=Mode.VIDEO,
                                                    offer=OfferKind.SHORT, topic="Tax", times=(start,)))
            elsewhere(s, second, c.PickTime(actor=expert, meeting_id=mid, start=start))
            start += timedelta(hours=1)
        s.now = start + timedelta(hours=2)
        while commands := due(s.world, s.now, s.policy):  # each meeting held and over, as a scheduler runs it
            for command in commands:
                elsewhere(s, second, command)
        elsewhere(s, second, c.Evaluate(actor="carl", meeting_id="b1", answer=Answer.SMOOTH))  # bob's first earnings
        # The first store folds all of it at once: carl's row already holds every hold when the
        # first one is folded, and bob's earnings account did not exist in its memory.
        assert first.refresh() > 0
        assert customer_wallets_held(first) == set() and "expert:bob" not in dict.keys(first.world.ledger.accounts)
        assert same(first.world, s.world)
        for account in (wallet("carl"), earnings("bob")):
            assert first.world.ledger.account(account) == s.world.ledger.account(account)
        # The next write on the first store decides on the balance as the table holds it.
        s.do(c.Evaluate(actor="carl", meeting_id="b2", answer=Answer.SMOOTH))
        assert first.world.ledger.account(earnings("bob")) == s.world.ledger.account(earnings("bob"))
        assert second.refresh() > 0 and same(second.world, s.world)
        # A customer opened and one closed on the other store: neither in the first's memory.
        elsewhere(s, second, c.OpenAccount(actor="system", person="erin", role=Role.CUSTOMER, name="Erin",
                                           email="erin@example.com"))
        elsewhere(s, second, c.OpenAccount(actor="system", person="olga", role=Role.OPERATOR, name="Olga",
                                           email="olga@example.com"))
        elsewhere(s, second, c.CloseAccount(actor="olga", person="carl", reason="asked to"))
        assert first.refresh() == 3 and customer_wallets_held(first) == set()
        assert same(first.world, s.world) and first.world.people["carl"].closed
        assert first.world.people["erin"] == s.world.people["erin"] and "olga" in dict.keys(first.world.people)
        with pytest.raises(DomainError):  # a closed account is no longer found
            first.execute(c.RequestScheduled(actor="carl", meeting_id="late", expert="anna", mode=Mode.VIDEO,
                                             offer=OfferKind.SHORT, topic="Tax", times=(s.now + timedelta(days=1),)),
                          s.now)
        assert "afresh" not in caplog.text
    assert first.verify() == [] and violations(first.world.ledger, first.every_account()) == []


def test_r27_reviews_leave_memory_and_are_read_back_by_their_pair(twin: Twin, url: str) -> None:
    """A review is history once written: memory lets it go after the write and a start loads none;
    the rule that only the first review earns the bonus still sees the one written before."""
    history(twin, 2)
    first = twin.do(c.WriteReview(actor="carl", expert="anna", text="Clear and patient"))
    assert [ev.first for ev in first if isinstance(ev, ReviewWritten)] == [True]
    w = twin.store.world
    assert not dict.keys(w.reviews) and not w.reviews.dirty  # type: ignore[attr-defined]
    assert w.reviews[("carl", "anna")] == twin.world.reviews[("carl", "anna")]  # read back by its pair
    assert ("carl", "anna") in w.reviews and ("anna", "carl") not in w.reviews
    assert not dict.keys(w.reviews)  # a read outside a write keeps nothing
    twin.store.close()
    twin.store = Store.open(url)
    assert not dict.keys(twin.store.world.reviews)
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    twin.wait(days=3)
    edit = twin.do(c.WriteReview(actor="carl", expert="anna", text="Clear, patient and on time"))
    assert [ev.first for ev in edit if isinstance(ev, ReviewWritten)] == [False]
    assert not [ev for ev in edit if isinstance(ev, Transfer)]  # R27: the bonus is for the first review only
    review = twin.store.world.reviews[("carl", "anna")]
    assert review.text == "Clear, patient and on time" and review.written_at < review.edited_at == twin.now  # type: ignore[operator]
    assert review == twin.world.reviews[("carl", "anna")]
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_r27_a_review_another_process_writes_or_edits_is_caught_up_without_reloading(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Catching up folds another process's review over the row as stored, even when that row is
    already newer than the event being folded: a review's existence and first time never change."""
    history(twin, 2)
    first = twin.store

    with Store.open(url) as second, caplog.at_level(logging.INFO, logger="consoleapp.store"):
        elsewhere(twin, second, c.WriteReview(actor="carl", expert="anna", text="Written on the other"))
        twin.wait(hours=1)
        elsewhere(twin, second, c.WriteReview(actor="carl", expert="anna", text="Edited on the other"))
        # The first store catches up both events at once: the row already holds the edit when
        # the first one is folded, and did not exist before it.
        assert first.refresh() > 0
        assert same(first.world, twin.world)
        assert first.world.reviews[("carl", "anna")] == twin.world.reviews[("carl", "anna")]
        twin.wait(hours=1)
        edit = twin.do(c.WriteReview(actor="carl", expert="anna", text="Edited here"))  # on the first store
        assert [ev.first for ev in edit if isinstance(ev, ReviewWritten)] == [False]
        assert second.refresh() > 0
        assert same(second.world, twin.world) and same(first.world, twin.world)
        assert "afresh" not in caplog.text
    assert first.verify() == []


def test_r27_a_review_read_while_catching_up_exists_only_from_its_first_event(twin: Twin) -> None:
    """Folding the log at a position, a review first written at or after it did not exist yet,
    even though its row (written by a later event) is there."""
    history(twin, 1)
    twin.do(c.WriteReview(actor="carl", expert="anna", text="First"))  # with its bonus (R27)
    twin.wait(hours=1)
    twin.do(c.WriteReview(actor="carl", expert="anna", text="Edited"))
    reader = Reader(twin.store.engine)
    e = schema.events.c
    with twin.store.engine.connect() as conn:
        written, edited = conn.execute(sa.select(e.position).where(e.kind == "ReviewWritten")
                                       .order_by(e.position)).scalars().all()
        for as_of, expected in ((written, None), (written + 1, "Edited"), (edited, "Edited"), (None, "Edited")):
            with reader.within(conn, as_of):
                found = reader.review(("carl", "anna"))
            assert (found.text if found else None) == expected, as_of
            if found:
                assert found.written_at == twin.world.reviews[("carl", "anna")].written_at


def monthly(s: Twin, months: int) -> None:
    """A session settled in each of `months` months (R22: both said it went smoothly; R32)."""
    s.expert("anna", now_slot=False)
    s.customer("carl", 100_000)
    for k in range(months):
        s.held_meeting(f"month{k}", price=30)
        s.do(c.Evaluate(actor="carl", meeting_id=f"month{k}", answer=Answer.SMOOTH))
        s.do(c.Evaluate(actor="anna", meeting_id=f"month{k}", answer=Answer.SMOOTH))
        s.wait(days=31)


def months_held(store: Store) -> set[str]:
    return {month for _, month in dict.keys(store.world.months)}


def test_r32_months_before_the_last_leave_memory_and_are_read_back(twin: Twin, url: str) -> None:
    monthly(twin, 5)
    everything = dict(twin.world.months)
    assert len({m for _, m in everything}) == 5
    recent = {m for _, m in everything if m >= open_world.month_cutoff(twin.log[-1].at)}
    assert months_held(twin.store) == recent and len(recent) < 5
    for key, summary in everything.items():  # every month still answers, read back or held
        assert twin.store.world.months[key] == summary
    assert months_held(twin.store) == recent  # a read outside a write keeps nothing
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    twin.store.close()
    twin.store = Store.open(url)
    assert months_held(twin.store) == recent
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    # A command decided at a time long past (a clock moved back) adds to a month let go.
    twin.now = T0 + timedelta(days=2)
    first = min(everything)
    twin.held_meeting("late", price=40)
    twin.do(c.Evaluate(actor="carl", meeting_id="late", answer=Answer.SMOOTH))
    twin.do(c.Evaluate(actor="anna", meeting_id="late", answer=Answer.SMOOTH))
    assert twin.world.months[first].sessions == everything[first].sessions + 1
    assert twin.store.world.months[first] == twin.world.months[first]
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_r32_a_month_another_process_starts_is_caught_up_without_a_read_and_an_old_one_reloads(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    monthly(twin, 3)
    first = twin.store

    with Store.open(url) as second, caplog.at_level(logging.INFO, logger="consoleapp.store"):
        # A new month, begun by the other process: the first store knows it had nothing yet.
        twin.store = second
        twin.held_meeting("new", price=30)
        elsewhere(twin, second, c.Evaluate(actor="carl", meeting_id="new", answer=Answer.SMOOTH))
        elsewhere(twin, second, c.Evaluate(actor="anna", meeting_id="new", answer=Answer.SMOOTH))
        twin.store = first
        read: list[object] = []
        loader = first.world.months.load  # type: ignore[attr-defined]
        first.world.months.load = lambda key: read.append(key) or loader(key)  # type: ignore[attr-defined]
        assert first.refresh() > 0
        assert read == [] and "afresh" not in caplog.text
        assert same(first.world, twin.world)
        # A month memory let go, changed by the other process at a time long past: its row is
        # newer than the event being folded, so the first store loads the open business afresh.
        twin.store = second
        twin.now = T0 + timedelta(days=2)
        twin.held_meeting("late", price=40)
        elsewhere(twin, second, c.Evaluate(actor="carl", meeting_id="late", answer=Answer.SMOOTH))
        elsewhere(twin, second, c.Evaluate(actor="anna", meeting_id="late", answer=Answer.SMOOTH))
        twin.store = first
        assert first.refresh() > 0 or "afresh" in caplog.text
        assert "catching up with the log: the month" in caplog.text
        assert same(first.world, twin.world) and same(second.world, twin.world)
    assert first.verify() == []


def test_a_varied_history_loads_the_same_open_business_as_a_replay(twin: Twin, url: str) -> None:
    varied(twin)
    twin.store.close()
    with Store.open(url) as again:
        assert same(again.world, twin.world) and again.verify() == []


def test_a_record_another_process_changed_after_memory_let_it_go_is_read_again(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    ids = history(twin, 4)
    first = twin.store

    with Store.open(url) as second:
        # A meeting the other process creates is folded in the catch-up, as before.
        elsewhere(twin, second, c.RequestInstant(actor="carl", meeting_id="new1", expert="anna", mode=Mode.VIDEO,
                                           offer=OfferKind.SHORT, topic="from the other"))
        with caplog.at_level(logging.INFO, logger="consoleapp.store"):
            assert first.refresh() > 0
        assert "afresh" not in caplog.text
        assert same(first.world, twin.world)
        # A late answer (R26) on a meeting the first store let go: its row is newer than the event.
        elsewhere(twin, second, c.Evaluate(actor="anna", meeting_id=ids[1], answer=Answer.SMOOTH))
        with caplog.at_level(logging.INFO, logger="consoleapp.store"):
            twin.do(c.GrantCredits(actor="system", grant_id="after", customer="carl", amount=5))
        assert "loading the open business afresh" in caplog.text
        assert first.world.meetings[ids[1]].expert_answer is Answer.SMOOTH
        second.refresh()
        assert same(first.world, twin.world) and same(second.world, twin.world)
        assert first.verify() == []


def test_r25_a_session_under_review_keeps_its_hold_open_past_the_claim_window(twin: Twin, url: str) -> None:
    """The customer blames the platform, the expert never answers: at the evaluation deadline the
    operator must decide, and the credits stay held until they do, however long that takes; the
    claim window closing meanwhile does not close the hold (nor let the meeting leave memory)."""
    twin.expert("anna", now_slot=False)
    twin.customer("carl", 500)
    twin.operator("olga")
    twin.held_meeting("m1", price=30)
    twin.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.PLATFORM))
    twin.wait(hours=twin.policy.auto_evaluation_hours + 1)
    m = twin.world.meetings["m1"]
    assert m.status is MeetingStatus.UNDER_REVIEW and m.claim_window_closed and m.payment is PaymentStatus.BLOCKED
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    twin.store.close()
    twin.store = Store.open(url)  # started again: the open hold is loaded with its meeting
    assert "m1" in dict.keys(twin.store.world.meetings)
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    twin.do(c.DecideReview(actor="olga", meeting_id="m1", outcome=Outcome.PAY, note="the session was held"))
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def slot_days(s: Twin, days: int) -> list[str]:
    """An expert who opens a two-hour slot each day, tomorrow's, for `days` days; the slots' ids."""
    s.expert("anna", now_slot=False)
    ids = []
    for day in range(days):
        start = s.now + timedelta(days=1)
        ids.append(f"day{day}")
        s.do(c.AddSlot(actor="anna", slot_id=ids[-1], start=start, end=start + timedelta(hours=2)))
        s.advance(days=1)
    return ids


def slots_in_memory(store: Store) -> set[str]:
    return set(dict.keys(store.world.slots))


def test_r4_slots_that_ended_leave_memory_and_are_read_back_by_id(twin: Twin, url: str) -> None:
    ids = slot_days(twin, 10)
    w = twin.store.world
    cutoff = slot_cutoff(twin.log[-1].at)  # a day before the newest event's hour
    assert cutoff <= twin.log[-1].at - SLOT_GRACE
    ended = {sid for sid in ids if twin.world.slots[sid].end <= cutoff}
    assert len(ended) >= 6  # the history's, not the open business
    assert slots_in_memory(twin.store) == set(ids) - ended == set(w.slots_of["anna"])
    assert w.slots["day0"] == twin.world.slots["day0"] and "day0" in w.slots  # read back by id
    assert same(w, twin.world) and twin.store.verify() == []
    # A slot id is everyone's, for ever: an old one is refused on the store as in the engine.
    again = c.AddSlot(actor="anna", slot_id="day0", start=twin.now + timedelta(days=3),
                      end=twin.now + timedelta(days=3, hours=1))
    twin.refused(again, "already_exists")
    with pytest.raises(DomainError) as refused:
        twin.store.execute(again, twin.now)
    assert refused.value.code == "already_exists"
    # An ended slot moved into the future is the expert's again, where the rules look (overlaps).
    later = twin.now + timedelta(days=5)
    twin.do(c.MoveSlot(actor="anna", slot_id="day1", start=later, end=later + timedelta(hours=1)))
    assert "day1" in twin.store.world.slots_of["anna"] and "day1" in slots_in_memory(twin.store)
    overlapping = c.AddSlot(actor="anna", slot_id="over", start=later, end=later + timedelta(minutes=30))
    twin.refused(overlapping, "slot_overlap")
    with pytest.raises(DomainError) as refused:
        twin.store.execute(overlapping, twin.now)
    assert refused.value.code == "slot_overlap"
    # An ended slot removed: its row goes, and it is not found again in the same write either.
    twin.do(c.RemoveSlot(actor="anna", slot_id="day2"))
    assert "day2" not in twin.store.world.slots
    with db.reading(twin.store.engine) as conn:
        assert conn.execute(sa.select(schema.slots.c.id).where(schema.slots.c.id == "day2")).first() is None
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    # A day on, the writes let go of the slots that ended meanwhile.
    cutoff = slot_cutoff(twin.log[-1].at)
    kept = {sid for sid, slot in twin.world.slots.items() if slot.end > cutoff}
    assert "day7" not in kept and slots_in_memory(twin.store) == kept == {"day1", "day8", "day9"}
    # Started again, the store loads only the slots that have not ended (by the log's newest time).
    twin.store.close()
    twin.store = Store.open(url)
    assert slots_in_memory(twin.store) == kept
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_r4_verify_flags_slot_times_in_memory_that_are_not_the_slots(twin: Twin) -> None:
    """The rules search an expert's slots by the times `slots_of` holds (R4's overlaps, R6's
    open slot): a time there that is not the slot's own would answer them wrongly."""
    ids = slot_days(twin, 3)
    slot = twin.store.world.slots[ids[-1]]
    assert twin.store.verify() == []
    twin.store.world.slots_of["anna"].add(slot.id, slot.start + timedelta(hours=5), slot.end + timedelta(hours=5))
    assert twin.store.verify() == ["in memory: the times slots_of holds for anna are not those of the slots"]


def test_r4_a_command_decided_before_the_slots_in_memory_reads_the_ended_ones_back(twin: Twin) -> None:
    """A clock moved back (or a history written out of order): the overlap rule still sees every
    slot that ends after the command's time, as the engine's own World does."""
    ids = slot_days(twin, 10)
    assert "day1" not in slots_in_memory(twin.store)
    slot = twin.world.slots["day1"]
    twin.now = slot.start - timedelta(hours=1)
    overlapping = c.AddSlot(actor="anna", slot_id="back", start=slot.start, end=slot.end)
    twin.refused(overlapping, "slot_overlap")
    with pytest.raises(DomainError) as refused:
        twin.store.execute(overlapping, twin.now)
    assert refused.value.code == "slot_overlap"
    assert {"day1", "day2"} <= slots_in_memory(twin.store) and twin.store.verify() == []
    free = slot.end + timedelta(hours=1)
    twin.do(c.AddSlot(actor="anna", slot_id="back", start=free, end=free + timedelta(hours=1)))
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    assert len(ids) == 10


def test_r4_an_ended_slot_another_process_moved_is_caught_up(twin: Twin, url: str) -> None:
    slot_days(twin, 10)
    first = twin.store
    assert "day1" not in slots_in_memory(first)
    with Store.open(url) as second:
        later = twin.now + timedelta(days=4)
        move = c.MoveSlot(actor="anna", slot_id="day1", start=later, end=later + timedelta(hours=1))
        assert second.execute(move, twin.now) == Scenario.do(twin, move)
        remove = c.RemoveSlot(actor="anna", slot_id="day3")
        assert second.execute(remove, twin.now) == Scenario.do(twin, remove)
        first.refresh()
        assert "day1" in first.world.slots_of["anna"] and "day3" not in first.world.slots
        assert same(first.world, twin.world) and same(second.world, twin.world)
        assert first.verify() == []


def test_r4_an_ended_slot_another_process_removed_is_caught_up(twin: Twin, url: str) -> None:
    """Its row is gone by the time the catch-up folds the removal: the store loads afresh."""
    slot_days(twin, 10)
    first = twin.store
    assert "day3" not in slots_in_memory(first)
    with Store.open(url) as second:
        remove = c.RemoveSlot(actor="anna", slot_id="day3")
        assert second.execute(remove, twin.now) == Scenario.do(twin, remove)
        first.refresh()
        assert "day3" not in first.world.slots
        assert same(first.world, twin.world) and first.verify() == []
        # A removed slot's id is free again, on the store as in the engine.
        twin.do(c.AddSlot(actor="anna", slot_id="day3", start=twin.now + timedelta(days=3),
                          end=twin.now + timedelta(days=3, hours=1)))
        assert same(first.world, twin.world) and first.verify() == []


def test_r4_new_slots_of_one_write_are_checked_against_the_table_in_one_read(
        twin: Twin, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids not in memory may belong to slots let go: a write reads them all with its lock, in one
    statement (`Reader.prefetch_reads`), not one round trip per command under the log counter's lock."""
    slot_days(twin, 10)
    reads: list[str] = []
    one_by_one: list[str] = []
    real_rows, real_keep = Reader._rows, Reader.keep

    def counted(self: Reader, conn: sa.Connection, sql: str, *params: object) -> list[object]:
        if '"slots"' in sql or "slots " in sql:
            one_by_one.append(sql)
        return real_rows(self, conn, sql, *params)

    def kept(self: Reader, table: sa.Table, cls: type, asks: list[db.Ask], created_by: str = "") -> None:
        reads.extend(a.sql for a in asks if table.name == "slots" and '"slots"' in a.sql)
        real_keep(self, table, cls, asks, created_by)

    monkeypatch.setattr(Reader, "_rows", counted)
    monkeypatch.setattr(Reader, "keep", kept)
    start = twin.now + timedelta(days=2)
    work = [(c.AddSlot(actor="anna", slot_id=f"new{i}", start=start + timedelta(hours=i),
                       end=start + timedelta(hours=i, minutes=30)), twin.now) for i in range(10)]
    work.append((c.AddSlot(actor="anna", slot_id="day0", start=start - timedelta(hours=3),
                           end=start - timedelta(hours=2)), twin.now))  # an ended slot's id: taken
    results = twin.store.execute_many(work)
    assert len(reads) == 1 and one_by_one == [], (reads, one_by_one)
    assert all(not isinstance(r, DomainError) for r in results[:10])
    assert isinstance(results[10], DomainError) and results[10].code == "already_exists"
    for command, _ in work[:10]:
        Scenario.do(twin, command)
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_promo_uses_load_from_their_table_not_from_every_use_in_the_log(
        twin: Twin, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A code's limits count each customer's uses: a store started again reads the counts
    (`promo_uses`), not every use and give-back in the log."""
    from tests.engine.test_promos import book, code

    twin.expert("anna", per_minute=2, short=20, long=125)
    twin.customer("carl", credits=2000)
    twin.customer("dina", credits=2000)
    twin.operator()
    twin.do(code(twin, max_per_customer=2))
    twin.do(book(twin, "m1"))
    twin.do(book(twin, "m2"))
    twin.do(book(twin, "m3", customer="dina"))
    twin.do(c.DeclineRequest(actor="anna", meeting_id="m2", reason=DeclineReason.NOT_AVAILABLE))  # gives a use back
    assert twin.world.promo_uses == {"SPRING-25": 2}
    assert twin.world.promo_uses_by == {("SPRING-25", "carl"): 1, ("SPRING-25", "dina"): 1}
    read = reopened_reading(twin, url, monkeypatch)
    assert not any(k in kinds for kinds in read for k in ("PromoApplied", "PromoReleased")), read
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    twin.do(book(twin, "m4"))  # carl's second use, the code's limit for him
    assert twin.store.world.promo_uses_by[("SPRING-25", "carl")] == 2
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    over = book(twin, "m5")  # a third: over carl's limit, on the store as in the engine
    with pytest.raises(DomainError):
        Scenario.do(twin, over)
    with pytest.raises(DomainError):
        twin.store.execute(over, twin.now)


def test_r31_lost_disputes_load_from_the_claims_table_not_from_the_log(
        twin: Twin, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store started again counts each expert's lost disputes (R31) from the rejected claims'
    rows and the time each was decided, not from every `DisputeDecided` in the log; an accepted
    dispute counts for nothing, and the rolling window still holds across the restart."""
    from tests.engine.test_r29_r31_claims import _disputed_claims, _lose

    twin.expert(now_slot=False)
    twin.customer()
    twin.operator()
    _disputed_claims(twin, 5)
    twin.do(c.DecideDispute(note="the expert was right", actor="olga", claim_id="k4", accept=True))
    first = twin.now
    for i in range(3):
        _lose(twin, i)
        twin.wait(days=20)
    assert flagged_experts(twin.world, twin.now, twin.policy) == []
    read = reopened_reading(twin, url, monkeypatch)
    assert not any("DisputeDecided" in kinds for kinds in read), read
    assert sorted(twin.store.world.lost_disputes["anna"]) == [first, first + timedelta(days=20),
                                                               first + timedelta(days=40)]
    assert same(twin.store.world, twin.world) and twin.store.verify() == []
    flagged = [ev for ev in _lose(twin, 3) if isinstance(ev, ExpertFlagged)]  # 4 within 90 days
    assert [(ev.ref, ev.lost_disputes) for ev in flagged] == [("anna", 4)]
    assert flagged_experts(twin.store.world, twin.now, twin.policy) == [("anna", 4)]
    assert flagged_experts(twin.store.world, first + timedelta(days=91), twin.policy) == []  # the first aged out


def test_r31_a_rejected_dispute_row_with_no_time_decided_is_rebuilt_from_the_log(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    from tests.engine.test_r29_r31_claims import _disputed_claims, _lose

    twin.expert(now_slot=False)
    twin.customer()
    twin.operator()
    _disputed_claims(twin, 1)
    _lose(twin, 0)
    twin.store.close()
    engine = db.create(url)
    claims = schema.claims.c
    with engine.begin() as conn:
        text = conn.execute(sa.select(claims.record).where(claims.id == "k0")).scalar_one()
        broken = json.loads(text)
        broken["decided_at"] = None
        conn.execute(sa.update(schema.claims).where(claims.id == "k0").values(record=json.dumps(broken)))
    engine.dispose()
    with _reopened(url, caplog) as again:
        assert "rebuilding the projection tables from the log: Untrusted: claim k0 is a rejected dispute" \
            in caplog.text
        assert again.world.lost_disputes == {"anna": (twin.now,)}
        assert same(again.world, twin.world) and again.verify() == []


def _reopened(url: str, caplog: pytest.LogCaptureFixture) -> Store:
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"):
        return Store.open(url)


def test_r27_r32_tables_of_an_older_version_without_positions_get_them_in_place_not_rebuilt(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A cache written by the version before reviews and months left memory: its two tables
    lack `position` (and months its index). They get it at 0, without replaying the log; the
    rows then read back as written before anything a catch-up folds."""
    monthly(twin, 3)
    twin.do(c.WriteReview(actor="carl", expert="anna", text="Before the upgrade"))
    engine = twin.store.engine
    twin.store.close()
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_months_month"))
        for table in ("reviews", "months"):
            conn.execute(sa.text(f'ALTER TABLE {table} DROP COLUMN "position"'))
    with _reopened(url, caplog) as again:
        assert "rebuilding" not in caplog.text
        assert "ix_months_month" in {i["name"] for i in sa.inspect(again.engine).get_indexes("months")}
        assert same(again.world, twin.world) and again.verify() == []
        twin.store = again
        twin.wait(days=1)
        edit = twin.do(c.WriteReview(actor="carl", expert="anna", text="After the upgrade"))  # R27: an edit
        assert [ev.first for ev in edit if isinstance(ev, ReviewWritten)] == [False]
        with Store.open(url) as other:  # a second process catching up over the old rows
            twin.store = other
            twin.held_meeting("after", price=30)
            twin.do(c.Evaluate(actor="carl", meeting_id="after", answer=Answer.SMOOTH))
            twin.do(c.Evaluate(actor="anna", meeting_id="after", answer=Answer.SMOOTH))
            twin.store = again
            with caplog.at_level(logging.INFO, logger="consoleapp.store"):
                assert again.refresh() > 0
            assert "afresh" not in caplog.text
            assert same(again.world, twin.world) and again.verify() == []


def test_a_missing_projection_table_is_rebuilt_from_the_log(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    varied(twin)
    engine = twin.store.engine
    twin.store.close()
    with engine.begin() as conn:
        schema.meetings.drop(conn)
    with _reopened(url, caplog) as again:
        assert "rebuilding the projection tables from the log: meetings is missing" in caplog.text
        assert "rebuilt the projection tables from" in caplog.text
        assert same(again.world, twin.world) and again.verify() == []


def test_an_unreadable_open_record_is_rebuilt_from_the_log(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    s = twin
    s.expert("anna")
    s.customer("carl", 500)
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="open"))
    s.store.close()
    engine = db.create(url)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.meetings).where(schema.meetings.c.id == "m1").values(record="{not json"))
    engine.dispose()
    with _reopened(url, caplog) as again:
        assert "rebuilding the projection tables from the log: JSONDecodeError" in caplog.text
        assert again.world.meetings["m1"].status is MeetingStatus.AWAITING_APPROVAL
        assert same(again.world, s.world) and again.verify() == []


def test_tables_behind_the_log_are_rebuilt_not_trusted(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    varied(twin)
    engine = twin.store.engine
    twin.store.close()
    with engine.begin() as conn:  # as an older version's tables, or a write that bypassed the store
        conn.execute(sa.update(schema.counters).where(schema.counters.c.name == db.PROJECTED).values(value=3))
    with _reopened(url, caplog) as again:
        assert "the tables reflect position 3, the log holds" in caplog.text
        assert same(again.world, twin.world) and again.verify() == []


def test_r33_unpaid_earnings_load_for_paid_and_never_paid_experts(twin: Twin, url: str) -> None:
    s = twin
    s.expert("anna", now_slot=False)
    s.expert("bob", now_slot=False)  # no payout profile: never paid, every earning stays unpaid
    s.customer("carl", 100_000)
    s.do(c.SetPayoutProfile(actor="anna", legal_name="Anna K", billing_address="1 Rue X, Paris",
                            tax_id="FR40303265045", bank_account="FR7630006000011234567890189"))
    for i in range(6):
        for expert in ("anna", "bob"):
            mid = f"{expert}{i}"
            s.held_meeting(mid, price=90, expert=expert)
            s.do(c.Evaluate(actor="carl", meeting_id=mid, answer=Answer.SMOOTH))
        s.wait(days=4)  # payout days pass: anna is paid, bob's payout is withheld
    assert s.world.payouts and all(p.expert == "anna" for p in s.world.payouts.values())
    assert s.world.unpaid_of["bob"] and s.world.unpaid_of["anna"]
    s.store.close()
    s.store = Store.open(url)
    assert s.store.world.unpaid_of["bob"] == s.world.unpaid_of["bob"]
    assert same(s.store.world, s.world) and s.store.verify() == []


def test_r33_unpaid_earnings_load_in_order_a_chunk_of_experts_at_a_time(
        twin: Twin, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start streams each expert's unpaid transfers in log order: never-paid experts' a chunk
    of accounts at a time up to the others' last payout, then every transfer since."""
    s = twin
    for expert in ("anna", "bob", "cleo"):
        s.expert(expert, now_slot=False)
    s.customer("carl", 100_000)
    s.do(c.SetPayoutProfile(actor="anna", legal_name="Anna K", billing_address="1 Rue X, Paris",
                            tax_id="FR40303265045", bank_account="FR7630006000011234567890189"))
    for i in range(4):
        for expert in ("bob", "anna", "cleo"):  # interleaved: each one's ids are not the log's in a row
            s.held_meeting(f"{expert}{i}", price=90, expert=expert)
            s.do(c.Evaluate(actor="carl", meeting_id=f"{expert}{i}", answer=Answer.SMOOTH))
        s.wait(days=4)
    assert any(p.expert == "anna" for p in s.world.payouts.values())
    assert len(s.world.unpaid_of["bob"]) == len(s.world.unpaid_of["cleo"]) == 4
    monkeypatch.setattr(open_world, "_CHUNK", 1)  # bob and cleo in chunks of their own
    s.store.close()
    s.store = Store.open(url)
    for expert in ("anna", "bob", "cleo"):
        assert s.store.world.unpaid_of.get(expert, []) == s.world.unpaid_of.get(expert, []), expert
    assert same(s.store.world, s.world) and s.store.verify() == []


def test_r33_unpaid_earnings_are_named_by_id_and_their_transfers_leave_memory(twin: Twin, url: str) -> None:
    """An expert's earnings since their last payout are the next payout's lines: memory names
    them, and holds no transfer but the open holds, in the process that wrote them as after a
    start; the payout still pays every one and its statement reads them back."""
    s = twin
    s.expert("anna", now_slot=False)
    s.customer("carl", 100_000)
    for i in range(3):
        s.held_meeting(f"m{i}", price=90)
        s.do(c.Evaluate(actor="carl", meeting_id=f"m{i}", answer=Answer.SMOOTH))
    s.held_meeting("open", price=40)  # held, not yet evaluated: its hold is open
    unpaid = list(s.world.unpaid_of["anna"])
    assert len(unpaid) >= 3
    for store in (s.store, Store.open(url)):
        try:
            held_now = held(store.world.ledger.transfers)
            assert set(held_now) == {t.id for t in held_now.values() if s.world.ledger.is_open(t.id)} != set()
            assert store.world.unpaid_of["anna"] == unpaid
            assert [store.world.ledger.transfers[tid] for tid in unpaid] == [
                s.world.ledger.transfers[tid] for tid in unpaid]  # read back by id
        finally:
            if store is not s.store:
                store.close()
    s.do(c.SetPayoutProfile(actor="anna", legal_name="Anna K", billing_address="1 Rue X, Paris",
                            tax_id="FR40303265045", bank_account="FR7630006000011234567890189"))
    s.wait(days=16)  # a payout day passes
    (pid, payout), = s.world.payouts.items()
    assert payout.transfer_ids[:len(unpaid)] == tuple(unpaid)
    assert statement(s.store.world, pid) == statement(s.world, pid)
    assert same(s.store.world, s.world) and s.store.verify() == []


def test_r33_payouts_leave_memory_once_made_and_are_read_back_by_id(twin: Twin, url: str) -> None:
    s = twin
    s.expert("anna", now_slot=False)
    s.customer("carl", 100_000)
    s.do(c.SetPayoutProfile(actor="anna", legal_name="Anna K", billing_address="1 Rue X, Paris",
                            tax_id="FR40303265045", bank_account="FR7630006000011234567890189"))
    for i in range(4):
        s.held_meeting(f"m{i}", price=90)
        s.do(c.Evaluate(actor="carl", meeting_id=f"m{i}", answer=Answer.SMOOTH))
        s.wait(days=8)  # a payout day passes after each session
    made = s.world.payouts
    assert len(made) >= 2, made
    for store in (s.store, Store.open(url)):  # after the writes that made them, and after a start
        try:
            kept = store.world.payouts
            assert not dict.keys(kept)  # each names every transfer it paid: history
            for pid, payout in made.items():
                assert kept[pid] == payout and pid in kept  # read back by id
                assert open_world.fork(store.world).payouts[pid] == payout  # and by a desktop's view
                assert statement(store.world, pid) == statement(s.world, pid)
            assert "nothing" not in kept
            days = sorted({p.day for p in made.values()})
            assert [p.id for p in store.payouts_on(days[-1])] == sorted(
                pid for pid, p in made.items() if p.day == days[-1])
            assert {x: ids for x, ids in store.world.unpaid_of.items() if ids} == {
                x: ids for x, ids in s.world.unpaid_of.items() if ids}
            assert same(store.world, s.world) and store.verify() == []
        finally:
            if store is not s.store:
                store.close()


def test_r22_an_upgraded_database_fills_the_history_columns_from_the_log(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Migration 0008 adds the history list's columns to `meetings` empty; the next start
    rebuilds them from the log, says so, and the rows then hold what the records hold."""
    from alembic import command

    from consoleapp.sync import migrations

    history(twin, 3)
    twin.store.close()
    engine = db.create(url)
    try:
        migrations.upgrade(engine)
        cfg = migrations.config()
        with engine.begin() as conn:  # the database as version 0007 left it
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
        assert "topic" not in {col["name"] for col in sa.inspect(engine).get_columns("meetings")}
        migrations.upgrade(engine)
        with db.reading(engine) as conn:
            assert set(conn.execute(sa.select(schema.meetings.c.topic)).scalars()) == {""}  # not filled yet
    finally:
        engine.dispose()
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"):
        twin.store = Store.open(url)
    assert "rebuilding the projection tables" in caplog.text
    m = schema.meetings.c
    with db.reading(twin.store.engine) as conn:
        rows = conn.execute(sa.select(m.id, m.customer_name, m.topic, m.mode, m.outcome, m.charged, m.refunded,
                                      m.expert_answer).where(m.id == "old1")).all()
    record = twin.world.meetings["old1"]
    assert rows == [("old1", record.customer_name, record.topic, record.mode.value, record.outcome.value,
                     record.charged, record.refunded, "")]
    assert record.status is MeetingStatus.SETTLED and record.charged == 30 and record.topic
    assert twin.store.verify() == []


def test_r26_every_answer_outcome_and_mode_fits_its_history_column() -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it): the longest
    answer ('failed because of the other party') must fit `meetings.expert_answer`."""
    from consoleapp.engine.model import Mode, Outcome

    m = schema.meetings.c
    for column, values in ((m.expert_answer, Answer), (m.outcome, Outcome), (m.mode, Mode)):
        longest = max((v.value for v in values), key=len)
        assert len(longest) <= column.type.length, (column.name, longest)  # type: ignore[attr-defined]


def waiting(engine: sa.Engine, application: str) -> bool:
    """Whether that connection waits for a lock (a new transaction: pg_stat_activity is a snapshot per transaction)."""
    with engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n "
                                         "AND wait_event_type = 'Lock'"), {"n": application}).scalar())


def test_workers_starting_together_rebuild_untrusted_tables_once(
        pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Two processes find the tables untrusted (an upgrade); the one that takes the write lock
    second finds them rebuilt by the first and loads them, without replaying the log again."""
    import threading
    import time
    import uuid

    from consoleapp.store import open_world

    twin = Twin(store=Store.open(pg_url))
    varied(twin)
    twin.store.close()
    engine = db.create(pg_url)
    name = f"second-{uuid.uuid4().hex[:8]}"
    opened: list[Store] = []
    try:
        with engine.begin() as conn:  # as an older version's tables
            conn.execute(sa.update(schema.counters).where(schema.counters.c.name == db.PROJECTED).values(value=3))
        with caplog.at_level(logging.INFO, logger="consoleapp.store"):
            with engine.begin() as first:  # the first worker: holds the lock while it rebuilds
                db.lock_counter(first)
                second = threading.Thread(target=lambda: opened.append(Store.open(f"{pg_url}&application_name={name}")))
                second.start()
                deadline = time.monotonic() + 60
                while not waiting(engine, name):  # the second found them untrusted and waits for the lock
                    assert second.is_alive() and time.monotonic() < deadline, "the second never waited for the lock"
                    time.sleep(0.05)
                open_world.rebuild(first, "the first worker's reason")
            second.join(60)
        (again,) = opened
        assert caplog.text.count("rebuilding the projection tables") == 1
        assert "rebuilt by another process meanwhile (Untrusted: the tables reflect position 3" in caplog.text
        assert same(again.world, twin.world) and again.verify() == []
    finally:
        for store in opened:
            store.close()
        engine.dispose()


@pytest.mark.parametrize("table", [t.name for t in schema.DERIVED])
def test_any_missing_table_of_records_is_rebuilt_from_the_log(
        twin: Twin, url: str, table: str, caplog: pytest.LogCaptureFixture) -> None:
    varied(twin)
    engine = twin.store.engine
    twin.store.close()
    with engine.begin() as conn:
        schema.metadata.tables[table].drop(conn)
    with _reopened(url, caplog) as again:
        assert f"rebuilding the projection tables from the log: {table} is missing" in caplog.text
        assert same(again.world, twin.world) and again.verify() == []


def _corrupt(url: str, meeting: str) -> None:
    engine = db.create(url)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.meetings).where(schema.meetings.c.id == meeting).values(record="{not json"))
    engine.dispose()


def test_r26_a_corrupt_row_a_write_reads_back_is_rebuilt_from_the_log_and_the_write_sent_again_applies(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A closed record is not read at start, so its row is first read by the write that needs it:
    that write fails, saying so, the tables are rebuilt from the log at once, and the same
    command sent again is decided as the engine's own World decides it."""
    history(twin, 3)
    _corrupt(url, "old1")
    late = c.Evaluate(actor="anna", meeting_id="old1", answer=Answer.SMOOTH)
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"), \
            pytest.raises(CorruptRow, match="meetings old1 cannot be read"):
        twin.store.execute(late, twin.now)
    assert "meetings old1 cannot be read" in caplog.text
    assert "rebuilding the projection tables from the log: meetings old1 cannot be read" in caplog.text
    twin.do(late)  # the store's events must equal the engine's
    assert twin.store.world.meetings["old1"].expert_answer is Answer.SMOOTH
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_a_corrupt_row_a_page_reads_is_rebuilt_from_the_log_before_the_next_write(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    history(twin, 3)
    _corrupt(url, "old2")
    with pytest.raises(CorruptRow, match="meetings old2 cannot be read"):
        twin.store.world.meetings.get("old2")  # a page reading it by id, outside any write
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"):
        twin.do(c.Evaluate(actor="anna", meeting_id="old2", answer=Answer.SMOOTH))
    assert "rebuilding the projection tables from the log: meetings old2 cannot be read" in caplog.text
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_a_corrupt_row_found_by_two_processes_is_rebuilt_once(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    history(twin, 3)
    other = Store.open(url)
    try:
        _corrupt(url, "old0")
        for store in (twin.store, other):
            with pytest.raises(CorruptRow):
                store.world.meetings.get("old0")
        with caplog.at_level(logging.INFO, logger="consoleapp.store"):
            twin.do(c.Evaluate(actor="anna", meeting_id="old0", answer=Answer.SMOOTH))
            assert other.world.meetings["old0"].expert_answer is Answer.SMOOTH
        assert caplog.text.count("rebuilt the projection tables from") == 1
        assert "were rebuilt by another process meanwhile" in caplog.text
        assert same(other.world, twin.world) and other.verify() == []
    finally:
        other.close()


def _delete(url: str, table: sa.Table, key: str) -> None:
    engine = db.create(url)
    with engine.begin() as conn:
        assert conn.execute(sa.delete(table).where(table.c.id == key)).rowcount == 1
    engine.dispose()


def test_r22_a_closed_meetings_row_deleted_by_hand_is_rebuilt_when_a_write_names_it_not_refused_as_unknown(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A missing row of a record the log created is a table damaged by hand: "no such meeting"
    would be silently wrong. The write that names it fails saying so, the tables are rebuilt,
    and the same command sent again is decided on the record the log made."""
    history(twin, 3)
    _delete(url, schema.meetings, "old1")
    late = c.Evaluate(actor="anna", meeting_id="old1", answer=Answer.SMOOTH)
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"), \
            pytest.raises(CorruptRow, match="meetings old1 cannot be read .*its row is missing, while the log's "
                                            "MeetingRequested created it"):
        twin.store.execute(late, twin.now)
    assert "rebuilding the projection tables from the log: meetings old1 cannot be read" in caplog.text
    twin.do(late)
    assert twin.store.world.meetings["old1"].expert_answer is Answer.SMOOTH
    assert same(twin.store.world, twin.world) and twin.store.verify() == []


def test_r11_a_customers_row_deleted_by_hand_is_rebuilt_when_a_grant_names_them_not_refused_as_unknown(
        twin: Twin, url: str) -> None:
    """A customer is never in memory (their Person is read back by id): a row deleted by hand
    would refuse every command of theirs, and every grant to them, as for no such person."""
    twin.customer("carl", 100)
    _delete(url, schema.people, "carl")
    grant = c.GrantCredits(actor="system", grant_id="g2", customer="carl", amount=50)
    with pytest.raises(CorruptRow, match="people carl cannot be read .*AccountOpened created it"):
        twin.store.execute(grant, twin.now)
    twin.do(grant)
    assert twin.store.world.people["carl"] == twin.world.people["carl"]
    assert twin.store.wallet_balance("carl")["balance"] == 150 and twin.store.verify() == []


def test_r30_a_claims_row_deleted_by_hand_is_found_by_the_page_that_asks_for_it(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Outside a write (a page asking for a record by id) the missing row is found the same way, and
    the next write or page finds the tables rebuilt."""
    twin.expert("anna", now_slot=False)
    twin.customer("carl", 1000)
    twin.held_meeting("m1", price=30)
    twin.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))  # settled: R29's claim window opens
    twin.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=30, reason="The sound failed."))
    twin.do(c.RefundClaim(actor="anna", claim_id="k1", amount=30))  # closed: the write lets it go
    assert "k1" not in set(dict.keys(twin.store.world.claims))
    _delete(url, schema.claims, "k1")
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"), \
            pytest.raises(CorruptRow, match="claims k1 cannot be read"):
        twin.store.world.claims.get("k1")
    assert twin.store.world.claims["k1"] == twin.world.claims["k1"]  # read from the rebuilt table
    assert "rebuilding the projection tables from the log: claims k1 cannot be read" in caplog.text
    assert twin.store.verify() == []


def test_r22_a_deleted_row_found_by_another_process_catching_up_is_rebuilt(twin: Twin, url: str) -> None:
    """Another process folds a write that touched a record memory let go, reading its row back at
    that position: a row deleted since is found there too, not taken for a record not yet made."""
    history(twin, 2)
    with Store.open(url) as other:
        other.world  # noqa: B018 - loaded now: the write below is caught up later
        twin.do(c.Evaluate(actor="anna", meeting_id="old0", answer=Answer.SMOOTH))
        _delete(url, schema.meetings, "old0")
        with pytest.raises(CorruptRow, match="meetings old0 cannot be read"):
            other.refresh()
        assert other.world.meetings["old0"].expert_answer is Answer.SMOOTH
        assert same(other.world, twin.world) and other.verify() == []


def test_an_unknown_id_is_no_such_record_and_costs_no_rebuild(
        twin: Twin, caplog: pytest.LogCaptureFixture) -> None:
    """Only a record the log created counts as deleted: an id never used (a new meeting's, a claim's
    id asked of the meetings) is simply not there."""
    twin.expert("anna", now_slot=False)
    twin.customer("carl", 1000)
    twin.held_meeting("m1", price=30)
    twin.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))  # settled: R29's claim window opens
    twin.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=30, reason="The sound failed."))
    with caplog.at_level(logging.INFO, logger="consoleapp.store"):
        assert twin.store.world.meetings.get("never") is None
        assert twin.store.world.meetings.get("k1") is None  # the log's events of k1 created a claim
        twin.do(c.AddSlot(actor="anna", slot_id="now", start=None))
        twin.do(c.RequestInstant(actor="carl", meeting_id="new1", expert="anna", mode=Mode.VIDEO,
                                 offer=OfferKind.SHORT, topic="Tax"))
    assert "rebuild" not in caplog.text
    assert twin.store.verify() == []


@pytest.mark.parametrize("damage", ["deleted", "closed"])
def test_r22_an_open_meetings_row_deleted_or_closed_by_hand_is_found_at_start_by_escrows_holds(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture, damage: str) -> None:
    """A start reads only the open rows: an open meeting's row gone (or marked closed) would leave
    the meeting out of memory for good, its credits held in escrow that no deadline ever settles.
    Escrow's row still holds them, so the start finds the difference and rebuilds from the log."""
    twin.expert("anna", now_slot=False)
    twin.customer("carl", 1000)
    twin.held_meeting("m1", price=30)  # Held: the 30 credits wait for R22's evaluations
    twin.store.close()
    engine = db.create(url)
    m = schema.meetings.c
    with engine.begin() as conn:
        row = schema.meetings.delete() if damage == "deleted" else schema.meetings.update().values(open=False)
        assert conn.execute(row.where(m.id == "m1")).rowcount == 1
    engine.dispose()
    with _reopened(url, caplog) as again:
        assert "rebuilding the projection tables from the log: Untrusted: the open meetings and events do not " \
               "hold what escrow holds: escrow's pending credits differ from the open holds" in caplog.text
        assert "m1" in again.world.active
        twin.store = again
        twin.wait(hours=twin.policy.auto_evaluation_hours + 1)  # R22: both silent, the expert is paid
        assert again.world.meetings["m1"].status is MeetingStatus.SETTLED
        assert same(again.world, twin.world) and again.verify() == []


def test_r11_a_catch_up_that_fails_midway_leaves_no_wallet_folded_twice(
        twin: Twin, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's catch-up (`refresh`) that fails after reading a wallet back (the database went away
    mid-read, say) must not keep that wallet: its row already held the later holds, which the next
    catch-up folds again. The store loads the open business afresh instead."""
    from consoleapp.store import store as store_module

    s = twin
    s.expert("anna", now_slot=False)
    s.customer("carl", 1000)
    first = s.store
    with Store.open(url) as second:
        start = s.now + timedelta(hours=2)
        for i in range(3):
            mid = f"m{i}"
            elsewhere(s, second, c.RequestScheduled(actor="carl", meeting_id=mid, expert="anna", mode=Mode.VIDEO,
                                                    offer=OfferKind.SHORT, topic="Tax", times=(start,)))
            elsewhere(s, second, c.PickTime(actor="anna", meeting_id=mid, start=start))
            start += timedelta(hours=1)
        real, folded = store_module.event_from, []

        def failing(kind: str, data: dict[str, object]) -> object:
            if len(folded) == 4:
                raise sa.exc.OperationalError("SELECT", {}, Exception("the connection was lost"))
            folded.append(kind)
            return real(kind, data)

        monkeypatch.setattr(store_module, "event_from", failing)
        with pytest.raises(sa.exc.OperationalError):
            first.refresh()
        assert "Transfer" in folded  # carl's wallet was read back and folded before the failure
        monkeypatch.setattr(store_module, "event_from", real)
        first.refresh()
        assert customer_wallets_held(first) == set()
        assert first.world.ledger.account(wallet("carl")) == s.world.ledger.account(wallet("carl"))
        assert same(first.world, s.world)
        s.do(c.RequestScheduled(actor="carl", meeting_id="m3", expert="anna", mode=Mode.VIDEO,
                                offer=OfferKind.SHORT, topic="Tax", times=(start,)))
        assert first.verify() == [] and same(first.world, s.world)


def test_r11_a_balance_row_changed_by_hand_is_found_at_start_and_rebuilt_from_the_log(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A customer's wallet is never in memory: a rule reads its row. One changed outside the store
    (100 credits added by hand) would be spent as real; a start finds the ledger unbalanced and
    rebuilds the accounts from the log."""
    varied(twin)
    twin.store.close()
    engine = db.create(url)
    a = schema.accounts.c
    with engine.begin() as conn:
        assert conn.execute(sa.update(schema.accounts).where(a.id == wallet("carl"))
                            .values(credits_posted=a.credits_posted + 100)).rowcount == 1
    engine.dispose()
    with _reopened(url, caplog) as again:
        assert "rebuilding the projection tables from the log: Untrusted: the accounts table breaks double entry: " \
               "posted debits differ from posted credits" in caplog.text
        assert again.world.ledger.account(wallet("carl")) == twin.world.ledger.account(wallet("carl"))
        assert violations(again.world.ledger, again.every_account()) == []
        assert same(again.world, twin.world) and again.verify() == []
