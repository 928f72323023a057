"""Read-side helpers: each answer from the stored tables equals what the engine's world says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from consoleapp.engine import commands as c
from consoleapp.engine.ledger import earnings, wallet
from consoleapp.engine.model import ClaimStatus, MeetingStatus, Mode, OfferKind
from consoleapp.store import Store
from tests.store.twin import Twin, varied


@pytest.fixture
def done(url: str) -> Iterator[Twin]:
    store = Store.open(url)
    s = Twin(store=store)
    varied(s)
    yield s
    store.close()


def test_meetings_of_a_person_by_status(done: Twin) -> None:
    store, world = done.store, done.world
    mine = store.meetings_of("carl")
    assert {m.id for m in mine} == {m.id for m in world.meetings.values() if "carl" in (m.customer, m.expert)}
    assert all(m == world.meetings[m.id] for m in mine)
    settled = store.meetings_of("anna", MeetingStatus.SETTLED)
    assert [m.id for m in settled] == ["m1"]
    closed = store.meetings_of("dora", [MeetingStatus.CANCELLED, MeetingStatus.EXPIRED, MeetingStatus.REJECTED])
    assert {m.id for m in closed} == {"m2", "m3", "m6"}


def test_requests_awaiting_an_expert(done: Twin) -> None:
    s, store = done, done.store
    later = (s.now + timedelta(days=3)).replace(minute=0)
    s.do(c.RequestScheduled(actor="carl", meeting_id="w1", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.SHORT, topic="new one", times=(later,)))
    s.do(c.SuggestMeeting(actor="anna", meeting_id="w2", customer="carl", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, start=later + timedelta(hours=2),
                          topic="suggested"))
    assert [m.id for m in store.requests_awaiting("anna")] == ["w1"]  # not the one anna suggested
    assert store.requests_awaiting("bob") == []


def test_r34_timeline_lists_titles_actor_and_time_in_order(done: Twin) -> None:
    timeline = done.store.timeline("m1")
    assert [row["title"] for row in timeline] == done.titles("m1")
    assert timeline[0] == {"position": timeline[0]["position"], "kind": "MeetingRequested",
                           "title": "Instant request sent by user", "actor": "carl",
                           "at": next(e.at for e in done.log if e.ref == "m1")}
    positions = [row["position"] for row in timeline]
    assert positions == sorted(positions)
    with_money = done.store.timeline("m1", money=True)
    assert any(row["kind"] == "Transfer" for row in with_money) and len(with_money) > len(timeline)


def test_r21_transcript_has_chat_attachments_and_recording(done: Twin) -> None:
    transcript = done.store.transcript("m1")
    assert [row["event"] for row in transcript] == [
        "ChatMessagePosted", "ChatMessagePosted", "AttachmentAdded", "RecordingAttached"]
    assert transcript[0]["text"] == "Hello" and transcript[0]["actor"] == "carl"
    assert transcript[2]["name"] == "invoice.pdf" and transcript[2]["kind"] == "file"
    assert transcript[3]["uri"] == "rec://m1"


def test_r32_earnings_by_month_and_transaction_record(done: Twin) -> None:
    store, world = done.store, done.world
    months = store.earnings_by_month("anna")
    assert months == [world.months[k] for k in sorted(world.months) if k[0] == "anna"]
    record = store.transactions(earnings("anna"))
    assert record[-1]["balance"] == world.ledger.account(earnings("anna")).balance
    assert {"Payment of credits for services", "Payout to bank account"} <= {r["label"] for r in record}
    carl = store.transactions(wallet("carl"))
    assert carl[0] == {**carl[0], "label": "Credits granted", "amount": 2000, "posted": True, "balance": 2000}
    holds = [r for r in carl if r["kind"] == "pending"]
    assert holds and all(r["amount"] < 0 and not r["posted"] for r in holds)
    assert carl[-1]["balance"] == world.ledger.account(wallet("carl")).balance


def test_r29_claims_of_an_expert_and_of_a_customer(done: Twin) -> None:
    store, world = done.store, done.world
    assert [cl.id for cl in store.claims_of("anna")] == ["k2", "k3"]
    assert [cl.id for cl in store.claims_of("carl")] == ["k1", "k3"]
    assert [cl.id for cl in store.claims_of("anna", ClaimStatus.DISPUTE_REJECTED)] == ["k2"]
    assert all(cl == world.claims[cl.id] for cl in store.claims_of("dora"))


def test_r35_notifications_of_a_person_with_a_cursor(done: Twin) -> None:
    notes = done.store.notifications("anna")
    assert [n["kind"] for n in notes] == done.notices("anna")
    assert notes and set(notes[0]) == {"position", "kind", "ref", "at", "text"}
    later = done.store.notifications("anna", after=notes[1]["position"], limit=2)
    assert later == notes[2:4]


def test_r11_wallet_balance(done: Twin) -> None:
    account = done.world.ledger.account(wallet("carl"))
    assert done.store.wallet_balance("carl") == {
        "account": "customer:carl", "balance": account.balance, "available": account.available,
        "blocked": account.debits_pending}
    assert done.store.wallet_balance("nobody")["balance"] == 0
    assert done.store.earnings_balance("bob")["balance"] == done.earnings("bob")


def test_r2_r3_r5_r27_profiles_offers_and_reviews(done: Twin) -> None:
    store, world = done.store, done.world
    assert store.profile("anna") == world.profiles["anna"]
    assert store.profile(slug="anna-k") == world.profiles["anna"]
    assert store.profile(slug="nobody") is None
    assert store.payout_profile("anna") == world.payout_profiles["anna"]
    assert store.payout_profile("bob") is None
    assert store.offers_of("bob") == {Mode.VIDEO: world.offers[("bob", Mode.VIDEO)]}
    assert store.reviews_of("bob") == [world.reviews[("carl", "bob")]]
