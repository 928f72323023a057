"""R11 and R32: credits a customer bought enter the wallet once per payment, from the platform's
payments account, labelled "Credits bought"; the ledger still balances."""

from __future__ import annotations

from consoleapp.engine import commands as c
from consoleapp.engine.ledger import PAYMENTS, Label, movements, platform_months, violations, wallet

from .scenario import Scenario


def test_r11_a_payment_credits_the_wallet_from_the_payments_account_labelled_bought():
    s = Scenario()
    s.customer("carl", credits=0)
    s.operator("olga")
    s.do(c.CreditPayment(actor="olga", payment_id="p1", customer="carl", amount=250))
    assert s.wallet("carl").available == 250
    (t,) = [t for t in movements(s.world.ledger, wallet("carl")) if t.id == "payment:p1"]
    assert (t.debit, t.label, t.actor) == (PAYMENTS, Label.BOUGHT, "olga")
    assert t.describe() == "Credits bought: 250 credits"
    assert violations(s.world.ledger) == []


def test_r11_a_payment_is_credited_once_whoever_reports_it_again():
    s = Scenario()
    s.customer("carl", credits=0)
    s.do(c.CreditPayment(actor="system", payment_id="p1", customer="carl", amount=100))
    message = s.refused(c.CreditPayment(actor="system", payment_id="p1", customer="carl", amount=100), "already_exists")
    assert "payment p1 was already credited (100 credits" in message
    assert s.wallet("carl").available == 100


def test_r11_only_the_system_or_an_operator_credits_a_payment_and_only_to_a_customer():
    s = Scenario()
    s.customer("carl", credits=0)
    s.expert("anna")
    s.refused(c.CreditPayment(actor="carl", payment_id="p1", customer="carl", amount=100), "forbidden")
    s.refused(c.CreditPayment(actor="system", payment_id="p1", customer="anna", amount=100), "forbidden")
    s.refused(c.CreditPayment(actor="system", payment_id="p1", customer="nobody", amount=100), "not_found")
    assert "positive" in s.refused(c.CreditPayment(actor="system", payment_id="p1", customer="carl", amount=0), "invalid")
    s.refused(c.CreditPayment(actor="system", payment_id=" ", customer="carl", amount=5), "invalid")
    assert s.wallet("carl").available == 0


def test_r32_bought_credits_count_as_credits_in_on_the_platform_money_page():
    s = Scenario()
    s.customer("carl", credits=40)  # a grant
    s.do(c.CreditPayment(actor="system", payment_id="p1", customer="carl", amount=60))
    (month,) = platform_months(s.world.ledger.transfers.values())
    assert month.deposited == 100
