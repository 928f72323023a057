"""Customers on the booking site: the same rules reached through the pages' forms.

A web customer logs in through the login form (a session cookie, the CSRF token), opens an
expert's page, picks a free time and sends the booking form; or opens one of their meetings and
sends its cancel form. The form is sent the ways browsers send forms: once, twice (a double
click, a reload of the POST), duplicated on the way, or with the answer cut off and sent again.
Whatever happened, the form did its work at most once: one meeting booked, one cancellation,
every answer that says "done" pointing at the same page; a refusal is a page saying why (above
the form, or beside the field to fix).

The operator decides reviews (R25) and disputes (R30) on the console the same way: logged in
through the same login form, the case's page opened, the decision previewed, then confirmed by a
form sent as browsers send it. A meeting is settled once, a dispute decided once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import sqlalchemy as sa

from bench import forms
from consoleapp.engine.ledger import wallet
from consoleapp.engine.model import ClaimStatus, Meeting, MeetingStatus
from consoleapp.engine.settlement import split_range
from consoleapp.store import schema
from consoleapp.store.db import reading

from .net import Fault, Wire

if TYPE_CHECKING:
    from .harness import Customer, Simulation

PASSWORD = "correct horse"  # as the simulation registers everyone


async def session(sim: Simulation, cu: Customer) -> httpx.AsyncClient | None:
    """The customer's browser, logged in (again, after a restore forgot the session)."""
    from .harness import BASE

    if cu.web is None:
        cu.web = httpx.AsyncClient(transport=cu.wire, base_url=BASE, timeout=30, headers={"Accept": "text/html"})
    page = await cu.web.get("/me/wallet")
    if 'action="/login"' not in page.text:
        assert page.status_code == 200, f"{cu.name}'s wallet page answered {page.status_code}: {page.text[:300]}"
        return cu.web
    login = forms.form(page.text, "/login")
    assert login is not None, "the login page has no login form"
    r = await cu.web.post("/login", data=login.filled(email=f"{cu.name}@sim.test", password=PASSWORD))
    if r.status_code != 303:
        return None  # a closed account, or one a restore has not heard of yet
    return cu.web


def main(r: httpx.Response) -> str:
    """The page's own part, for a failure's message."""
    return r.text[r.text.find("<main"):][:1500]


def booked_by(sim: Simulation, cu: Customer) -> int:
    return sum(1 for m in sim.world.meetings.values() if m.customer == cu.id)


async def send(sim: Simulation, wire: Wire, web: httpx.AsyncClient, path: str, data: dict[str, str]) -> list[httpx.Response]:
    """The form sent as a browser may send it; every answer the server gave that arrived."""
    if sim.rng.random() < 0.2:
        wire.armed[path] = sim.rng.choice([Fault.CUT, Fault.DUPLICATE])
    duplicates = len(sim.network.duplicates)
    answers: list[httpx.Response] = []
    try:
        answers.append(await web.post(path, data=data))
    except httpx.ReadError:  # the answer was lost: the browser sends the same form again
        wire.cut.pop()
        answers.append(await web.post(path, data=data))
    if len(sim.network.duplicates) > duplicates:
        answers.append(sim.network.duplicates[-1].first)
    if sim.rng.random() < 0.3:  # a double click
        answers.append(await web.post(path, data=data))
    wire.armed.pop(path, None)
    for r in answers:
        assert r.status_code < 500, f"POST {path} answered {r.status_code}: {r.text[:500]}"
    done = {r.headers["location"] for r in answers if r.status_code == 303}
    assert len(done) <= 1, f"POST {path} sent again led to different pages: {sorted(done)}"
    for r in answers:
        if r.status_code != 303:
            assert 'role="alert"' in r.text or 'aria-invalid="true"' in r.text, f"POST {path} refused ({r.status_code}) without saying why: {main(r)}"
    return answers


async def web_book(sim: Simulation, cu: Customer) -> str | None:
    """R8 from the expert's page: a free time, an offer, a start; sometimes a start that is no time."""
    from .actors import bad, pick, poke

    ex = pick(sim, sim.experts)
    profile = sim.world.profiles.get(ex.id) if ex is not None else None
    web = await session(sim, cu) if profile is not None and profile.slug else None
    if ex is None or profile is None or web is None:
        return None
    slug = profile.slug  # an expert may have changed it
    page = await web.get(f"/e/{slug}")
    assert page.status_code == 200, f"/e/{slug} answered {page.status_code}: {page.text[:300]}"
    href = pick(sim, forms.links(page.text, rf"/e/{slug}/book\?slot=.+"))
    if href is None:
        return None
    shown = await web.get(href)
    assert shown.status_code == 200, f"{href} answered {shown.status_code}: {shown.text[:300]}"
    form = forms.form(shown.text, f"/e/{slug}/book")
    assert form is not None, f"{href} has no booking form"
    data = form.filled(offer=sim.rng.choice(form.options["offer"]), start=sim.rng.choice(form.options["start"]),
                       topic="Booked on the web", minutes=str(sim.rng.choice([10, 20, 45])))
    if bad(sim):
        data[sim.rng.choice(["start", "topic", "offer"])] = sim.rng.choice(["", "tomorrow", "video:nothing"])
    before = booked_by(sim, cu)
    answers = await send(sim, cu.wire, web, f"/e/{slug}/book", data)
    made = booked_by(sim, cu) - before
    succeeded = any(r.status_code == 303 for r in answers)
    assert made == (1 if succeeded else 0), f"{cu.name}'s booking form booked {made} meetings ({[r.status_code for r in answers]})"
    if succeeded:
        await poke(sim, answers[0], ex.id)
    return f"{cu.name} books {ex.name} on the web, sent {len(answers)}×: {[r.status_code for r in answers]}"


async def web_cancel(sim: Simulation, cu: Customer) -> str | None:
    """R12-R14 from the meeting's page: the fee shown, the form sent (maybe twice)."""
    from .actors import meetings_of, pick, poke

    now = sim.now()
    open_ = [m for m in meetings_of(sim.world, cu.id, MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)
             if m.customer == cu.id and (m.start is None or m.start > now)]
    m = pick(sim, open_)
    web = await session(sim, cu) if m is not None else None
    if m is None or web is None:
        return None
    page = await web.get(f"/me/meetings/{m.id}")
    assert page.status_code == 200, f"/me/meetings/{m.id} answered {page.status_code}: {page.text[:300]}"
    form = forms.form(page.text, f"/me/meetings/{m.id}/cancel")
    if form is None:
        return None
    fee = re.sub(r"\D", "", form.values.get("accept_fee", "")) or "0"
    answers = await send(sim, cu.wire, web, form.action, form.filled(reason="Plans changed"))
    status = sim.world.meetings[m.id].status
    if any(r.status_code == 303 for r in answers):
        assert status is MeetingStatus.CANCELLED, f"{m.id}'s cancel form answered done, the meeting is {status}"
        await poke(sim, answers[0], m.expert)
    return f"{cu.name} cancels {m.id} on the web (fee {fee}): {[r.status_code for r in answers]}"


# --- the operator on the console ------------------------------------------------------------------

OPERATOR = "operator@sim.test"  # as harness.setup makes the operator


async def operator_session(sim: Simulation) -> httpx.AsyncClient:
    """The operator's browser on the console, logged in (again, after a restore forgot the session
    or the console's idle time ended it: both answer /ops with something else than the queue)."""
    from .harness import BASE

    if sim.operator_web is None:
        sim.operator_web = httpx.AsyncClient(transport=sim.operator_wire, base_url=BASE, timeout=30,
                                             headers={"Accept": "text/html"})
    web = sim.operator_web
    queue = await web.get("/ops")
    if queue.status_code == 200 and 'action="/login' not in queue.text:
        return web
    page = await web.get("/login")
    login = forms.form(page.text, "/login")
    assert login is not None, "the login page has no login form"
    r = await web.post("/login", data=login.filled(email=OPERATOR, password=PASSWORD))
    assert r.status_code == 303, f"the operator's login answered {r.status_code}: {main(r)}"
    return web


def logged(sim: Simulation, ref: str, kind: str) -> int:
    """How many events of this kind the server's log holds for the record."""
    assert sim.server is not None
    ev = schema.events.c
    with reading(sim.server.store.engine) as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(ev.ref == ref, ev.kind == kind)).scalar_one())


async def decide_on_page(sim: Simulation, case: str, choice: dict[str, str]) -> list[httpx.Response]:
    """Opens the case's page, most times previews the decision and sends the confirmation's form,
    else sends the case's own form straight to /decide (a tab kept open); the answers that arrived."""
    web = await operator_session(sim)
    page = await web.get(case)
    assert page.status_code == 200, f"{case} answered {page.status_code}: {main(page)}"
    form = forms.form(page.text, f"{case}/preview")
    assert form is not None, f"{case} is waiting for a decision but has no form: {main(page)}"
    data = form.filled(**choice)
    if sim.rng.random() < 0.7:
        shown = await web.post(f"{case}/preview", data=data)
        assert shown.status_code < 500, f"POST {case}/preview answered {shown.status_code}: {shown.text[:500]}"
        if shown.status_code != 200:
            assert 'role="alert"' in shown.text or 'aria-invalid="true"' in shown.text, \
                f"POST {case}/preview refused ({shown.status_code}) without saying why: {main(shown)}"
            return [shown]
        confirm = forms.form(shown.text, f"{case}/decide")
        assert confirm is not None, f"the preview of {case} has no confirmation form: {main(shown)}"
        data = confirm.values
    return await send(sim, sim.operator_wire, web, f"{case}/decide", data)


def available(sim: Simulation, customer: str) -> int:
    """What the customer's wallet can spend (a hold, charged or given back, is not in it)."""
    return sim.world.ledger.account(wallet(customer)).available


async def web_review(sim: Simulation, m: Meeting) -> str:
    """R25 on the console: pay, return or split, sometimes with a choice the form refuses."""
    from .actors import bad

    outcome = sim.rng.choice(["pay", "return", "split"])
    low, high = split_range(m)
    amount = sim.rng.randint(low, high) if outcome == "split" and low <= high else 0
    choice = {"outcome": outcome, "amount": str(amount) if amount else "", "note": "the attendance shows it"}
    if bad(sim):
        choice[sim.rng.choice(["outcome", "amount"])] = sim.rng.choice(["", "all", str(m.price + 5)])
    settled, paid = logged(sim, m.id, "MeetingSettled"), available(sim, m.customer)
    answers = await decide_on_page(sim, f"/ops/meetings/{m.id}", choice)
    made = logged(sim, m.id, "MeetingSettled") - settled
    returned = available(sim, m.customer) - paid
    done = any(r.status_code == 303 for r in answers)
    assert made == (1 if done else 0), f"the console's decision on {m.id} settled it {made}× ({[r.status_code for r in answers]})"
    assert 0 <= returned <= m.price, f"the console's decision on {m.id} gave the customer {returned} of {m.price}"
    if done:
        status = sim.world.meetings[m.id].status
        assert status is not MeetingStatus.UNDER_REVIEW, f"{m.id}'s decision answered done, the meeting is {status}"
    return f"operator decides {m.id} on the console: {choice['outcome']} {choice['amount']}: {[r.status_code for r in answers]}"


async def web_decide_dispute(sim: Simulation, cid: str) -> str | None:
    """R30 on the console: accept or reject; None for a claim on a group event (no case page)."""
    from .actors import bad

    cl = sim.world.claims.get(cid)
    if cl is None or cl.session not in sim.world.meetings:
        return None
    choice = {"verdict": sim.rng.choice(["accept", "reject"]), "note": "as the record shows"}
    if bad(sim):
        choice["verdict"] = sim.rng.choice(["", "maybe"])
    decided, paid = logged(sim, cid, "DisputeDecided"), available(sim, cl.customer)
    answers = await decide_on_page(sim, f"/ops/claims/{cid}", choice)
    made = logged(sim, cid, "DisputeDecided") - decided
    refunded = available(sim, cl.customer) - paid
    done = any(r.status_code == 303 for r in answers)
    assert made == (1 if done else 0), f"the console's decision on {cid} decided it {made}× ({[r.status_code for r in answers]})"
    assert 0 <= refunded <= cl.amount, f"the console's decision on {cid} refunded {refunded} of a {cl.amount} claim"
    if done:
        status = sim.world.claims[cid].status
        assert status is not ClaimStatus.DISPUTED, f"{cid}'s decision answered done, the claim is {status}"
    return f"operator decides dispute {cid} on the console: {choice['verdict']}: {[r.status_code for r in answers]}"
