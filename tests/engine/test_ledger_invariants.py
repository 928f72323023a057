"""The ledger's invariants by name, as the operators' console shows them: each one holds on a
sound ledger and names what breaks it on a broken one (a ledger built wrong on purpose, with
`apply`, which checks nothing: the deciders never build these)."""

from __future__ import annotations

from datetime import UTC, datetime

from consoleapp.engine.ledger import (
    DEPOSITS,
    ESCROW,
    Label,
    Ledger,
    Transfer,
    TransferKind,
    apply,
    hold,
    invariants,
    posted,
    violations,
    wallet,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sound() -> Ledger:
    ledger = Ledger()
    apply(ledger, posted("g1", DEPOSITS, wallet("carl"), 100, Label.GRANT, "g1", AT, "olga"))
    apply(ledger, hold("h1", "carl", 40, "m1", AT, "carl"))
    return ledger


def _broken(name: str, ledger: Ledger) -> list[str]:
    return [problem for check in invariants(ledger) if check.name.startswith(name) for problem in check.broken]


def test_every_invariant_holds_on_a_sound_ledger() -> None:
    checks = invariants(_sound())
    assert len(checks) == 4 and all(check.holds for check in checks)
    assert violations(_sound()) == []


def test_a_customer_below_zero_breaks_one_invariant_and_says_whose_account() -> None:
    ledger = _sound()
    apply(ledger, posted("x", wallet("carl"), DEPOSITS, 500, Label.GRANT, "x", AT, "olga"))
    assert _broken("No customer", ledger) == ["customer:carl is overdrawn"]
    assert _broken("Debits equal", ledger) == [] and _broken("Escrow", ledger) == []


def test_escrow_differing_from_the_open_holds_is_named() -> None:
    ledger = _sound()
    ledger.transfers["h2"] = Transfer(ref="m2", at=AT, actor="carl", id="h2", debit=wallet("carl"), credit=ESCROW,
                                      amount=10, kind=TransferKind.PENDING, label=Label.BLOCKED)
    assert _broken("Escrow", ledger) == ["escrow's pending credits differ from the open holds"]


def test_unbalanced_debits_and_credits_are_named() -> None:
    ledger = _sound()
    account = ledger.account(DEPOSITS)
    ledger.accounts[DEPOSITS] = type(account)(account.id, account.debits_pending, account.debits_posted + 1,
                                              account.credits_pending, account.credits_posted)
    assert _broken("Debits equal", ledger) == ["posted debits differ from posted credits"]
    assert "posted debits differ from posted credits" in violations(ledger)
