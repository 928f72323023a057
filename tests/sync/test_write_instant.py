"""What a write transaction does while it holds the log counter's lock, which every write of
every worker waits for: it reads the clock once, and it never hashes a password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Role
from consoleapp.sync.server import accounts, auth
from consoleapp.sync.server.context import Server


@pytest.fixture
def server(opened_server: Server) -> Server:
    return opened_server  # in this process, on SQLite and on PostgreSQL (conftest)


def test_a_transaction_decides_all_its_commands_at_one_instant(server: Server) -> None:
    """A wall clock that moves a second at every reading: the three accounts opened in one
    transaction still open at one instant, the first reading's (PostgreSQL's `now()` too is the
    transaction's start); the next transaction reads the clock again."""
    start = datetime(2031, 5, 5, 9, 0, tzinfo=UTC)
    readings = iter(range(1_000))
    server.clock.wall = lambda: start + timedelta(seconds=next(readings))
    with server.runner.transaction() as tx:
        for person in ("ann", "bob", "cid"):
            tx.execute(c.OpenAccount(actor=SYSTEM, person=person, role=Role.EXPERT, name=person,
                                     email=f"{person}@example.com"))
    assert len(tx.events) >= 3
    assert {ev.at for ev in tx.events} == {start}
    with server.runner.transaction() as later:
        later.execute(c.OpenAccount(actor=SYSTEM, person="dee", role=Role.EXPERT, name="dee",
                                    email="dee@example.com"))
    assert {ev.at for ev in later.events} == {start + timedelta(seconds=1)}


def test_a_sign_up_hashes_its_password_before_the_write_lock(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hash is slow on purpose; made under the lock, every sign-up would stall every push."""
    locked_while_hashing: list[bool] = []
    real = accounts.hash_password

    def watched(password: str) -> str:
        locked_while_hashing.append(server.runner._lock.locked())
        return real(password)

    monkeypatch.setattr(accounts, "hash_password", watched)
    user_id, token = accounts.create_user(server, "eve@example.com", "correct horse", "Eve", Role.EXPERT)
    assert locked_while_hashing == [False]
    assert auth.log_in(server, "eve@example.com", "correct horse", "127.0.0.1")[0] == user_id
    assert token
