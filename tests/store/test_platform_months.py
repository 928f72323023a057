"""The platform's own figures by month (the operators' money page) come from a table each write
adds to, not from every transfer ever made; on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.engine.ledger import platform_months
from consoleapp.engine.model import Mode, OfferKind
from consoleapp.store import Store, schema
from tests.store.twin import Twin, varied


def months_apart(s: Twin) -> None:
    """The varied history, then, the next month, credits bought and a request whose hold stays open."""
    varied(s)
    s.advance(days=40)
    s.customer("erin", 0)
    s.do(c.GrantCredits(actor="olga", customer="erin", amount=300, grant_id="g-later"))
    s.do(c.AddSlot(actor="anna", slot_id="anna-later", start=None))  # available now, for instant requests
    s.do(c.RequestInstant(actor="erin", meeting_id="m-later", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="Later"))


def test_r32_the_platform_months_table_equals_every_transfer_folded(twin: Twin) -> None:
    months_apart(twin)
    expected = platform_months(twin.world.ledger.transfers.values())  # the engine's World: every transfer
    assert len(expected) >= 2
    first, last = expected[0], expected[-1]
    assert first.commission > 0 and first.deposited > 0 and first.paid_out > 0
    assert last.deposited == 300 and last.held > first.held  # the later request's hold is still open
    assert twin.store.platform_months() == expected
    assert twin.store.verify() == []


def test_r32_platform_months_are_rebuilt_from_the_log_and_checked_by_verify(
        twin: Twin, url: str, caplog: pytest.LogCaptureFixture) -> None:
    months_apart(twin)
    expected = platform_months(twin.world.ledger.transfers.values())
    engine = twin.store.engine
    m = schema.platform_months.c
    with engine.begin() as conn:
        conn.execute(sa.update(schema.platform_months).where(m.month == expected[0].month)
                     .values(commission=m.commission + 1))
    assert any(line.startswith(f"platform_months {expected[0].month}: commission is") for line in twin.store.verify())
    twin.store.close()
    with engine.begin() as conn:
        schema.platform_months.drop(conn)
    with caplog.at_level(logging.WARNING, logger="consoleapp.store"), Store.open(url) as again:
        assert "platform_months is missing" in caplog.text
        assert again.platform_months() == expected
        assert again.verify() == []
