"""Money in (R11, R32): buying credits by bank transfer and by Stripe Checkout, on the real server.

Stripe is a fake HTTP server on 127.0.0.1 (the library's API base points at it) for Checkout
Sessions; webhooks are signed here with the webhook secret exactly as Stripe signs them."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.engine.ledger import violations
from consoleapp.sync.server import cli
from consoleapp.sync.server.admin import login_link
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.tables import audit_log
from tests.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, completed, serve, signed
from tests.store.conftest import _pg_schema

from .live import LiveServer
from .test_cli import run_cli

BANK = {"CONSOLEAPP_PLATFORM_NAME": "Expert Console GmbH", "CONSOLEAPP_PLATFORM_IBAN": "DE89370400440532013000",
        "CONSOLEAPP_PLATFORM_BIC": "COBADEFFXXX", "CONSOLEAPP_CREDIT_PRICE_CENTS": "50"}
REFERENCE = re.compile(r"^EC-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}$")


# --- the servers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("bank") / "data", env=BANK).start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[str]:
    with serve(FakeStripe) as (address, _):
        yield address


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory, fake_stripe: str) -> Iterator[LiveServer]:
    env = {"CONSOLEAPP_PAYMENT_PROVIDER": "stripe", "CONSOLEAPP_STRIPE_SECRET_KEY": SECRET_KEY,
           "CONSOLEAPP_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "CONSOLEAPP_STRIPE_API_BASE": fake_stripe}
    live = LiveServer(tmp_path_factory.mktemp("card") / "data", env=env).start()
    try:
        yield live
    finally:
        live.stop()


# --- helpers ----------------------------------------------------------------------------------------


def available(live: LiveServer, token: str) -> int:
    r = live.call(token, "GET", "/api/wallet")
    assert r.status_code == 200, r.text
    return int(r.json()["available"])


def buy(live: LiveServer, token: str, credits: int) -> dict[str, Any]:
    r = live.call(token, "POST", "/api/payments", json={"credits": credits})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def ledger_sound(live: LiveServer) -> None:
    """The ledger balances and the stored tables equal a replay of the log."""
    server = open_server(live.settings)
    try:
        assert violations(server.store.world.ledger, server.store.every_account()) == []
        assert server.store.verify() == []
    finally:
        server.store.close()


def audited(live: LiveServer, action: str) -> list[tuple[str, str, str]]:
    engine = sa.create_engine(live.settings.url)
    try:
        with engine.connect() as conn:
            a = audit_log.c
            return [tuple(r) for r in conn.execute(sa.select(a.actor, a.subject, a.detail).where(a.action == action))]
    finally:
        engine.dispose()


def server_time(live: LiveServer) -> datetime:
    return datetime.fromisoformat(live.call("", "GET", "/health").headers["X-Server-Time"])


def deliver(live: LiveServer, payload: str, signature: str) -> Any:
    return live.call("", "POST", "/webhooks/stripe", content=payload,
                     headers={"Stripe-Signature": signature, "Content-Type": "application/json"})


# --- bank transfer -----------------------------------------------------------------------------------


def test_r11_a_bank_transfer_request_says_where_to_send_what_with_a_reference_and_a_girocode(bank: LiveServer) -> None:
    _, carl = bank.register("customer")
    payment = buy(bank, carl, 25)
    assert (payment["status"], payment["credits"], payment["amount"], payment["currency"]) == ("requested", 25, 1250, "EUR")
    transfer = payment["transfer"]
    assert transfer["iban"] == "DE89 3704 0044 0532 0130 00" and transfer["bic"] == "COBADEFFXXX"
    assert (transfer["holder"], transfer["amount"]) == ("Expert Console GmbH", "12.50")
    assert REFERENCE.match(transfer["reference"]) and transfer["reference"] == payment["reference"]
    assert transfer["qr"].startswith("data:image/svg+xml")
    assert buy(bank, carl, 25)["reference"] != payment["reference"]
    assert available(bank, carl) == 0  # credits come with the money, not with the request


def test_r11_the_same_request_sent_again_under_its_key_makes_one_and_says_it_is_a_replay(bank: LiveServer) -> None:
    _, carl = bank.register("customer")
    first, again = (bank.call(carl, "POST", "/api/payments", json={"credits": 7}, headers={"Idempotency-Key": "buy-7"})
                    for _ in range(2))
    assert first.status_code == again.status_code == 201 and first.json() == again.json(), again.text
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    assert len(bank.call(carl, "GET", "/api/payments").json()["payments"]) == 1


def test_r11_bad_requests_are_refused_and_change_nothing(bank: LiveServer) -> None:
    _, carl = bank.register("customer")
    _, anna = bank.register("expert")
    for credits in (0, -5, 100_001, "ten"):
        r = bank.call(carl, "POST", "/api/payments", json={"credits": credits})
        assert r.status_code == 422, r.text
    assert bank.call(anna, "POST", "/api/payments", json={"credits": 5}).status_code == 403
    assert bank.call(carl, "GET", "/api/payments").json() == {"payments": []}


def test_r11_a_customer_sees_only_their_own_requests_another_gets_404(bank: LiveServer) -> None:
    _, carl = bank.register("customer")
    _, dora = bank.register("customer")
    payment = buy(bank, carl, 10)
    assert [p["id"] for p in bank.call(carl, "GET", "/api/payments").json()["payments"]] == [payment["id"]]
    assert bank.call(dora, "GET", "/api/payments").json() == {"payments": []}
    mine = bank.call(carl, "GET", f"/api/payments/{payment['id']}")
    assert mine.status_code == 200 and mine.json()["reference"] == payment["reference"]
    theirs = bank.call(dora, "GET", f"/api/payments/{payment['id']}")
    missing = bank.call(dora, "GET", "/api/payments/no-such-payment")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"


def test_r11_an_operator_marks_a_transfer_received_once_and_it_is_audited(bank: LiveServer) -> None:
    carl_id, carl = bank.register("customer")
    _, op = bank.operator()
    payment = buy(bank, carl, 40)
    first = bank.call(op, "POST", f"/operator/payments/{payment['id']}/received", json={})
    assert first.status_code == 200, first.text
    assert first.json()["already"] is False and first.json()["payment"]["status"] == "paid"
    assert available(bank, carl) == 40
    again = bank.call(op, "POST", f"/operator/payments/{payment['id']}/received", json={})
    assert again.status_code == 200 and again.json()["already"] is True
    assert "already received on" in again.json()["message"] and "by Operator" in again.json()["message"]
    assert available(bank, carl) == 40
    movements = bank.call(carl, "GET", "/api/wallet").json()["movements"]
    assert [m["label"] for m in movements] == ["Credits bought"]
    assert bank.call(carl, "GET", f"/api/payments/{payment['id']}").json()["status"] == "paid"
    lines = [line for line in audited(bank, "payment received") if line[1] == carl_id]
    assert len(lines) == 1 and payment["reference"] in lines[0][2]
    awaited = bank.call(op, "GET", "/operator/payments", params={"reference": payment["reference"].lower()})
    assert [p["status"] for p in awaited.json()["payments"]] == ["paid"]
    assert bank.call(carl, "POST", f"/operator/payments/{payment['id']}/received", json={}).status_code == 403
    assert bank.call(op, "POST", "/operator/payments/nope/received", json={}).status_code == 404
    ledger_sound(bank)


def test_r11_the_command_line_marks_a_transfer_received_by_its_reference_once(
        bank: LiveServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, carl = bank.register("customer")
    payment = buy(bank, carl, 15)
    spaced = payment["reference"].replace("-", " ").lower()  # as a bank statement may show it
    first = run_cli("admin", "payment-received", spaced, data_dir=bank.data_dir)
    assert first.returncode == 0, first.stderr
    assert payment["reference"] in first.stdout and "15 credits" in first.stdout
    assert available(bank, carl) == 15
    # Again, and with a reference that does not exist: the same command, run in this process.
    monkeypatch.setenv("CONSOLEAPP_DATABASE_URL", "")
    assert cli.main(["admin", "payment-received", payment["reference"], "--data-dir", str(bank.data_dir)]) == 0
    assert "already received on" in capsys.readouterr().out
    assert available(bank, carl) == 15
    assert cli.main(["admin", "payment-received", "EC-AAAA-AAAA", "--data-dir", str(bank.data_dir)]) == 1
    assert "no payment request with the reference" in capsys.readouterr().err
    assert [d for _, _, d in audited(bank, "payment received") if payment["reference"] in d] == [
        f"15 credits bought: reference {payment['reference']}"]


def test_r11_an_unpaid_request_expires_after_the_setting_s_days_and_may_still_be_received(bank: LiveServer) -> None:
    _, carl = bank.register("customer")
    _, op = bank.operator()
    payment = buy(bank, carl, 5)
    bank.advance(op, days=13, hours=23)
    assert bank.call(carl, "GET", f"/api/payments/{payment['id']}").json()["status"] == "requested"
    bank.advance(op, hours=1, minutes=1)
    assert bank.call(carl, "GET", f"/api/payments/{payment['id']}").json()["status"] == "expired"
    # The money came late: the operator may still receive it, since it did arrive.
    r = bank.call(op, "POST", f"/operator/payments/{payment['id']}/received", json={})
    assert r.status_code == 200 and r.json()["payment"]["status"] == "paid"
    assert available(bank, carl) == 5


def test_r11_a_transfer_is_requested_and_received_once_on_postgresql(tmp_path: Path) -> None:
    for url in _pg_schema():
        with LiveServer(tmp_path / "data", database_url=url, env=BANK) as live:
            _, carl = live.register("customer")
            _, op = live.operator()
            payment = buy(live, carl, 6)
            for already in (False, True):
                r = live.call(op, "POST", f"/operator/payments/{payment['id']}/received", json={})
                assert r.status_code == 200 and r.json()["already"] is already, r.text
            assert available(live, carl) == 6
            ledger_sound(live)


# --- Stripe Checkout ---------------------------------------------------------------------------------


def test_r11_buying_by_card_makes_a_checkout_session_through_the_stripe_api(card: LiveServer) -> None:
    _, carl = card.register("customer")
    payment = buy(card, carl, 12)
    assert payment["checkout_url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    sent = FakeStripe.sessions[-1]
    assert sent["mode"] == "payment" and sent["client_reference_id"] == payment["id"]
    assert (sent["line_items[0][quantity]"], sent["line_items[0][price_data][unit_amount]"]) == ("12", "100")
    assert sent["line_items[0][price_data][currency]"] == "eur"
    assert sent["success_url"].endswith(f"/me/wallet?paid={payment['id']}") and "/me/wallet" in sent["cancel_url"]
    assert "transfer" not in payment and available(card, carl) == 0


def test_r11_when_stripe_refuses_the_session_nothing_is_charged_and_the_request_is_cancelled(card: LiveServer) -> None:
    _, carl = card.register("customer")
    r = card.call(carl, "POST", "/api/payments", json={"credits": 13})
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_unavailable", r.text
    [payment] = card.call(carl, "GET", "/api/payments").json()["payments"]
    assert payment["status"] == "cancelled" and "checkout_url" not in payment
    _, op = card.operator()
    refused = card.call(op, "POST", f"/operator/payments/{payment['id']}/received", json={})
    assert refused.status_code == 409 and "cancelled" in refused.json()["error"]["message"]
    assert available(card, carl) == 0


def test_r11_a_signed_webhook_credits_once_and_retries_or_second_events_change_nothing(card: LiveServer) -> None:
    _, carl = card.register("customer")
    payment = buy(card, carl, 30)
    session = payment["checkout_url"].rsplit("/", 1)[1]
    payload = completed(payment, session)
    now = int(server_time(card).timestamp())
    first = deliver(card, payload, signed(payload, now))
    assert first.status_code == 200 and first.json()["outcome"] == "credited 30 credits", first.text
    assert available(card, carl) == 30
    retry = deliver(card, payload, signed(payload, now + 5))  # Stripe retries the same event
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    other = completed(payment, session)  # another event for the same payment
    late = deliver(card, other, signed(other, now + 10))
    assert late.status_code == 200 and "already credited" in late.json()["outcome"]
    assert available(card, carl) == 30
    assert card.call(carl, "GET", f"/api/payments/{payment['id']}").json()["status"] == "paid"
    ledger_sound(card)


def test_r11_bad_signatures_and_old_timestamps_are_refused_with_400_and_credit_nothing(card: LiveServer) -> None:
    _, carl = card.register("customer")
    payment = buy(card, carl, 8)
    payload = completed(payment, payment["checkout_url"].rsplit("/", 1)[1])
    now = int(server_time(card).timestamp())
    for signature in (signed(payload, now, secret="whsec_someone_else"), signed(payload + " ", now),
                      f"t={now},v1={'0' * 64}", "", "nonsense"):
        r = deliver(card, payload, signature)
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_signature", (signature, r.text)
    old = deliver(card, payload, signed(payload, now - 301))  # judged on the server's clock
    assert old.status_code == 400 and "older than 300 s" in old.json()["error"]["message"]
    assert available(card, carl) == 0
    assert deliver(card, payload, signed(payload, now)).status_code == 200  # the same event, signed now
    assert available(card, carl) == 8


def test_r11_a_mismatched_amount_or_unknown_session_credits_nothing(card: LiveServer) -> None:
    _, carl = card.register("customer")
    payment = buy(card, carl, 20)
    session = payment["checkout_url"].rsplit("/", 1)[1]
    now = int(server_time(card).timestamp())
    cheaper = completed(payment, session, amount=100)
    r = deliver(card, cheaper, signed(cheaper, now))
    assert r.status_code == 200 and r.json()["outcome"].startswith("amount mismatch"), r.text
    stranger = completed(payment, "cs_test_not_ours")
    r = deliver(card, stranger, signed(stranger, now))
    assert r.status_code == 200 and r.json()["outcome"].startswith("no payment request of ours")
    assert available(card, carl) == 0
    assert card.call(carl, "GET", f"/api/payments/{payment['id']}").json()["status"] == "requested"
    ledger_sound(card)


# --- the wallet page's form (the browser's side is tests/web/test_payments.py) ---------------------------


@contextlib.contextmanager
def browser_of(live: LiveServer, email: str) -> Iterator[httpx.Client]:
    """A cookie-keeping client logged in on the site as `email`, through a one-time login link."""
    server = open_server(live.settings)  # as `consoleapp-server admin login-link` makes it
    try:
        code, _ = login_link(server, email)
    finally:
        server.store.close()
    with httpx.Client(base_url=live.url, timeout=30, headers={"Accept": "text/html"}) as client:
        r = client.get("/login/link", params={"code": code, "next": "/me/wallet"}, follow_redirects=True)
        assert r.status_code == 200, r.text
        yield client


def wallet_form(client: httpx.Client) -> dict[str, str]:
    page = client.get("/me/wallet").text
    found = dict(re.findall(r'name="(csrf|idem)" value="([0-9a-f]+)"', page))
    assert set(found) == {"csrf", "idem"}, page[:500]
    return found


def test_r11_the_wallet_form_sent_twice_makes_one_request(bank: LiveServer) -> None:
    email = f"carl-{uuid.uuid4().hex[:6]}@example.com"
    _, carl = bank.register("customer", email=email)
    with browser_of(bank, email) as browser:
        form = {**wallet_form(browser), "credits": "9"}
        first, second = (browser.post("/me/wallet/buy", data=form) for _ in range(2))
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert first.headers["location"].startswith("/me/wallet/payments/")
        page = browser.get(first.headers["location"])
        assert page.status_code == 200 and "DE89 3704 0044 0532 0130 00" in page.text
    assert len(bank.call(carl, "GET", "/api/payments").json()["payments"]) == 1


def test_r11_the_wallet_form_sends_a_card_buyer_to_stripe_checkout(card: LiveServer) -> None:
    email = f"carl-{uuid.uuid4().hex[:6]}@example.com"
    _, carl = card.register("customer", email=email)
    with browser_of(card, email) as browser:
        page = browser.get("/me/wallet").text
        assert "Pay by card" in page
        r = browser.post("/me/wallet/buy", data={**wallet_form(browser), "credits": "4"})
        assert r.status_code == 303 and r.headers["location"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    [payment] = card.call(carl, "GET", "/api/payments").json()["payments"]
    assert payment["checkout_url"] == r.headers["location"] and FakeStripe.sessions[-1]["line_items[0][quantity]"] == "4"


def test_r11_without_an_iban_buying_is_not_set_up_and_the_wallet_says_so(tmp_path: Path) -> None:
    with LiveServer(tmp_path / "data") as live:
        email = f"carl-{uuid.uuid4().hex[:6]}@example.com"
        _, carl = live.register("customer", email=email)
        r = live.call(carl, "POST", "/api/payments", json={"credits": 5})
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_set_up", r.text
        assert "not set up on this server yet" in r.json()["error"]["message"]
        with browser_of(live, email) as browser:
            page = browser.get("/me/wallet").text
        assert "Buying credits is not set up on this server yet" in page and 'action="/me/wallet/buy"' not in page
        assert live.call(carl, "GET", "/api/payments").json() == {"payments": []}


def test_webhooks_are_not_found_on_a_server_selling_by_bank_transfer(bank: LiveServer) -> None:
    payload = "{}"
    r = deliver(bank, payload, signed(payload, int(server_time(bank).timestamp())))
    assert r.status_code == 404




def test_payment_settings_are_checked_by_name_at_start() -> None:
    from consoleapp.sync.server.settings import Settings

    for env, word in (({"CONSOLEAPP_PAYMENT_PROVIDER": "paypal"}, "CONSOLEAPP_PAYMENT_PROVIDER"),
                      ({"CONSOLEAPP_CURRENCY": "euro"}, "CONSOLEAPP_CURRENCY"),
                      ({"CONSOLEAPP_CREDIT_PRICE_CENTS": "0"}, "CONSOLEAPP_CREDIT_PRICE_CENTS")):
        with pytest.raises(SystemExit, match=word):
            Settings.from_env(env)
    found = Settings.from_env({"CONSOLEAPP_PAYMENT_PROVIDER": "stripe", "CONSOLEAPP_PAYMENT_EXPIRY_DAYS": "3"})
    assert (found.payment_provider, found.payment_expiry_days, found.currency) == ("stripe", 3, "EUR")
