"""The operators' console in a real browser against the real server (R25, R30, R31, R33).

The operator is made as `consoleapp-server admin create-operator` makes one, logs in on /login and
lands on the review queue. Cases are made through the API as the parties make them; every
decision, grant, closing, reset and payout run is then made in the pages, and what it moved is
read back through the parties' own API answers.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from consoleapp.engine.ledger import DEPOSITS, Label, Transfer, wallet
from consoleapp.engine.ledger import earnings as earnings_account
from consoleapp.sync.server.admin import create_operator
from consoleapp.sync.server.opening import open_server
from tests.sync.live import LiveServer
from tests.sync.test_cli import run_cli
from tests.sync.test_customer_api import Scene, applied, finish, now_of, scene, tick
from tests.sync.test_customer_api import wallet as wallet_of

from .conftest import shot

PASSWORD = "correct horse battery"
PLATFORM = {"CONSOLEAPP_PLATFORM_NAME": "Expert Console SE", "CONSOLEAPP_PLATFORM_IBAN": "FR14 2004 1010 0505 0001 3M02 606"}
FAILED = "failed because of the other party"


@dataclass
class Console:
    live: LiveServer
    sc: Scene
    email: str
    operator_id: str

    @property
    def url(self) -> str:
        return self.live.url


def make_operator(live: LiveServer, name: str) -> tuple[str, str]:
    """An operator opened as `consoleapp-server admin create-operator` opens one (the command itself is
    tested in tests/sync/test_cli.py): `admin.create_operator` on the server's data, from this process,
    which saves a second interpreter's start (1.2 s of CPU) per operator."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    server = open_server(live.settings)
    try:
        return email, create_operator(server, email, name, PASSWORD)
    finally:
        server.store.close()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    yield from _console(LiveServer(tmp_path / "data"))


@pytest.fixture
def console_by_hand(tmp_path: Path) -> Iterator[Console]:
    """A server whose scheduler stays idle: the payouts of a payout day wait for an operator.
    The platform's bank account is set, so each run is offered as a SEPA file."""
    yield from _console(LiveServer(tmp_path / "data", env={"CONSOLEAPP_SCHEDULER_SECONDS": "86400", **PLATFORM}))


def _console(live: LiveServer) -> Iterator[Console]:
    live.start()
    try:
        sc = scene(live)
        email, oid = make_operator(live, "Olga")
        yield Console(live, sc, email, oid)
    finally:
        live.stop()


def log_in(page: Page, url: str, email: str, then: str = "/ops") -> None:
    page.goto(f"{url}/login?next={then}")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/ops"))


def under_review(con: Console, token: str, hours_after: int) -> str:
    """A meeting held, both sides saying the other failed: the engine cannot decide (R25)."""
    sc, live = con.sc, con.live
    mid = sc.agreed(token, timedelta(hours=hours_after))
    finish(sc, mid)
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": FAILED}).status_code == 200
    applied(live, sc.expert_token, "Evaluate", meeting_id=mid, answer=FAILED)
    return mid


def earnings(con: Console) -> int:
    """The expert's earnings balance, read from the server's database."""
    server = open_server(con.live.settings)
    try:
        return server.store.world.ledger.account(earnings_account(con.sc.expert)).balance
    finally:
        server.store.close()


def decide(page: Page, con: Console, path: str, choice: str, note: str, amount: str = "") -> None:
    page.goto(f"{con.url}{path}")
    page.get_by_label(choice).check()
    if amount:
        page.get_by_label("Split: credits charged to the customer").fill(amount)
    page.get_by_label("Why (both parties see this on the timeline)").fill(note)
    page.get_by_role("button", name="Preview the decision").click()


# --- R25: reviews ---------------------------------------------------------------------------------


def test_r25_an_operator_pays_returns_and_splits_reviews_and_wallets_move(console: Console, page: Page,
                                                                           browser: Browser) -> None:
    con = console
    _, token = con.sc.customer(200)
    meetings = [under_review(con, token, h) for h in (0, 1, 2)]
    assert wallet_of(con.live, token)["available"] == 200 - 3 * 40
    log_in(page, con.url, con.email)
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.get_by_role("link", name="Open the case")).to_have_count(3)
    shot(page, "ops-queue")

    # Pay: the preview says what moves before anything does.
    page.goto(f"{con.url}/ops/meetings/{meetings[0]}")
    expect(page.get_by_text("joined at").first).to_be_visible()
    expect(page.get_by_text("40 cr held in escrow")).to_be_visible()
    shot(page, "ops-case")
    decide(page, con, f"/ops/meetings/{meetings[0]}", "Pay the expert", "Both joined; the session ran its length.")
    preview = page.get_by_label("What would move")
    expect(preview).to_contain_text("Paid to the expert")
    expect(preview).to_contain_text("36 cr")
    shot(page, "ops-confirm")
    assert wallet_of(con.live, token)["available"] == 80  # nothing moved yet
    page.get_by_role("button", name="Confirm the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decided")
    expect(page.get_by_role("link", name="Open the case")).to_have_count(2)

    # Split, with an amount out of range refused beside its field first.
    decide(page, con, f"/ops/meetings/{meetings[1]}", "Split: charge the customer part of it", "Half of it was held.",
           amount="40")
    expect(page.locator("#amount-error")).to_have_text("A whole number from 1 to 39, please.")
    expect(page.get_by_label("Why (both parties see this on the timeline)")).to_have_value("Half of it was held.")
    page.get_by_label("Split: credits charged to the customer").fill("15")
    page.get_by_role("button", name="Preview the decision").click()
    expect(page.get_by_label("What would move")).to_contain_text("Charged to the customer")
    page.get_by_role("button", name="Confirm the decision").click()

    # No choice made: the error is beside the choices, and each choice says it is the one to fix.
    page.goto(f"{con.url}/ops/meetings/{meetings[2]}")
    page.get_by_role("button", name="Preview the decision").click()
    expect(page.locator("#outcome-error")).to_have_text("Please choose one.")
    expect(page.get_by_label("Pay the expert")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Pay the expert")).to_have_attribute("aria-describedby", "outcome-error")

    # Return, after changing the mind once on the confirmation: what was written comes back.
    decide(page, con, f"/ops/meetings/{meetings[2]}", "Pay the expert", "The expert never came.")
    page.get_by_role("button", name="Change it").click()
    expect(page.get_by_label("Why (both parties see this on the timeline)")).to_have_value("The expert never came.")
    expect(page.get_by_label("Pay the expert")).to_be_checked()
    page.get_by_label("Return them to the customer").check()
    page.get_by_role("button", name="Preview the decision").click()
    page.get_by_role("button", name="Confirm the decision").click()
    expect(page.get_by_text("Nothing waits for a decision.")).to_be_visible()

    assert wallet_of(con.live, token)["balance"] == 200 - 40 - 15  # R25: pay 40, split 15, return 0
    assert earnings(con) == 36 + 14  # 10 % commission, rounded down
    # The decision is on the timeline, with who decided and why; the parties see it too.
    page.goto(f"{con.url}/ops/meetings/{meetings[0]}")
    expect(page.locator(".decided")).to_contain_text("Decided by Olga")
    expect(page.locator(".decided")).to_contain_text("Both joined; the session ran its length.")
    body = con.live.call(token, "GET", f"/api/meetings/{meetings[0]}").json()
    assert body["meeting"]["status"] == "Settled"


def test_r25_a_double_submit_decides_once_and_a_second_operator_is_told_who_decided(
        console: Console, page: Page, browser: Browser) -> None:
    con = console
    _, token = con.sc.customer(200)
    mid = under_review(con, token, 0)
    other_email, _ = make_operator(con.live, "Oscar")
    log_in(page, con.url, con.email)
    decide(page, con, f"/ops/meetings/{mid}", "Pay the expert", "The work was done.")
    form = page.locator("form[action$='/decide']")
    # The preview is a page of its own: wait for it (`all()` does not), or the fields are read while
    # it loads and the forged double submit carries no token.
    expect(form.locator("input[name=csrf]")).to_have_count(1)
    fields = {el.get_attribute("name"): el.get_attribute("value") for el in form.locator("input[type=hidden]").all()}

    # The second operator previews the same case meanwhile.
    second = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page2 = second.new_page()
        log_in(page2, con.url, other_email)
        decide(page2, con, f"/ops/meetings/{mid}", "Return them to the customer", "No evidence of work.")

        # The first operator's confirmation is sent twice (a double click): it decides once.
        for _ in range(2):
            sent = page.request.post(f"{con.url}/ops/meetings/{mid}/decide", form=fields,
                                     headers={"Origin": con.url}, max_redirects=0)
            assert sent.status == 303, sent.text()
            assert sent.headers["location"] == f"/ops?done=/ops/meetings/{mid}"  # the same page both times
        assert wallet_of(con.live, token)["balance"] == 160
        assert earnings(con) == 36

        page2.get_by_role("button", name="Confirm the decision").click()
        expect(page2.get_by_role("alert")).to_contain_text("Already decided by Olga")
        expect(page2.get_by_role("alert")).to_contain_text("The work was done.")
        assert wallet_of(con.live, token)["balance"] == 160  # the return did not happen
    finally:
        second.close()
    page.goto(f"{con.url}/ops/audit?action=review+decided")
    expect(page.locator("table.audit tbody tr")).to_have_count(1)


# --- R30, R31: disputes ---------------------------------------------------------------------------


def disputed(con: Console, token: str, mid: str, amount: int, reason: str, summary: str) -> str:
    r = con.live.call(token, "POST", "/api/claims", json={"session": mid, "amount": amount, "reason": reason})
    assert r.status_code in (200, 201), r.text
    cid: str = r.json()["claim"]["id"]
    applied(con.live, con.sc.expert_token, "DisputeClaim", claim_id=cid, summary=summary)
    return cid


def test_r30_an_operator_accepts_and_rejects_disputes_with_the_evidence_in_view(console: Console, page: Page) -> None:
    con = console
    live, sc = con.live, con.sc
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    m = sc.meeting(token, mid)["meeting"]
    live.advance(sc.op, seconds=(datetime.fromisoformat(m["start"]) - now_of(live, sc.op)).total_seconds() + 1)
    applied(live, sc.expert_token, "StartSession", meeting_id=mid)
    applied(live, sc.expert_token, "PostChat", meeting_id=mid, message_id="c1", text="Here is the tax form we discussed.")
    applied(live, sc.expert_token, "EndSession", meeting_id=mid)
    live.advance(sc.op, seconds=(datetime.fromisoformat(m["end"]) - now_of(live, sc.op)).total_seconds() + 1)
    tick(live)
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    kept = disputed(con, token, mid, 5, "Started late", "We started on time; see the log.")
    before = earnings(con)
    assert wallet_of(live, token)["balance"] == 60

    log_in(page, con.url, con.email)
    expect(page.get_by_role("link", name="Open the case")).to_have_count(1)
    page.goto(f"{con.url}/ops/claims/{kept}")
    expect(page.get_by_text("Started late")).to_be_visible()
    expect(page.get_by_text("We started on time; see the log.")).to_be_visible()
    expect(page.locator(".chat")).to_contain_text("Here is the tax form we discussed.")
    expect(page.get_by_text("connected").first).to_be_visible()
    expect(page.get_by_text("Went smoothly", exact=True)).to_be_visible()
    shot(page, "ops-dispute")

    page.get_by_role("button", name="Preview the decision").click()  # nothing chosen: said beside the fields
    expect(page.locator("#verdict-error")).to_be_visible()
    expect(page.locator("#note-error")).to_be_visible()

    decide(page, con, f"/ops/claims/{kept}", "Accept it", "The session log shows an on-time start.")
    expect(page.get_by_label("What would move")).to_contain_text("Nothing moves")
    page.get_by_role("button", name="Confirm the decision").click()
    assert wallet_of(live, token)["balance"] == 60 and earnings(con) == before

    lost = disputed(con, token, mid, 10, "The form was wrong", "It was the right form.")  # one open claim at a time
    decide(page, con, f"/ops/claims/{lost}", "Reject it", "The chat shows the wrong form was sent.")
    expect(page.get_by_label("What would move")).to_contain_text("Taken from the expert's earnings")
    page.get_by_role("button", name="Confirm the decision").click()
    assert wallet_of(live, token)["balance"] == 70  # R30: refunded
    assert earnings(con) == before - 9  # the expert's part; the commission's part comes back from the platform
    page.goto(f"{con.url}/ops/claims/{lost}")
    expect(page.locator(".decided")).to_contain_text("Dispute rejected")


# --- who may see the console ------------------------------------------------------------------------

PAGES = ["/ops", "/ops/flagged", "/ops/people", "/ops/payouts", "/ops/money", "/ops/audit", "/ops/operators/new",
         "/ops/meetings/m1", "/ops/claims/c1", "/ops/people/{me}", "/ops/payouts/p1/statement.csv",
         "/ops/payouts/2027-05-16/sepa.xml",
         "/ops/files/m1/a1", "/ops/payments", "/ops/promos"]
POSTS = ["/ops/meetings/m1/decide", "/ops/claims/c1/preview", "/ops/people/{me}/grant", "/ops/people/{me}/close",
         "/ops/people/{me}/reset", "/ops/payouts/run", "/ops/operators/new", "/ops/payments/p1/received",
         "/ops/promos", "/ops/promos/X-1/end"]


def test_every_operator_page_answers_404_to_customers_experts_and_strangers(console: Console, browser: Browser) -> None:
    con = console
    customer_email = f"cu-{uuid.uuid4().hex[:6]}@example.com"
    cid, _ = con.live.register("customer", name="Cleo", email=customer_email)
    expert_email = f"ex-{uuid.uuid4().hex[:6]}@example.com"
    xid, _ = con.live.register("expert", name="Xavier", email=expert_email)
    for email, me in ((customer_email, cid), (expert_email, xid), ("", "")):
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            if email:
                page.goto(f"{con.url}/login")
                page.get_by_label("Email", exact=True).fill(email)
                page.get_by_label("Password").fill("correct horse")
                page.get_by_role("button", name="Log in").click()
                page.wait_for_load_state()
            nowhere = page.goto(f"{con.url}/ops-nothing-here")
            assert nowhere is not None and nowhere.status == 404
            for path in PAGES:
                answer = page.goto(con.url + path.format(me=me or "x"))
                assert answer is not None and answer.status == 404, (email, path)
                assert page.content() == page.content() and "This page does not exist" in page.content()
            unknown = page.request.post(f"{con.url}/ops-nothing-here", form={"a": "b"})
            for path in POSTS:
                sent = page.request.post(con.url + path.format(me=me or "x"), form={"note": "x", "amount": "5"},
                                         headers={"Origin": con.url})
                assert (sent.status, sent.text()) == (unknown.status, unknown.text()), (email, path)
        finally:
            ctx.close()
    assert wallet_of(con.live, con.live.call("", "POST", "/auth/login", json={
        "email": customer_email, "password": "correct horse"}).json()["token"])["balance"] == 0


def test_operator_pages_are_never_cached_and_the_session_ends_after_30_idle_minutes(console: Console,
                                                                                  page: Page) -> None:
    con = console
    log_in(page, con.url, con.email)
    answer = page.goto(f"{con.url}/ops/people")
    assert answer is not None and answer.headers["cache-control"] == "no-store"
    assert page.request.get(f"{con.url}/web/stream").status == 204  # no live channel to keep the session up
    con.live.advance(con.sc.op, minutes=20)
    assert page.goto(f"{con.url}/ops/money").status == 200  # activity keeps the session
    con.live.advance(con.sc.op, minutes=29)
    assert page.goto(f"{con.url}/ops/audit").status == 200
    con.live.advance(con.sc.op, minutes=31)
    ended = page.goto(f"{con.url}/ops/payouts")
    assert ended is not None and ended.status == 401
    expect(page.get_by_role("alert")).to_contain_text("without activity")
    page.get_by_label("Email", exact=True).fill(con.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/ops/payouts$"))
    expect(page.get_by_role("heading", name="Payouts", exact=True)).to_be_visible()
    # No platform account in the settings: the page says which to set instead of offering SEPA files.
    expect(page.get_by_role("note")).to_contain_text("set CONSOLEAPP_PLATFORM_NAME and CONSOLEAPP_PLATFORM_IBAN")


# --- people, the audit log -----------------------------------------------------------------------------


def test_people_grant_close_reset_new_operator_and_every_action_in_the_audit_log(console: Console, page: Page) -> None:
    con = console
    live = con.live
    email = f"cleo-{uuid.uuid4().hex[:6]}@example.com"
    cid, token = live.register("customer", name="Cleo Dvořák", email=email)
    mallory, mallory_token = live.register("customer", name="Mallory")
    log_in(page, con.url, con.email)

    page.goto(f"{con.url}/ops/people")
    page.get_by_label("Name or email").fill("dvořák")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Cleo Dvořák").click()
    page.get_by_label("Credits").fill("0")
    page.get_by_label("Reason (for the audit log)").fill("Welcome offer")
    page.get_by_role("button", name="Grant").click()
    expect(page.locator("#amount-error")).to_be_visible()
    page.get_by_label("Credits").fill("75")
    page.get_by_role("button", name="Grant").click()
    expect(page.get_by_role("status")).to_contain_text("Credits granted")
    assert wallet_of(live, token)["balance"] == 75
    shot(page, "ops-person")

    page.get_by_role("button", name="Make a reset code").click()
    code = page.locator("#reset-code").inner_text()
    r = live.call("", "POST", "/auth/reset/confirm", json={"token": code, "password": "a new password"})
    assert r.status_code == 200, r.text
    assert live.call("", "POST", "/auth/login", json={"email": email, "password": "a new password"}).status_code == 200

    page.goto(f"{con.url}/ops/people/{mallory}")
    page.get_by_label("Why it is closed").fill("Fraudulent claims")
    page.get_by_role("button", name="Close the account").click()
    expect(page.get_by_role("status")).to_contain_text("Account closed")
    assert live.call(mallory_token, "GET", "/api/wallet").status_code == 401

    page.goto(f"{con.url}/ops/operators/new")
    new_email = f"nina-{uuid.uuid4().hex[:6]}@example.com"
    page.get_by_label("Name").fill("Nina")
    page.get_by_label("Email").fill(new_email)
    page.get_by_label("First password").fill("short")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#password-error")).to_be_visible()
    page.get_by_label("First password").fill("a long first password")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text("Operator account created")
    assert live.call("", "POST", "/auth/login", json={"email": new_email, "password": "a long first password"}
                     ).json()["role"] == "operator"

    page.goto(f"{con.url}/ops/audit")
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(5)  # operator created (by the command line, first), grant, reset, closing, operator
    text = page.locator("table.audit").inner_text()
    for action in ("credits granted", "password reset", "account closed", "operator created"):
        assert action in text
    assert "75 credits: Welcome offer" in text and "Fraudulent claims" in text
    assert "the command line" in text  # Olga herself was made with `admin create-operator`
    shot(page, "ops-audit")
    page.get_by_label("Action").select_option("account closed")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mallory")


def test_the_audit_log_is_append_only_in_the_database(console: Console) -> None:
    import sqlalchemy as sa

    server = open_server(console.live.settings)
    try:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), server.store.engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_log SET detail = 'rewritten'"))
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), server.store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_log"))
        with server.store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar() == 1
    finally:
        server.store.close()


# --- R33 payouts, platform money ------------------------------------------------------------------------


def _to_next_payout_day(con: Console) -> str:
    """Move the server's clock to 08:00 UTC of the next payout day (the 1st or the 16th)."""
    now = now_of(con.live, con.sc.op)
    day = now.date() + timedelta(days=1)
    while day.day not in (1, 16):
        day += timedelta(days=1)
    target = datetime(day.year, day.month, day.day, 8, tzinfo=now.tzinfo)
    con.live.advance(con.sc.op, seconds=(target - now).total_seconds())
    return day.isoformat()


@pytest.mark.dates
def test_r33_a_payout_run_from_the_page_pays_what_the_command_line_pays(console_by_hand: Console, page: Page,
                                                                         tmp_path: Path) -> None:
    con = console_by_hand
    live, sc = con.live, con.sc
    applied(live, sc.expert_token, "SetPayoutProfile", legal_name="Anna Dvořák", billing_address="1 Rue Haute, Paris",
            tax_id="FR40303265045", bank_account="DE89370400440532013000")
    _, token = sc.customer(200)
    for hours in (0, 1):  # 2 x 36 credits earned: over the 50 credit threshold
        mid = sc.agreed(token, timedelta(hours=hours))
        finish(sc, mid)
        assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
        applied(live, sc.expert_token, "Evaluate", meeting_id=mid, answer="went smoothly")
    poor, poor_token = live.register("expert", name="Pia")  # no earnings: not in the plan
    del poor, poor_token
    day = _to_next_payout_day(con)

    log_in(page, con.url, con.email)
    page.goto(f"{con.url}/ops/payouts")
    expect(page.get_by_role("heading", name=f"Payouts for {day} are due")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Paid 72 cr")
    shot(page, "ops-payouts")

    # The same database copied, then paid from the command line: the page must pay the same.
    twin = tmp_path / "twin"
    shutil.copytree(live.data_dir, twin)
    cli = run_cli("admin", "run-payouts", "--day", day, data_dir=twin, env={"CONSOLEAPP_TEST_CLOCK": "1"})
    assert cli.returncode == 0, cli.stderr
    by_cli = [line.split("\t")[:4] for line in cli.stdout.splitlines()]
    assert by_cli == [["paid", sc.expert, "Anna", "72"]]

    page.get_by_role("button", name=f"Run the payouts for {day}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Payouts for {day} are made")
    paid = live.call(sc.expert_token, "GET", "/api/payouts").json()["payouts"]
    assert [["paid", p["expert"], "Anna", str(p["amount"])] for p in paid] == by_cli
    assert earnings(con) == 0
    csv = page.request.get(f"{con.url}/ops/payouts/{paid[0]['id']}/statement.csv")
    assert csv.status == 200 and "Payout to bank account" in csv.text()
    run_again = page.request.post(f"{con.url}/ops/payouts/run", form={"day": day, "csrf": page.locator(
        "input[name=csrf]").first.get_attribute("value") or ""}, headers={"Origin": con.url})
    assert run_again.status == 409 and "already made" in run_again.text()  # one run per day
    page.goto(f"{con.url}/ops/payouts")
    with page.expect_download() as sepa:
        page.get_by_role("link", name="SEPA file (pain.001)").click()
    xml = Path(sepa.value.path()).read_text()
    assert "<NbOfTxs>1</NbOfTxs>" in xml and "<CtrlSum>72.00</CtrlSum>" in xml and "DE89370400440532013000" in xml
    page.goto(f"{con.url}/ops/audit?action=payouts+run")
    expect(page.locator("table.audit tbody tr")).to_have_count(1)
    expect(page.locator("table.audit")).to_contain_text("1 paid (72 credits), 0 withheld")


def test_platform_money_by_month_and_the_ledgers_invariants_with_a_red_line_when_one_breaks(console: Console,
                                                                                         page: Page) -> None:
    con = console
    live, sc = con.live, con.sc
    cid, token = sc.customer(200)
    mid = sc.agreed(token)
    finish(sc, mid)
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    applied(live, sc.expert_token, "Evaluate", meeting_id=mid, answer="went smoothly")
    sc.agreed(token, timedelta(hours=1))  # 40 held
    log_in(page, con.url, con.email)
    page.goto(f"{con.url}/ops/money")
    checks = page.locator(".checks li")
    expect(checks).to_have_count(4)
    expect(page.locator(".checks li.broken")).to_have_count(0)
    figures = page.locator(".figures")
    expect(figures).to_contain_text("4 cr")  # commission of the one paid meeting
    expect(figures).to_contain_text("40 cr")  # held for the agreed one
    shot(page, "ops-money")

    # A transfer written into the log behind the engine's back (as a bug or a bad restore would):
    # the page says so in red.
    server = open_server(live.settings)
    try:
        server.store.append([Transfer(ref="bad", at=now_of(live, sc.op), actor="nobody", id="bad-1",
                                      debit=wallet(cid), credit=DEPOSITS, amount=10_000, label=Label.GRANT)])
    finally:
        server.store.close()
    page.goto(f"{con.url}/ops/money")
    expect(page.get_by_role("alert")).to_contain_text("The ledger breaks an invariant")
    expect(page.locator(".checks li.broken")).to_contain_text(f"customer:{cid} is overdrawn")


def test_the_console_lists_for_translation_every_word_it_shows_from_elsewhere() -> None:
    from consoleapp.engine.ledger import Ledger, invariants
    from consoleapp.sync.server import audit
    from consoleapp.sync.server.web.ops.money import SHOWN

    assert set(audit.ACTIONS) <= set(SHOWN)
    assert {check.name for check in invariants(Ledger())} <= set(SHOWN)
