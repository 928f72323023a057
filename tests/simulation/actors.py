"""What happens in one step: the seeded RNG picks a party and an action, valid or not.

Customers and the operator call the HTTP API with an `Idempotency-Key` (an answer that is
cut off is asked for again with the same key, as a careful API client does). Experts act
through their desktop client: a command built from what *their* app shows (the cache's
optimistic view), queued in the outbox and pushed when the client syncs, so an offline
expert answers requests that may have changed meanwhile. The infrastructure steps move the
network, the processes and the clock.

About one action in eight is built to be refused (unknown ids, bad values, too late, someone
else's record): refusals must be visible and change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

import httpx

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.ledger import wallet
from consoleapp.engine.model import (
    Answer,
    ClaimStatus,
    DeclineReason,
    GroupEventStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Mode,
    OfferKind,
    Party,
)
from consoleapp.engine.payouts import next_payout_day

from . import checks, goals, money, web
from .harness import Customer, Expert, Simulation
from .net import Fault

T = TypeVar("T")
QUARTER = timedelta(minutes=15)
Action = Callable[[Simulation, Any], Awaitable[str | None]]


def pick(sim: Simulation, items: Sequence[T]) -> T | None:
    return sim.rng.choice(items) if items else None


def bad(sim: Simulation) -> bool:
    """Whether this action is deliberately wrong."""
    return sim.rng.random() < sim.swarm.rates["wrong"]


def later(sim: Simulation, low_hours: float, high_hours: float) -> datetime:
    """A future time on a quarter hour, between `low_hours` and `high_hours` from now."""
    now = sim.now()
    base = now.replace(second=0, microsecond=0) + timedelta(minutes=15 - now.minute % 15)
    quarters = int((high_hours - low_hours) * 4)
    return base + timedelta(hours=low_hours) + QUARTER * sim.rng.randint(0, max(quarters, 0))


def iso(moment: datetime) -> str:
    return moment.isoformat()


# --- the HTTP API ------------------------------------------------------------------------------


async def call(sim: Simulation, who: Customer | None, method: str, path: str, body: Any = None,
               faults: bool = True, key: str = "") -> httpx.Response:
    """One API call by a customer (or the operator, `who=None`), maybe meeting a fault.

    A cut answer is asked for again with the same key: if the server had applied the call, the
    second answer must be its stored answer, replayed. Both answers of a duplicated call too.
    """
    wire = who.wire if who else sim.operator_wire
    http = who.http if who else sim.operator_http
    headers = {"Authorization": f"Bearer {who.token if who else sim.operator_token}"}
    keyed = method in ("POST", "PUT")
    if keyed:
        headers["Idempotency-Key"] = key or uuid.uuid4().hex
        if faults and sim.rng.random() < sim.swarm.rates["api_faults"]:
            wire.armed[path] = sim.rng.choice([Fault.CUT, Fault.DUPLICATE])
    duplicates = len(sim.network.duplicates)
    try:
        r = await http.request(method, path, json=body, headers=headers)
    except httpx.ReadError:
        _, lost = wire.cut.pop()
        r = await http.request(method, path, json=body, headers=headers)
        checks.replayed(lost, r, f"{method} {path} asked again after its answer was cut")
    else:
        if len(sim.network.duplicates) > duplicates:
            d = sim.network.duplicates[-1]
            checks.replayed(d.first, d.second, f"{method} {path} duplicated on the way")
    wire.armed.pop(path, None)
    if r.status_code >= 500 or r.status_code in (401, 403) and path.startswith("/operator"):
        raise AssertionError(f"{method} {path} {body!r} answered {r.status_code}: {r.text[:500]}")
    if keyed:
        if r.status_code < 300:
            sim.stats.api_ok += 1
        else:
            sim.stats.api_refused += 1
            checks.refusal_explained(r)
    return r


async def poke(sim: Simulation, r: httpx.Response, expert: str) -> None:
    """The server pokes the expert's open apps (the live stream); an online app pulls at once."""
    if r.status_code >= 300:
        return
    for ex in sim.experts:
        if ex.id == expert and ex.wire.online and sim.rng.random() < 0.6:
            await sim.sync(ex)


def said(r: httpx.Response) -> str:
    if r.status_code < 300:
        return str(r.status_code)
    try:
        return f"{r.status_code} {r.json()['error']['code']}"
    except (ValueError, KeyError, TypeError):
        return str(r.status_code)


async def push_as(sim: Simulation, cu: Customer, name: str, args: dict[str, Any]) -> str:
    """A customer's command through /sync/push (group events have no customer route)."""
    command = {"command_id": uuid.uuid4().hex, "name": name, "args": args}
    for _ in range(2):
        seq, cu.next_seq = cu.next_seq, cu.next_seq + 1
        body = {"client_id": cu.client_id, "schema_version": 1, "commands": [{"seq": seq, **command}]}
        r = await call(sim, cu, "POST", "/sync/push", body, faults=False)
        assert r.status_code == 200, r.text
        answer = r.json()
        if not answer["gap"]:
            (result,) = answer["results"]
            return f"{result['status']} {result['code']}".strip()
        # A restored server forgot this client's earlier commands; this little tool keeps no
        # history to send again, so it starts over under a new client id.
        cu.client_id, cu.next_seq = uuid.uuid4().hex, 1
    raise AssertionError(f"{cu.name}'s push is refused as a gap under a brand-new client id")


# --- customers ---------------------------------------------------------------------------------


def meetings_of(w: World, person: str, *statuses: MeetingStatus) -> list[Meeting]:
    found = [m for m in w.meetings.values() if person in (m.customer, m.expert)]
    return sorted((m for m in found if not statuses or m.status in statuses), key=lambda m: m.id)


# Codes a customer types, picked by the meeting's own number rather than by a draw of the seed's
# randomness (a draw would move every later action of every seed): mostly none, the operator's two
# (one for the first expert only, so refused elsewhere; the other with a cap on its uses), and one
# that does not exist, or every other time one the operator makes during the run (money.py), maybe
# not made yet.
PROMOS = ("", "", "", "spring-20", "", "EXPERT0-15", "", "NOPE")


def promo_for(mid: str) -> str:
    n = int(mid.lstrip("m"))
    code = PROMOS[n % len(PROMOS)]
    if code == "NOPE" and n // len(PROMOS) % 2:
        return money.typed_code(n // len(PROMOS) // 2)
    return code


def offer_kind(sim: Simulation) -> tuple[str, int]:
    kind = sim.rng.choice([OfferKind.SHORT, OfferKind.LONG, OfferKind.PER_MINUTE])
    return kind.value, (sim.rng.choice([10, 20, 45]) if kind is OfferKind.PER_MINUTE else 0)


async def book(sim: Simulation, cu: Customer) -> str | None:
    """R8: a time inside one of an expert's free slots (or, wrongly, outside it or in the past)."""
    ex = pick(sim, sim.experts)
    assert ex is not None
    now = sim.now()
    slots = sorted((s for s in sim.world.slots.values() if s.expert == ex.id and s.end > now), key=lambda s: s.id)
    slot = pick(sim, slots)
    if slot is None:
        return None
    offer, minutes = offer_kind(sim)
    length = timedelta(minutes=minutes or (15 if offer == "short" else 30))
    earliest = max(slot.start, now + timedelta(minutes=1))
    earliest += timedelta(minutes=-earliest.minute % 15, seconds=-earliest.second, microseconds=-earliest.microsecond)
    room = int((slot.end - length - earliest) / QUARTER)
    start = earliest + QUARTER * sim.rng.randint(0, max(room, 0))
    if bad(sim):
        start = sim.rng.choice([now - timedelta(hours=1), slot.end, slot.start - timedelta(hours=2)])
    mid = sim.fresh("m")
    r = await call(sim, cu, "POST", "/api/bookings", {
        "slot_id": slot.id, "mode": "video", "offer": offer, "start": iso(start), "topic": "Tax question",
        "minutes": minutes, "meeting_id": mid, "promo_code": promo_for(mid)})
    await poke(sim, r, ex.id)
    return f"{cu.name} books {mid} in {slot.id} at {start:%d %H:%M} ({offer}{promo_said(mid)}): {said(r)}"


def promo_said(mid: str) -> str:
    return f", code {promo_for(mid)}" if promo_for(mid) else ""


async def instant(sim: Simulation, cu: Customer) -> str | None:
    """R6: credits held at once; only an expert with a slot open now can take it."""
    ex = pick(sim, sim.experts)
    assert ex is not None
    offer, _ = offer_kind(sim)
    budget = sim.rng.choice([1, 20, 60]) if offer == "per_minute" else sim.rng.choice([0, 0, 10, 100])
    mid = sim.fresh("m")
    r = await call(sim, cu, "POST", "/api/requests/instant", {
        "expert": ex.id, "mode": "video", "offer": offer, "topic": "Quick question", "max_budget": budget,
        "meeting_id": mid, "promo_code": promo_for(mid)})
    await poke(sim, r, ex.id)
    return f"{cu.name} asks {ex.name} now {mid} ({offer}, budget {budget}{promo_said(mid)}): {said(r)}"


async def scheduled(sim: Simulation, cu: Customer) -> str | None:
    """R7: one to three proposed times (or none, four, or one already past)."""
    ex = pick(sim, sim.experts)
    assert ex is not None
    offer, minutes = offer_kind(sim)
    times = [later(sim, 1, 200) for _ in range(sim.rng.randint(1, 3))]
    if bad(sim):
        times = sim.rng.choice([[], times * 2, [sim.now() - timedelta(hours=2)]])
    mid = sim.fresh("m")
    r = await call(sim, cu, "POST", "/api/requests/scheduled", {
        "expert": ex.id, "mode": "video", "offer": offer, "topic": "Planning", "times": [iso(t) for t in times],
        "minutes": minutes, "meeting_id": mid, "promo_code": promo_for(mid)})
    await poke(sim, r, ex.id)
    return f"{cu.name} proposes {len(times)} time(s) to {ex.name} for {mid}{promo_said(mid)}: {said(r)}"


async def cancel(sim: Simulation, cu: Customer) -> str | None:
    """R12/R13: preview the fee, then cancel with it (or without it, or with another)."""
    m = pick(sim, meetings_of(sim.world, cu.id, MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED,
                              MeetingStatus.REJECTED))
    if m is None or m.customer != cu.id:
        return None
    preview = await call(sim, cu, "GET", f"/api/meetings/{m.id}/cancellation")
    fee = preview.json().get("fee") if preview.status_code == 200 else None
    accept = fee if fee else None
    if bad(sim):
        accept = sim.rng.choice([None, (fee or 0) + 1, 0])
    reason = "" if bad(sim) else "plans changed"
    r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/cancel", {"reason": reason, "accept_fee": accept})
    await poke(sim, r, m.expert)
    return f"{cu.name} cancels {m.id} ({m.status.value}, fee {fee}, accepting {accept}): {said(r)}"


async def reschedule(sim: Simulation, cu: Customer) -> str | None:
    """R15."""
    m = pick(sim, [m for m in meetings_of(sim.world, cu.id, MeetingStatus.AGREED, MeetingStatus.REJECTED)
                   if m.customer == cu.id])
    if m is None:
        return None
    start = later(sim, 2, 150) if not bad(sim) else sim.now() - timedelta(minutes=5)
    r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/reschedule", {"start": iso(start)})
    await poke(sim, r, m.expert)
    return f"{cu.name} reschedules {m.id} to {start:%d %H:%M}: {said(r)}"


async def answer_alternative(sim: Simulation, cu: Customer) -> str | None:
    """R16: approve or reject the expert's time, or withdraw one's own."""
    m = pick(sim, [m for m in meetings_of(sim.world, cu.id) if m.customer == cu.id and m.alternative is not None])
    if m is None or m.alternative is None:
        return None
    if m.alternative.by is Party.CUSTOMER and not bad(sim):
        r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/alternative/withdraw")
        return f"{cu.name} withdraws the new time of {m.id}: {said(r)}"
    if sim.rng.random() < 0.6:
        r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/alternative/approve")
        return f"{cu.name} approves the new time of {m.id}: {said(r)}"
    r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/alternative/reject", {"reason": "does not suit me"})
    return f"{cu.name} rejects the new time of {m.id}: {said(r)}"


async def answer_suggestion(sim: Simulation, cu: Customer) -> str | None:
    """R9."""
    m = pick(sim, [m for m in meetings_of(sim.world, cu.id, MeetingStatus.AWAITING_APPROVAL)
                   if m.customer == cu.id and m.kind is MeetingKind.SUGGESTED])
    if m is None:
        return None
    if sim.rng.random() < 0.7:
        r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/confirm")
        return f"{cu.name} confirms suggestion {m.id}: {said(r)}"
    r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/reject", {"reason": DeclineReason.PERSONAL.value})
    return f"{cu.name} rejects suggestion {m.id}: {said(r)}"


async def attend(sim: Simulation, cu: Customer) -> str | None:
    """R17/R18: get one's own link, then open it (attendance, or a clear refusal)."""
    m = pick(sim, [m for m in meetings_of(sim.world, cu.id, MeetingStatus.AGREED, MeetingStatus.HELD)
                   if m.customer == cu.id])
    if m is None:
        return None
    link = await call(sim, cu, "GET", f"/api/meetings/{m.id}/link")
    if link.status_code != 200:
        return f"{cu.name} asks for the link of {m.id}: {said(link)}"
    path = httpx.URL(link.json()["url"]).path
    r = await call(sim, cu, "GET", path)
    return f"{cu.name} opens the link of {m.id}: {r.status_code}"


async def evaluate(sim: Simulation, cu: Customer) -> str | None:
    """R22-R26: one of the four answers."""
    wrong = bad(sim)  # a second answer, or one before the meeting took place
    m = pick(sim, [m for m in meetings_of(sim.world, cu.id, MeetingStatus.HELD, MeetingStatus.SETTLED,
                                          MeetingStatus.UNDER_REVIEW, MeetingStatus.AGREED)
                   if m.customer == cu.id and (wrong or m.customer_answer is None and m.status is not MeetingStatus.AGREED)])
    if m is None:
        return None
    answer = sim.rng.choice(list(Answer))
    r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/evaluation", {"answer": answer.value})
    what = f"{cu.name} evaluates {m.id} ({m.status.value}): {answer.value}: {said(r)}"
    charged = r.json()["meeting"]["charged"] if r.status_code == 200 else 0
    if charged and sim.rng.random() < 0.4:  # paid, and not happy after all: a claim at once (R29)
        what += "; " + await claim_on(sim, cu, m.id, sim.rng.randint(1, charged))
    return what


async def rate_or_review(sim: Simulation, cu: Customer) -> str | None:
    """R27."""
    if sim.rng.random() < 0.5:
        m = pick(sim, [m for m in meetings_of(sim.world, cu.id) if m.customer == cu.id])
        if m is None:
            return None
        stars = sim.rng.randint(0, 6) if bad(sim) else sim.rng.randint(1, 5)
        r = await call(sim, cu, "POST", f"/api/meetings/{m.id}/rating", {"stars": stars})
        return f"{cu.name} rates {m.id} {stars} stars: {said(r)}"
    ex = pick(sim, sim.experts)
    assert ex is not None
    r = await call(sim, cu, "PUT", f"/api/experts/{ex.id}/review", {"text": f"Helpful, step {sim.step_index}"})
    return f"{cu.name} reviews {ex.name}: {said(r)}"


async def claim(sim: Simulation, cu: Customer) -> str | None:
    """R29: within 72 h of a charged session, up to what is left to claim (or more, or too late)."""
    w = sim.world
    late = bad(sim)  # after the 72 h window closed, maybe
    sessions = [m.id for m in meetings_of(w, cu.id) if m.customer == cu.id and m.charged
                and (late or not m.claim_window_closed)]
    sessions += sorted(g.id for g in w.group_events.values() if any(r.customer == cu.id for r in g.registrations))
    session = pick(sim, sessions)
    if session is None or bad(sim):
        session = session or sim.fresh("m")
        amount = sim.rng.choice([1, 10_000])
    else:
        m = w.meetings.get(session)
        charged = m.charged - m.refunded if m else 30
        amount = sim.rng.randint(1, max(charged, 1))
    return await claim_on(sim, cu, session, amount)


async def claim_on(sim: Simulation, cu: Customer, session: str, amount: int) -> str:
    w = sim.world
    cid = sim.fresh("c")
    r = await call(sim, cu, "POST", "/api/claims", {"session": session, "amount": amount, "reason": "it broke",
                                                     "claim_id": cid})
    owner = w.meetings[session].expert if session in w.meetings else \
        w.group_events[session].expert if session in w.group_events else ""
    await poke(sim, r, owner)
    return f"{cu.name} claims {amount} on {session} as {cid}: {said(r)}"


async def group(sim: Simulation, cu: Customer) -> str | None:
    """R28: register for an open event, or cancel a registration."""
    w = sim.world
    events = sorted((g for g in w.group_events.values() if g.status is GroupEventStatus.OPEN), key=lambda g: g.id)
    g = pick(sim, events)
    if g is None:
        return None
    if g.registration(cu.id) is not None and sim.rng.random() < 0.4:
        fee = sim.rng.choice([None, g.price // 2])
        result = await push_as(sim, cu, "CancelRegistration", {"event_id": g.id, "accept_fee": fee})
        return f"{cu.name} cancels the registration to {g.id}: {result}"
    result = await push_as(sim, cu, "Register", {"event_id": g.id})
    return f"{cu.name} registers to {g.id}: {result}"


async def top_up(sim: Simulation, cu: Customer) -> str | None:
    amount = sim.rng.choice([20, 100, 250])
    key = uuid.uuid4().hex
    r = await call(sim, None, "POST", "/operator/grants", {"customer": cu.id, "amount": amount}, key=key)
    what = f"operator grants {amount} to {cu.name}: {said(r)}"
    if r.status_code == 201 and sim.rng.random() < 0.25:
        # The same key for another request: refused, and the first grant is not repeated.
        before = sim.world.ledger.account(wallet(cu.id)).balance
        again = await call(sim, None, "POST", "/operator/grants", {"customer": cu.id, "amount": amount + 1},
                           faults=False, key=key)
        assert again.status_code == 409 and again.json()["error"]["code"] == "idempotency_key_reused", again.text
        assert sim.world.ledger.account(wallet(cu.id)).balance == before
        what += f"; the same key for {amount + 1}: {said(again)}"
    return what


async def junk(sim: Simulation, cu: Customer) -> str | None:
    """Calls that must be refused cleanly: unknown or someone else's meeting, bad bodies."""
    w = sim.world
    others = [m.id for m in w.meetings.values() if m.customer != cu.id]
    target = pick(sim, others) or "nope"
    path, body = sim.rng.choice([
        (f"/api/meetings/{target}/cancel", {"reason": "x"}),
        (f"/api/meetings/{target}/evaluation", {"answer": "went smoothly"}),
        ("/api/claims", {"session": target, "amount": 0, "reason": "x"}),
        ("/api/bookings", {"slot_id": "nope", "mode": "video", "offer": "short", "start": "tomorrow", "topic": "x"}),
        (f"/api/meetings/{target}/reschedule", {"start": iso(later(sim, 1, 5))}),
    ])
    r = await call(sim, cu, "POST", path, body)
    assert r.status_code >= 400, f"{path} {body} was accepted for someone else's record: {r.text}"
    return f"{cu.name} junk {path}: {said(r)}"


CUSTOMER: list[tuple[Action, int]] = [
    (book, 8), (instant, 4), (scheduled, 4), (cancel, 3), (reschedule, 2), (answer_alternative, 2),
    (answer_suggestion, 2), (attend, 3), (evaluate, 5), (rate_or_review, 1), (claim, 4), (group, 2),
    (top_up, 2), (junk, 1), (web.web_book, 3), (web.web_cancel, 1), (money.buy_credits, 2),
]


# --- experts, through their desktop client -------------------------------------------------------


def view(sim: Simulation, ex: Expert) -> World:
    """What the expert's app shows: the pulled state plus the outbox, at the server's time."""
    return ex.cache.view(sim.now())


def mine(sim: Simulation, ex: Expert, *statuses: MeetingStatus) -> list[Meeting]:
    return meetings_of(view(sim, ex), ex.id, *statuses)


async def submit(sim: Simulation, ex: Expert, command: c.Command) -> str:
    """The command goes to the outbox; an online app usually pushes it at once (submit pokes the
    sync loop), sometimes only at its next sync."""
    await sim.submit(ex, command)
    where = "offline" if not ex.wire.online else "queued"
    if ex.wire.online and sim.rng.random() < 0.6:
        await sim.sync(ex)
        where = "synced"
    return f"{ex.name} {where}: {type(command).__name__}({_brief(command)})"


def _brief(command: c.Command) -> str:
    parts = []
    for name in type(command).__dataclass_fields__:
        if name == "actor":
            continue
        value = getattr(command, name)
        parts.append(f"{name}={value:%d %H:%M}" if isinstance(value, datetime) else f"{name}={value!r}")
    return ", ".join(parts)[:160]


async def answer_request(sim: Simulation, ex: Expert) -> str | None:
    """R6-R8: accept, approve, pick a time, or decline what waits for the expert."""
    m = pick(sim, [m for m in mine(sim, ex, MeetingStatus.AWAITING_APPROVAL) if m.kind is not MeetingKind.SUGGESTED])
    if m is None:
        return None
    if sim.rng.random() < 0.2:
        return await submit(sim, ex, c.DeclineRequest(actor=ex.id, meeting_id=m.id,
                                                      reason=sim.rng.choice(list(DeclineReason))))
    if m.kind is MeetingKind.INSTANT:
        return await submit(sim, ex, c.AcceptInstant(actor=ex.id, meeting_id=m.id))
    if m.kind is MeetingKind.SCHEDULED:
        start = sim.rng.choice(m.proposed) if m.proposed and not bad(sim) else later(sim, 1, 20)
        return await submit(sim, ex, c.PickTime(actor=ex.id, meeting_id=m.id, start=start))
    return await submit(sim, ex, c.ApproveBooking(actor=ex.id, meeting_id=m.id))


async def change_time(sim: Simulation, ex: Expert) -> str | None:
    """R16: propose another time, or answer / withdraw one."""
    m = pick(sim, mine(sim, ex, MeetingStatus.AGREED, MeetingStatus.REJECTED, MeetingStatus.AWAITING_APPROVAL))
    if m is None:
        return None
    alt = m.alternative
    if alt is None:
        return await submit(sim, ex, c.ProposeAlternative(actor=ex.id, meeting_id=m.id, start=later(sim, 1, 120)))
    if alt.by is Party.EXPERT:
        return await submit(sim, ex, c.WithdrawAlternative(actor=ex.id, meeting_id=m.id))
    if sim.rng.random() < 0.6:
        return await submit(sim, ex, c.ApproveAlternative(actor=ex.id, meeting_id=m.id))
    return await submit(sim, ex, c.RejectAlternative(actor=ex.id, meeting_id=m.id, reason="busy then"))


async def expert_cancel(sim: Simulation, ex: Expert) -> str | None:
    """R14."""
    m = pick(sim, mine(sim, ex, MeetingStatus.AGREED, MeetingStatus.AWAITING_APPROVAL))
    if m is None:
        return None
    return await submit(sim, ex, c.CancelMeeting(actor=ex.id, meeting_id=m.id, reason="sick"))


async def suggest(sim: Simulation, ex: Expert) -> str | None:
    """R9."""
    cu = pick(sim, sim.customers)
    assert cu is not None
    offer = sim.rng.choice([OfferKind.SHORT, OfferKind.LONG])
    start = later(sim, 1, 150) if not bad(sim) else sim.now() - timedelta(hours=1)
    return await submit(sim, ex, c.SuggestMeeting(actor=ex.id, meeting_id=sim.fresh("m"), customer=cu.id,
                                                  mode=Mode.VIDEO, offer=offer, start=start, topic="Follow-up"))


async def live(sim: Simulation, ex: Expert) -> str | None:
    """R17-R21: open the link, start, drop and resume, gift, chat, end."""
    now = sim.now()
    agreed = [m for m in mine(sim, ex, MeetingStatus.AGREED) if m.start is not None and m.end is not None]
    joinable = [m for m in agreed if m.start and m.end
                and m.start - timedelta(minutes=15) <= now < m.end + timedelta(minutes=60)]
    if bad(sim) or not joinable:  # too early, maybe: the nearest meetings whatever their time
        joinable = sorted(agreed, key=lambda m: (abs((m.start or now) - now), m.id))[:2] if sim.rng.random() < 0.3 else []
    m = pick(sim, joinable)
    if m is None:
        return None
    lv = m.live
    if lv is None or lv.ended_at is not None:
        if sim.rng.random() < 0.3:
            return await submit(sim, ex, c.OpenLink(actor=ex.id, meeting_id=m.id))
        return await submit(sim, ex, c.StartSession(actor=ex.id, meeting_id=m.id))
    choice = sim.rng.random()
    if choice < 0.15:
        command: c.Command = c.Disconnect(actor=ex.id, meeting_id=m.id) if lv.running_since else \
            c.Reconnect(actor=ex.id, meeting_id=m.id)
    elif choice < 0.25:
        command = c.GiftMinutes(actor=ex.id, meeting_id=m.id)
    elif choice < 0.5:
        command = c.PostChat(actor=ex.id, meeting_id=m.id, message_id=sim.fresh("msg"), text="hello")
    else:
        command = c.EndSession(actor=ex.id, meeting_id=m.id)
    return await submit(sim, ex, command)


async def expert_evaluate(sim: Simulation, ex: Expert) -> str | None:
    wrong = bad(sim)
    m = pick(sim, [m for m in mine(sim, ex, MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW)
                   if wrong or m.expert_answer is None])
    if m is None:
        return None
    return await submit(sim, ex, c.Evaluate(actor=ex.id, meeting_id=m.id, answer=sim.rng.choice(list(Answer))))


async def answer_claim(sim: Simulation, ex: Expert) -> str | None:
    """R30: refund all or part, or dispute with a summary."""
    w = view(sim, ex)
    cl = pick(sim, sorted((x for x in w.claims.values() if x.expert == ex.id and x.status is ClaimStatus.OPEN),
                          key=lambda x: x.id))
    if cl is None:
        return None
    if sim.rng.random() < 0.6:
        amount = sim.rng.randint(1, cl.amount) if not bad(sim) else sim.rng.choice([0, cl.amount + 1, -3])
        return await submit(sim, ex, c.RefundClaim(actor=ex.id, claim_id=cl.id, amount=amount))
    return await submit(sim, ex, c.DisputeClaim(actor=ex.id, claim_id=cl.id, summary="the session took place"))


async def availability(sim: Simulation, ex: Expert) -> str | None:
    """R4: add (or "Now"), move, remove slots; overlapping or past ones are refused."""
    w = view(sim, ex)
    own = sorted((s for s in w.slots.values() if s.expert == ex.id), key=lambda s: s.id)
    roll = sim.rng.random()
    if roll < 0.45 or not own:
        start = later(sim, 0.5, 96) if not bad(sim) else sim.now() - timedelta(hours=3)
        end = start + timedelta(hours=sim.rng.randint(1, 6))
        return await submit(sim, ex, c.AddSlot(actor=ex.id, slot_id=sim.fresh("s"), start=start, end=end))
    if roll < 0.6:
        return await submit(sim, ex, c.AddSlot(actor=ex.id, slot_id=sim.fresh("s"), start=None))
    slot = sim.rng.choice(own)
    if roll < 0.8:
        start = later(sim, 1, 96)
        return await submit(sim, ex, c.MoveSlot(actor=ex.id, slot_id=slot.id, start=start,
                                                end=start + timedelta(hours=sim.rng.randint(1, 4))))
    return await submit(sim, ex, c.RemoveSlot(actor=ex.id, slot_id=slot.id))


async def profile(sim: Simulation, ex: Expert) -> str | None:
    """R2, R3, R5: prices (0 disables, below the minimum refused), profile (a taken slug), payout profile."""
    roll = sim.rng.random()
    if roll < 0.4:
        price = -5 if bad(sim) else sim.rng.choice([0, 15, 25])
        return await submit(sim, ex, c.SetOffers(actor=ex.id, mode=Mode.VIDEO, per_minute=sim.rng.choice([1, 2, 3]),
                                                 short_price=price, long_price=sim.rng.choice([30, 45])))
    if roll < 0.7:
        slug = f"expert-{sim.rng.randrange(len(sim.experts))}"  # maybe another expert's: refused
        return await submit(sim, ex, c.UpdateProfile(actor=ex.id, name=f"Expert {ex.index}", specialty="Tax",
                                                     time_zone=sim.rng.choice(["Europe/Paris", "UTC", "Mars/Base"]),
                                                     slug=slug))
    bank = "FR76 3000 6000 0112 3456 7890 198" if bad(sim) else "FR76 3000 6000 0112 3456 7890 189"  # R5: a typo is refused
    return await submit(sim, ex, c.SetPayoutProfile(actor=ex.id, legal_name=f"Expert {ex.index}", billing_address="1 Rue",
                                                    tax_id="FR40303265045", bank_account=bank))


async def events(sim: Simulation, ex: Expert) -> str | None:
    """R28: create, cancel, be present at (join / leave) a group event."""
    w = view(sim, ex)
    own = sorted((g for g in w.group_events.values() if g.expert == ex.id and g.status is GroupEventStatus.OPEN),
                 key=lambda g: g.id)
    now = sim.now()
    running = [g for g in own if g.start - timedelta(minutes=15) <= now <= g.end]
    if running and sim.rng.random() < 0.7:
        g = sim.rng.choice(running)
        command: c.Command = c.LeaveGroupEvent(actor=ex.id, event_id=g.id) if g.present_since and \
            sim.rng.random() < 0.3 else c.JoinGroupEvent(actor=ex.id, event_id=g.id)
        return await submit(sim, ex, command)
    if own and sim.rng.random() < 0.15:
        return await submit(sim, ex, c.CancelGroupEvent(actor=ex.id, event_id=sim.rng.choice(own).id, reason="ill"))
    start = later(sim, 1, 72)
    low = sim.rng.randint(1, 2)
    return await submit(sim, ex, c.CreateGroupEvent(
        actor=ex.id, event_id=sim.fresh("g"), title="Workshop", start=start, end=start + timedelta(hours=1),
        price=sim.rng.choice([10, 25]), min_participants=low, max_participants=low + sim.rng.randint(0, 3)))


async def issues(sim: Simulation, ex: Expert) -> str | None:
    """The "not applied" list: the expert dismisses an issue, or tries the command again."""
    found = ex.cache.issues()
    issue = pick(sim, found)
    if issue is None:
        return None
    ex.handled.add(issue.command_id)
    if sim.rng.random() < 0.5:
        ex.cache.dismiss(issue.seq)
        return f"{ex.name} dismisses issue {issue.seq} ({type(issue.command).__name__}: {issue.code})"
    seq = ex.cache.retry(issue.seq)
    ex.enqueued.append(next(cid for s, cid, _, _ in ex.cache.outbox_rows() if s == seq))
    return f"{ex.name} retries issue {issue.seq} as {seq} ({type(issue.command).__name__})"


async def expert_junk(sim: Simulation, ex: Expert) -> str | None:
    """Commands that must come back as visible issues: unknown ids, someone else's meeting, bad values."""
    other = pick(sim, [m.id for m in sim.world.meetings.values() if m.expert != ex.id]) or "nope"
    start = later(sim, 2, 10)
    command = sim.rng.choice([
        c.ApproveBooking(actor=ex.id, meeting_id=other),
        c.RefundClaim(actor=ex.id, claim_id="c-none", amount=5),
        c.AddSlot(actor=ex.id, slot_id=sim.fresh("s"), start=start, end=start - timedelta(hours=1)),
        c.Evaluate(actor=ex.id, meeting_id=other, answer=Answer.SMOOTH),
        c.CancelMeeting(actor=ex.id, meeting_id="nope", reason="x"),
        c.SetOffers(actor=ex.id, mode=Mode.CHAT, per_minute=10**13),  # refused before the engine sees it
    ])
    return await submit(sim, ex, command)


EXPERT: list[tuple[Action, int]] = [
    (answer_request, 10), (change_time, 2), (expert_cancel, 1), (suggest, 2), (live, 6), (expert_evaluate, 4),
    (answer_claim, 4), (availability, 4), (profile, 1), (events, 2), (issues, 1), (expert_junk, 1),
]


# --- the operator ---------------------------------------------------------------------------------


async def operator(sim: Simulation, _: object) -> str | None:
    """R25, R30, R33: decide reviews and disputes, run payouts by hand (on the right day or not)."""
    w = sim.world
    roll = sim.rng.random()
    if roll < 0.4:
        m = pick(sim, sorted((m for m in w.meetings.values() if m.status is MeetingStatus.UNDER_REVIEW),
                             key=lambda m: m.id))
        if m is None:
            return None
        outcome = sim.rng.choice(["pay", "return", "split"])
        amount = sim.rng.randint(0, m.price + (5 if bad(sim) else 0)) if outcome == "split" else 0
        r = await call(sim, None, "POST", f"/operator/meetings/{m.id}/decision",
                       {"outcome": outcome, "expert_amount": amount, "note": "as the evidence shows"})
        return f"operator decides {m.id}: {outcome} {amount}: {said(r)}"
    if roll < 0.8:
        cl = pick(sim, sorted((x for x in w.claims.values() if x.status is ClaimStatus.DISPUTED), key=lambda x: x.id))
        if cl is None:
            return None
        accept = sim.rng.random() < 0.5
        r = await call(sim, None, "POST", f"/operator/claims/{cl.id}/decision",
                       {"accept": accept, "note": "as the evidence shows"})
        return f"operator decides dispute {cl.id}: accept={accept}: {said(r)}"
    open_customers = [cu for cu in sim.customers if not cu.closed]
    if roll < 0.84 and len(open_customers) > 2:
        # An account closed with meetings, holds and claims still running: the rest of the
        # run goes on around them (the customer does nothing more; the token is revoked).
        cu = sim.rng.choice(open_customers)
        r = await call(sim, None, "POST", f"/operator/users/{cu.id}/close", {"reason": "asked to leave"})
        cu.closed = r.status_code == 200
        return f"operator closes {cu.name}'s account: {said(r)}"
    day = sim.now().date() - timedelta(days=sim.rng.randint(0, 20))
    r = await call(sim, None, "POST", "/operator/payouts", {"day": day.isoformat()})
    return f"operator runs payouts for {day}: {said(r)}"


# --- infrastructure -------------------------------------------------------------------------------


async def sync(sim: Simulation, ex: Expert) -> str | None:
    """The client syncs (a poke or its timer); the push or the pull may meet a fault."""
    fault = ""
    if ex.wire.online and sim.rng.random() < sim.swarm.rates["sync_faults"]:
        path = sim.rng.choice(["/sync/push", "/sync/push", "/sync/pull"])
        kind = sim.rng.choice([Fault.DUPLICATE, Fault.DELAY, Fault.CUT])
        ex.wire.armed[path] = kind
        fault = f" ({kind.value} on {path})"
    try:
        await sim.sync(ex)
    finally:
        ex.wire.armed.clear()  # a fault the sync did not meet is not kept for later
    return f"{ex.name} syncs{fault}: {ex.client.status.describe()}"


async def connectivity(sim: Simulation, ex: Expert) -> str | None:
    ex.wire.online = not ex.wire.online
    return f"{ex.name} goes {'online' if ex.wire.online else 'offline'}"


async def late_delivery(sim: Simulation, _: object) -> str | None:
    """A request held in the network arrives now, long after its sender gave up on it."""
    if not sim.network.held:
        return None
    index = sim.rng.randrange(len(sim.network.held))
    held = sim.network.held[index]
    r = await sim.network.release(index)
    assert r.status_code < 500, r.text
    return f"a delayed {held.request.url.path} of {held.wire} arrives: {r.status_code}"


async def restart_client(sim: Simulation, ex: Expert) -> str | None:
    sim.restart_client(ex)
    return f"{ex.name}'s app restarts"


async def restart_server(sim: Simulation, _: object) -> str | None:
    sim.restart_server()
    return "the server restarts"


async def backup_or_restore(sim: Simulation, _: object) -> str | None:
    """Now and then an online backup; rarely, the operator restores one (losing the work since)."""
    if sim.backups and sim.rng.random() < 0.2:
        source = sim.rng.choice(sim.backups[-2:])  # a recent one: an old one would undo most of the run
        sim.restore_server(source)
        return f"the server is restored from {source.name}"
    return f"backup {sim.backup_server().name}"


async def pass_time(sim: Simulation, _: object) -> str | None:
    """Minutes to hours go by; the scheduler usually (not always) runs right after."""
    delta = timedelta(minutes=sim.rng.choice([1, 1, 2, 5, 10, 30, 60, 180]))
    sim.pass_time(delta)
    ran = sim.tick() if sim.rng.random() < 0.75 else 0
    return f"{delta} passes; now {sim.now():%a %d %H:%M}; scheduler ran {ran}"


def deadlines(sim: Simulation) -> list[tuple[str, datetime]]:
    """The edges the rules turn on, for the records that exist now."""
    w, p, now = sim.world, sim.settings.policy, sim.now()
    out: list[tuple[str, datetime]] = []
    for m in sorted(w.meetings.values(), key=lambda m: m.id):
        if m.expires_at is not None and m.status is MeetingStatus.AWAITING_APPROVAL:
            out.append(("instant expiry", m.expires_at))
        if m.start is not None and m.end is not None:
            out += [("48 h before start", m.start - timedelta(hours=p.late_cancel_hours)),
                    ("24 h reminder", m.start - timedelta(hours=p.reminder_hours_before)),
                    ("start", m.start), ("end", m.end),
                    ("72 h claim window", m.end + timedelta(hours=p.claim_window_hours)),
                    ("168 h evaluation", m.end + timedelta(hours=p.auto_evaluation_hours))]
    for cl in sorted(w.claims.values(), key=lambda x: x.id):
        if cl.status is ClaimStatus.OPEN:
            out.append(("72 h claim answer", cl.opened_at + timedelta(hours=p.claim_answer_hours)))
    for g in sorted(w.group_events.values(), key=lambda g: g.id):
        out += [("event start", g.start), ("event end", g.end),
                ("72 h claim window", g.end + timedelta(hours=p.claim_window_hours))]
    payday = next_payout_day(now, p)
    out.append(("payout day", datetime.combine(payday, time(0, 0), tzinfo=UTC)))
    return sorted(((label, t) for label, t in out if now < t < now + timedelta(days=60)), key=lambda x: x[1])


async def jump(sim: Simulation, _: object) -> str | None:
    """The clock jumps (through the operator's /admin/clock) to just before or just past a deadline."""
    # One of the nearest edges, so time walks through the records' lives instead of leaping past them.
    label, target = pick(sim, deadlines(sim)[:4]) or ("a day", sim.now() + timedelta(days=1))
    target += timedelta(seconds=sim.rng.choice([-60, -1, 0, 1, 61, 1800]))
    seconds = max((target - sim.now()).total_seconds(), 0)
    r = await call(sim, None, "POST", "/admin/clock", {"seconds": seconds}, faults=False)
    assert r.status_code == 200, r.text
    sim.stats.time_jumps[label] += 1
    ran = sim.tick() if sim.rng.random() < 0.85 else 0
    started = ""
    if label == "start" and sim.rng.random() < 0.6:  # the expert is at the desk when it is time
        now = sim.now()
        near = sorted((m for m in sim.world.meetings.values() if m.status is MeetingStatus.AGREED
                       and m.start is not None and abs((m.start - now).total_seconds()) <= 1800), key=lambda m: m.id)
        m = pick(sim, near)
        ex = pick(sim, [x for x in sim.experts if m is not None and x.id == m.expert])
        if m is not None and ex is not None:
            started = "; " + await submit(sim, ex, c.StartSession(actor=ex.id, meeting_id=m.id))
    return f"clock jumps to {label} ({target:%a %d %H:%M:%S}); scheduler ran {ran}{started}"


async def tick(sim: Simulation, _: object) -> str | None:
    return f"scheduler ran {sim.tick()}"


async def settle(sim: Simulation, _: object = None) -> str | None:
    """Everyone back online, every held request delivered, every client synced: then compare."""
    for ex in sim.experts:
        ex.wire.online = True
        ex.wire.armed.clear()
    while sim.network.held:
        r = await sim.network.release(0)
        assert r.status_code < 500, r.text
    for _ in range(2):  # a second round pulls what the others' pushes did
        for ex in sim.experts:
            await sim.sync(ex)
    checks.converged(sim)
    for cu in sim.customers:  # what the customer API says equals the ledger
        if cu.closed:
            continue
        r = await call(sim, cu, "GET", "/api/wallet")
        account = sim.world.ledger.account(wallet(cu.id))
        body = r.json()
        assert (body["balance"], body["available"]) == (account.balance, account.available), \
            f"{cu.name}'s wallet says {body['balance']}/{body['available']}, the ledger {account.balance}/{account.available}"
    sim.stats.settles += 1
    return "settle: all online and synced; caches match the server"


INFRA: list[tuple[Action, int]] = [
    (sync, 14), (connectivity, 3), (late_delivery, 2), (restart_client, 1), (restart_server, 1),
    (pass_time, 6), (jump, 4), (tick, 1), (settle, 1), (backup_or_restore, 1),
]
PER_EXPERT = {sync, connectivity, restart_client}
# The operator's and Stripe's side of buying credits, and promo codes (money.py); the provider's
# other action finds nothing to do and the step draws again.
MONEY: list[tuple[Action, int]] = [(money.confirm_transfer, 3), (money.stripe_webhook, 3), (money.promo, 1)]
# Each party's share of the steps (relative); the tables above share it out by their weights.
SHARES: list[tuple[str, float, list[tuple[Action, int]]]] = [
    ("customer", 32, CUSTOMER), ("expert", 30, EXPERT), ("operator", 4, [(operator, 1)]), ("infra", 34, INFRA),
    ("money", 3, MONEY), ("goal", 80, [(goals.goal, 1)]),
]
TABLE: list[tuple[Action, float, str]] = [
    (action, share * weight / sum(w for _, w in table), party)
    for party, share, table in SHARES for action, weight in table
]


async def step(sim: Simulation) -> None:
    """One step: an action drawn by weight (times the run's focus on it), then who does it; an
    action with nothing to act on draws again."""
    weights = [weight * sim.swarm.weight(action.__name__) * sim.focus.get(action.__name__, 1.0)
               for action, weight, _ in TABLE]
    for _ in range(8):
        action, _, party = sim.rng.choices(TABLE, weights)[0]
        target: Any = None
        if party == "customer":
            target = sim.rng.choice([cu for cu in sim.customers if not cu.closed])
        elif party == "expert" or action in PER_EXPERT:
            target = sim.rng.choice(sim.experts)
        what = await action(sim, target)
        if what is not None:
            sim.stats.actions[action.__name__] += 1
            sim.note(what)
            return
    sim.note("nothing to do")
