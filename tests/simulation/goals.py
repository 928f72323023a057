"""Goal-directed parties: a customer and an expert who take one meeting to its end.

Random actions alone rarely get a meeting far: it is cancelled, expires or is never evaluated
long before anyone claims on it, and payouts wait for earnings that never settle. A goal is one
such life, written straight through as an async generator — book, agree, attend, evaluate, maybe
claim and dispute — that gives the step back after each move (`yield`), so the random and the
invalid actions, the faults and the restarts of the other steps interleave with it. Each goal
draws its plan at its start: which cancellation branch, which cell of the settlement table,
whether the connection drops, whether the claim is disputed. A goal whose record went elsewhere
meanwhile (cancelled by a random step, lost in a restore) just ends: the goal is a way to reach
outcomes, the checks after every step are what judge them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

import httpx

from consoleapp.engine import commands as c
from consoleapp.engine.ledger import wallet
from consoleapp.engine.model import (
    Answer,
    ClaimStatus,
    GroupEvent,
    GroupEventStatus,
    Meeting,
    MeetingStatus,
)
from consoleapp.engine.payouts import next_payout_day

from . import actors, web

if TYPE_CHECKING:
    from .harness import Customer, Expert, Simulation

Journey = AsyncIterator[str]
ACTIVE = 1  # goals pursued at once: one at a time, as a second one's clock jumps would derail the first
PATIENCE = 6  # steps a goal waits for the other side (an offline app, a cut answer) before it gives up


async def goal(sim: Simulation, _: object) -> str | None:
    """Take the goal under way (`sim.goals`) a step further, starting the next one when none is."""
    if len(sim.goals) < ACTIVE:
        name, make, _ = sim.rng.choices(JOURNEYS, [weight for *_, weight in JOURNEYS])[0]
        sim.goals.append((f"{name} {len(sim.goals_done) + len(sim.goals) + 1}", make(sim)))
    index = sim.rng.randrange(len(sim.goals))
    label, journey = sim.goals[index]
    try:
        what = await anext(journey)
    except StopAsyncIteration:
        del sim.goals[index]
        sim.goals_done.append(label)
        return f"goal {label} is over"
    return f"goal {label}: {what}"


# --- moves shared by the journeys ---------------------------------------------------------------


def customer(sim: Simulation) -> Customer | None:
    open_ = [cu for cu in sim.customers if not cu.closed]
    return sim.rng.choice(open_) if open_ else None


def quarter(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=-moment.minute % 15)


async def credits_for(sim: Simulation, cu: Customer, need: int) -> str:
    """The customer makes sure the wallet covers `need` (the operator grants what is missing)."""
    available = sim.world.ledger.account(wallet(cu.id)).available
    if available >= need:
        return f"{cu.name} has {available} credits"
    r = await actors.call(sim, None, "POST", "/operator/grants", {"customer": cu.id, "amount": need + 100})
    return f"operator grants {need + 100} to {cu.name}: {actors.said(r)}"


async def clock_to(sim: Simulation, target: datetime, label: str, record: str) -> str:
    """Time goes to `target` (never back) and the scheduler runs, as after a real wait; counted
    under the kind of moment (`label`), said with the record it is for."""
    seconds = max((target - sim.now()).total_seconds(), 0)
    r = await actors.call(sim, None, "POST", "/admin/clock", {"seconds": seconds}, faults=False)
    assert r.status_code == 200, r.text
    sim.stats.time_jumps[f"goal: {label}"] += 1
    return f"time goes to {record}'s {label} ({sim.now():%a %d %H:%M:%S}); scheduler ran {sim.tick()}"


async def at_desk(sim: Simulation, ex: Expert, command: c.Command) -> str:
    """The expert does it in the app, back online first if the app was offline; the app pushes
    it at once (a fault on the way may still hold it back: `until` syncs again)."""
    back = ""
    if not ex.wire.online:
        ex.wire.online = True
        back = f"{ex.name} comes back online; "
    await sim.submit(ex, command)
    await sim.sync(ex)
    refused = [i.code for i in ex.cache.issues() if i.command_id == ex.enqueued[-1]]
    outcome = f"refused {refused[0]}" if refused else "sent" if ex.client.status.error else "applied"
    return f"{back}{ex.name} does {type(command).__name__}: {outcome}"


async def until(sim: Simulation, ex: Expert, ready: Callable[[], bool], what: str,
                still: Callable[[], bool] = lambda: True) -> AsyncIterator[str]:
    """Syncs the expert's app until `ready()` holds on the server, a step at a time, while
    `still()` (the record can still get there); gives up after PATIENCE steps. The caller checks
    `ready()` again."""
    for _ in range(PATIENCE):
        if ready() or not still():
            return
        ex.wire.online = True
        await sim.sync(ex)
        if ready():
            return
        yield f"waits for {what}"


def meeting(sim: Simulation, mid: str) -> Meeting | None:
    return sim.world.meetings.get(mid)


def status_is(sim: Simulation, mid: str, *statuses: MeetingStatus) -> Callable[[], bool]:
    def check() -> bool:
        m = meeting(sim, mid)
        return m is not None and m.status in statuses
    return check


def expert_of(sim: Simulation, expert_id: str) -> Expert:
    return sim.rng.choice([ex for ex in sim.experts if ex.id == expert_id])


async def customer_says(sim: Simulation, cu: Customer, mid: str, answer: Answer) -> str:
    r = await actors.call(sim, cu, "POST", f"/api/meetings/{mid}/evaluation", {"answer": answer.value})
    return f"{cu.name} says {mid} {answer.value}: {actors.said(r)}"


# --- an appointment: cancelled on one of its branches, or held and evaluated ----------------------

# Cells of the settlement table (R22-R25): (customer's answer, expert's answer, wait 168 h), weight.
# A cell the random steps often spoil (a silent side that a random step makes speak) weighs more.
CELLS: list[tuple[Answer | None, Answer | None, bool, float]] = [
    (Answer.SMOOTH, None, False, 2), (Answer.MY_FAULT, None, False, 2),
    (None, Answer.SMOOTH, True, 1), (None, Answer.OTHER_PARTY, True, 1), (None, None, True, 0.5),
    (None, Answer.MY_FAULT, False, 1), (Answer.OTHER_PARTY, None, True, 1.5),
    (Answer.PLATFORM, Answer.PLATFORM, False, 2),
    (Answer.OTHER_PARTY, Answer.SMOOTH, False, 1), (Answer.PLATFORM, Answer.OTHER_PARTY, False, 1),
    (Answer.OTHER_PARTY, Answer.OTHER_PARTY, False, 1), (Answer.PLATFORM, None, True, 0.5),
]


async def appointment(sim: Simulation) -> Journey:
    """R7, R12-R14, R17-R18, R22-R30: asked for and agreed, then cancelled on one of the branches,
    or held and evaluated as one cell of the table says; maybe reviewed, claimed, disputed."""
    cu = customer(sim)
    if cu is None:
        return
    ex = sim.rng.choice(sim.experts)
    plan = sim.rng.choices(["awaiting", "early", "late", "expert", "held"], [0.5, 1, 1, 0.5, 8])[0]
    hours = sim.rng.uniform(50, 120) if plan == "early" else sim.rng.uniform(3, 40)
    offer = sim.rng.choice(["short", "long"])
    notes = [await credits_for(sim, cu, 60)]
    start = quarter(sim.now() + timedelta(hours=hours))
    mid = sim.fresh("m")
    r = await actors.call(sim, cu, "POST", "/api/requests/scheduled", {
        "expert": ex.id, "mode": "video", "offer": offer, "topic": "Annual accounts", "times": [start.isoformat()],
        "minutes": 0, "meeting_id": mid})
    await actors.poke(sim, r, ex.id)
    notes.append(f"{cu.name} asks {ex.name} for {mid} at {start:%a %d %H:%M} ({plan}): {actors.said(r)}")
    if r.status_code >= 300 or plan == "awaiting":  # R12: cancelled before the expert answers
        if r.status_code < 300:
            notes.append(await customer_cancel(sim, cu, mid))
        yield "; ".join(notes)
        return
    ex.wire.online = True
    await sim.sync(ex)  # the request's notice pulls it into the app
    notes.append(await at_desk(sim, ex, c.PickTime(actor=ex.id, meeting_id=mid, start=start)))
    if not status_is(sim, mid, MeetingStatus.AGREED)():
        yield "; ".join(notes)
        notes = []
        async for note in until(sim, ex, status_is(sim, mid, MeetingStatus.AGREED), f"{mid} to be agreed",
                                status_is(sim, mid, MeetingStatus.AWAITING_APPROVAL)):
            yield note
        if not status_is(sim, mid, MeetingStatus.AGREED)():
            return
    if plan != "held" or sim.rng.random() < 0.5:  # some time between the agreement and what follows
        yield "; ".join(notes)
        notes = []
    if plan in ("early", "late"):  # R13
        yield "; ".join([*notes, await customer_cancel(sim, cu, mid)])
    elif plan == "expert":  # R14
        yield "; ".join([*notes, await at_desk(sim, ex, c.CancelMeeting(actor=ex.id, meeting_id=mid, reason="ill"))])
    elif status_is(sim, mid, MeetingStatus.AGREED)():
        async for note in hold(sim, cu, ex, mid, start, notes):
            yield note


async def customer_cancel(sim: Simulation, cu: Customer, mid: str) -> str:
    """R12/R13: read the preview, then cancel accepting the fee it named."""
    preview = await actors.call(sim, cu, "GET", f"/api/meetings/{mid}/cancellation")
    fee = preview.json().get("fee") if preview.status_code == 200 else None
    r = await actors.call(sim, cu, "POST", f"/api/meetings/{mid}/cancel", {"reason": "plans changed", "accept_fee": fee or None})
    m = meeting(sim, mid)
    await actors.poke(sim, r, m.expert if m else "")
    return f"{cu.name} cancels {mid} (fee {fee}): {actors.said(r)}"


async def hold(sim: Simulation, cu: Customer, ex: Expert, mid: str, start: datetime, notes: list[str]) -> Journey:
    """The meeting takes place (in one step: it lasts minutes), then each side answers as the drawn
    cell says, right after it; the deadline, a late answer, the operator's review, a claim follow."""
    notes = [*notes, await clock_to(sim, start - timedelta(minutes=5), "meeting start", mid)]
    link = await actors.call(sim, cu, "GET", f"/api/meetings/{mid}/link")
    if link.status_code == 200:  # the customer opens the link: attendance (R18)
        await actors.call(sim, cu, "GET", httpx.URL(link.json()["url"]).path)
        notes.append(f"{cu.name} opens the link")
    if sim.rng.random() < 0.5:
        notes.append(await at_desk(sim, ex, c.StartSession(actor=ex.id, meeting_id=mid)))
    m = meeting(sim, mid)
    if m is None or m.end is None:
        yield "; ".join(notes)
        return
    notes.append(await clock_to(sim, m.end + timedelta(minutes=61), "meeting over", mid))
    held = status_is(sim, mid, MeetingStatus.HELD)()
    said_c, said_e, wait, _ = sim.rng.choices(CELLS, [cell[-1] for cell in CELLS])[0]
    if held and said_c is not None:
        notes.append(await customer_says(sim, cu, mid, said_c))
    if held and said_e is not None:
        notes.append(await at_desk(sim, ex, c.Evaluate(actor=ex.id, meeting_id=mid, answer=said_e)))
    m = meeting(sim, mid)
    if held and wait and m is not None and m.end is not None:  # the silent side stays silent to the deadline
        notes.append(await clock_to(sim, m.end + timedelta(hours=sim.settings.policy.auto_evaluation_hours, minutes=1),
                                    "168 h evaluation", mid))
    yield "; ".join(notes)
    if not held:
        return
    async for note in until(sim, ex, lambda: said_e is None or _answered(sim, mid), f"{ex.name}'s answer on {mid}",
                            status_is(sim, mid, MeetingStatus.HELD)):
        yield note
    if sim.rng.random() < 0.3:  # R26: the silent side answers after all; nothing settles again
        m = meeting(sim, mid)
        if m is not None and m.customer_answer is None:
            yield await customer_says(sim, cu, mid, sim.rng.choice(list(Answer)))
        elif m is not None and m.expert_answer is None:
            yield await at_desk(sim, ex, c.Evaluate(actor=ex.id, meeting_id=mid, answer=sim.rng.choice(list(Answer))))
    m = meeting(sim, mid)
    if m is not None and m.status is MeetingStatus.UNDER_REVIEW:
        yield await review(sim, m)
    async for note in claim(sim, cu, mid):
        yield note


def _answered(sim: Simulation, mid: str) -> bool:
    m = meeting(sim, mid)
    return m is None or m.expert_answer is not None


async def review(sim: Simulation, m: Meeting) -> str:
    """R25: the operator pays, returns or splits, on the console half the time, else by the API."""
    if sim.rng.random() < 0.5:
        return await web.web_review(sim, m)
    outcome = sim.rng.choice(["pay", "return", "split"])
    amount = sim.rng.randint(1, max(m.price - 1, 1)) if outcome == "split" else 0
    r = await actors.call(sim, None, "POST", f"/operator/meetings/{m.id}/decision",
                   {"outcome": outcome, "expert_amount": amount, "note": "the attendance shows it"})
    return f"operator decides {m.id} by the API: {outcome} {amount}: {actors.said(r)}"


async def claim(sim: Simulation, cu: Customer, session: str, skip: float = 0.2) -> Journey:
    """R29-R30: the customer claims (but for a `skip` share of sessions); the expert refunds all or
    part, disputes or stays silent; the operator decides a dispute."""
    m = meeting(sim, session)
    g = sim.world.group_events.get(session)
    left = (m.charged - m.refunded) if m is not None else (g.price if g is not None else 0)
    window_open = m is not None and not m.claim_window_closed or g is not None
    if left <= 0 or not window_open or sim.rng.random() < skip:
        return
    amount = left if sim.rng.random() < 0.5 else sim.rng.randint(1, left)
    before = set(sim.world.claims)
    notes = [await actors.claim_on(sim, cu, session, amount)]
    opened = sorted(set(sim.world.claims) - before)
    if not opened:
        yield notes[0]
        return
    cid = opened[0]
    cl = sim.world.claims[cid]
    ex = expert_of(sim, cl.expert)
    move = sim.rng.choices(["full", "part", "dispute", "silent"], [2, 2, 5, 1])[0]
    if move == "silent":
        yield notes[0]
        yield await clock_to(sim, cl.opened_at + timedelta(hours=sim.settings.policy.claim_answer_hours, minutes=1),
                             "72 h claim answer", cid)
        return
    if move == "dispute":
        command: c.Command = c.DisputeClaim(actor=ex.id, claim_id=cid, summary="the session took place as booked")
    else:
        part = cl.amount if move == "full" or cl.amount < 2 else sim.rng.randint(1, cl.amount - 1)
        command = c.RefundClaim(actor=ex.id, claim_id=cid, amount=part)
    ex.wire.online = True
    await sim.sync(ex)  # the claim's notice pulls it into the app
    notes.append(await at_desk(sim, ex, command))
    yield "; ".join(notes)
    # A restore of an older backup may have taken the claim away meanwhile: the goal then ends.
    answered = lambda: (x := sim.world.claims.get(cid)) is None or x.status is not ClaimStatus.OPEN  # noqa: E731
    async for note in until(sim, ex, answered, f"{ex.name}'s answer to {cid}"):
        yield note
    disputed = sim.world.claims.get(cid)
    if disputed is not None and disputed.status is ClaimStatus.DISPUTED:
        yield await decide_dispute(sim, cid)


async def decide_dispute(sim: Simulation, cid: str) -> str:
    """R30: the operator accepts or rejects, on the console half the time, else by the API."""
    if sim.rng.random() < 0.5:
        on_page = await web.web_decide_dispute(sim, cid)
        if on_page is not None:
            return on_page
    accept = sim.rng.random() < 0.5
    r = await actors.call(sim, None, "POST", f"/operator/claims/{cid}/decision", {"accept": accept, "note": "as the record shows"})
    return f"operator decides dispute {cid} by the API: accept={accept}: {actors.said(r)}"


async def unhappy(sim: Simulation) -> Journey:
    """R29-R30 on a session that other steps took to its end: its customer claims on it."""
    now, p = sim.now(), sim.settings.policy
    people = {cu.id: cu for cu in sim.customers if not cu.closed}
    sessions = sorted(m.id for m in sim.world.meetings.values() if m.customer in people and m.charged > m.refunded
                      and not m.claim_window_closed and m.end is not None
                      and now < m.end + timedelta(hours=p.claim_window_hours))
    if not sessions:
        return
    mid = sim.rng.choice(sessions)
    async for note in claim(sim, people[sim.world.meetings[mid].customer], mid, skip=0):
        yield note


# --- an instant session, live -------------------------------------------------------------------


async def instant(sim: Simulation) -> Journey:
    """R6, R17-R20: asked now and accepted at once, then the session, live: a drop, a gift, the
    warning, the end on time (a per-minute one at its budget) or early; maybe a claim after."""
    cu = customer(sim)
    if cu is None:
        return
    ex = sim.rng.choice(sim.experts)
    per_minute = sim.rng.random() < 0.7
    budget = sim.rng.choice([6, 10, 20, 30]) if per_minute else 0
    notes = [await credits_for(sim, cu, 60)]
    now = sim.now()
    if not any(s.expert == ex.id and s.start <= now < s.end for s in sim.world.slots.values()):
        notes.append(await at_desk(sim, ex, c.AddSlot(actor=ex.id, slot_id=sim.fresh("s"), start=None)))  # "Now"
    mid = sim.fresh("m")
    r = await actors.call(sim, cu, "POST", "/api/requests/instant", {
        "expert": ex.id, "mode": "video", "offer": "per_minute" if per_minute else "short",
        "topic": "A quick question", "max_budget": budget, "meeting_id": mid})
    notes.append(f"{cu.name} asks {ex.name} now for {mid} (budget {budget}): {actors.said(r)}")
    if r.status_code < 300:
        # The expert has 90 s (R6): seen, accepted and started in the same moment.
        ex.wire.online = True
        await sim.sync(ex)
        if mid in ex.cache.view(sim.now()).meetings:
            notes.append(await at_desk(sim, ex, c.AcceptInstant(actor=ex.id, meeting_id=mid)))
    # The session lasts minutes: it is lived in the same step, with no hours passing in the middle.
    for _ in range(2):
        m = meeting(sim, mid)
        if m is None or m.status is not MeetingStatus.AGREED or m.live is not None:
            break
        notes.append(await at_desk(sim, ex, c.StartSession(actor=ex.id, meeting_id=mid)))
    m = meeting(sim, mid)
    if m is None or m.live is None or m.live.ended_at is not None:
        yield "; ".join(notes)
        return
    if sim.rng.random() < 0.5:  # R19: the connection drops for a while
        notes.append(await at_desk(sim, ex, c.Disconnect(actor=ex.id, meeting_id=mid)))
        notes.append(await clock_to(sim, sim.now() + timedelta(seconds=sim.rng.choice([20, 90])), "connection dropped", mid))
        notes.append(await at_desk(sim, ex, c.Reconnect(actor=ex.id, meeting_id=mid)))
    if sim.rng.random() < 0.5:
        notes.append(await at_desk(sim, ex, c.GiftMinutes(actor=ex.id, meeting_id=mid)))
    m = meeting(sim, mid)
    if m is not None and m.live is not None and m.live.ended_at is None and m.live.running_since is not None:
        remaining = m.live.remaining(sim.now())
        notes.append(await clock_to(sim, sim.now() + timedelta(seconds=max(remaining - 20, 0)), "last 30 s", mid))
        if sim.rng.random() < 0.3:
            notes.append(await at_desk(sim, ex, c.EndSession(actor=ex.id, meeting_id=mid)))
        else:
            notes.append(await clock_to(sim, sim.now() + timedelta(seconds=25), "session end", mid))
    yield "; ".join(notes)
    async for note in claim(sim, cu, mid):
        yield note


# --- a group event ------------------------------------------------------------------------------


async def group_event(sim: Simulation) -> Journey:
    """R28: created, registered for, held (or left within 5 minutes), settled or voided."""
    ex = sim.rng.choice(sim.experts)
    start = quarter(sim.now() + timedelta(hours=sim.rng.uniform(1.5, 6)))
    gid = sim.fresh("g")
    price = sim.rng.choice([10, 25])
    notes = [await at_desk(sim, ex, c.CreateGroupEvent(actor=ex.id, event_id=gid, title="Tax workshop", start=start,
                                                       end=start + timedelta(hours=1), price=price,
                                                       min_participants=1, max_participants=5))]
    async for note in until(sim, ex, lambda: gid in sim.world.group_events, f"{gid} to be published"):
        yield note
    if gid not in sim.world.group_events:
        return
    people = [cu for cu in sim.customers if not cu.closed]
    for cu in sim.rng.sample(people, min(len(people), sim.rng.randint(1, 3))):
        notes.append(await credits_for(sim, cu, price))
        notes.append(f"{cu.name} registers to {gid}: {await actors.push_as(sim, cu, 'Register', {'event_id': gid})}")
    yield "; ".join(notes)
    yield (await clock_to(sim, start + timedelta(minutes=1), "event start", gid) + "; "
           + await at_desk(sim, ex, c.JoinGroupEvent(actor=ex.id, event_id=gid)))
    if sim.rng.random() < 0.35:  # present under 5 minutes: every hold voided
        yield await clock_to(sim, sim.now() + timedelta(minutes=2), "event + 3 min", gid)
        yield await at_desk(sim, ex, c.LeaveGroupEvent(actor=ex.id, event_id=gid))
    g: GroupEvent | None = sim.world.group_events.get(gid)
    if g is None or g.status is not GroupEventStatus.OPEN:
        return
    ex.wire.online = True
    await sim.sync(ex)  # the presence reaches the server before the end
    yield await clock_to(sim, g.end + timedelta(minutes=1), "event end", gid)


# --- payday -------------------------------------------------------------------------------------


async def payday(sim: Simulation) -> Journey:
    """R33: time goes on to the next payout day; the scheduler's run pays or withholds each expert."""
    day = next_payout_day(sim.now(), sim.settings.policy)
    yield await clock_to(sim, datetime.combine(day, time(0, 5), tzinfo=UTC), "payout day", str(day))


JOURNEYS: list[tuple[str, Callable[[Simulation], Journey], float]] = [
    ("appointment", appointment, 7), ("instant", instant, 2), ("event", group_event, 2), ("payday", payday, 0.6),
    ("claim", unhappy, 2),
]
