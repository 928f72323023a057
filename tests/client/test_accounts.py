"""Logging in and keeping the token (R1): keyring, the headless refusal, the plain-text opt-in, several accounts.

Against the real server; the keyring is an in-memory backend defined here (or the `fail`
backend, to play a headless machine), never the developer's own keyring.
"""

from __future__ import annotations

import asyncio
import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from consoleapp.sync.client.accounts import (
    SERVICE,
    LoginError,
    NoKeyring,
    Session,
    TokenVault,
    login,
    logout,
    resume,
)
from tests.sync.live import LiveServer, free_port

PASSWORD = "correct horse"  # what LiveServer.register gives every account


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not there")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _login(url: str, email: str, password: str = PASSWORD) -> Session:
    async with httpx.AsyncClient() as http:
        return await login(http, url, email, password)


def _me(live: LiveServer, token: str) -> int:
    return live.call(token, "GET", "/auth/me").status_code


# --- logging in -----------------------------------------------------------------------------------


def test_r1_login_keeps_token_in_keyring_and_logout_forgets_it(live: LiveServer, memory_keyring: MemoryKeyring,
                                                               tmp_path: Path) -> None:
    user_id, _ = live.register("expert", email="anna@example.com")
    session = run(_login(live.url + "/", "  Anna@Example.com "))
    assert (session.server_url, session.email, session.user_id, session.role) == (live.url, "anna@example.com",
                                                                                    user_id, "expert")
    assert session.token and session.token not in repr(session)

    vault = TokenVault(config_dir=tmp_path / "config")
    vault.save(session)
    key = f"{live.url}|anna@example.com"
    assert memory_keyring.secrets[(SERVICE, key)] == session.token
    assert vault.load(live.url, "anna@example.com") == session
    assert [tuple(a) for a in vault.accounts()] == [(live.url, "anna@example.com", user_id, "expert")]
    index = (tmp_path / "config" / "accounts.json").read_text()
    assert session.token not in index  # the index never holds a token
    assert not (tmp_path / "config" / "tokens.json").exists()

    async def out() -> None:
        async with httpx.AsyncClient() as http:
            await logout(http, session, vault)

    assert _me(live, session.token) == 200
    run(out())
    assert _me(live, session.token) == 401  # revoked on the server
    assert (SERVICE, key) not in memory_keyring.secrets
    assert vault.load(live.url, "anna@example.com") is None
    assert [a.email for a in vault.accounts()] == ["anna@example.com"]  # still offered on the login screen
    vault.forget(live.url, "anna@example.com", remove_account=True)
    assert vault.accounts() == []


def test_r1_wrong_password_and_unreachable_server_say_so(live: LiveServer) -> None:
    live.register("expert", email="bob@example.com")
    with pytest.raises(LoginError) as wrong:
        run(_login(live.url, "bob@example.com", "not it"))
    assert (wrong.value.status, wrong.value.code, wrong.value.message) == (401, "bad_credentials",
                                                                           "wrong email or password")
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(LoginError) as down:
        run(_login(nowhere, "bob@example.com"))
    assert down.value.code == "unreachable" and nowhere in down.value.message
    with pytest.raises(LoginError) as empty:
        run(_login(live.url, "bob@example.com", ""))
    assert empty.value.code == "missing"


def test_r1_locked_out_and_not_a_server_messages() -> None:
    """The client's side of a lockout (429) and of an address that is not our server."""
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "locked.example":
            return httpx.Response(429, json={"error": {"code": "too_many_attempts", "message":
                                  "too many failed logins; try again in 5 minutes or reset the password"}})
        return httpx.Response(200, text="<html>a web page</html>")

    async def attempt(url: str) -> Session:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            return await login(http, url, "bob@example.com", PASSWORD)

    with pytest.raises(LoginError) as locked:
        run(attempt("https://locked.example"))
    assert locked.value.status == 429 and locked.value.code == "too_many_attempts"
    assert "try again in 5 minutes" in locked.value.message
    with pytest.raises(LoginError) as page:
        run(attempt("web.example"))
    assert page.value.code == "not_a_server" and "https://web.example" in page.value.message


def test_r1_real_server_locks_out_after_repeated_wrong_passwords(live: LiveServer) -> None:
    live.register("expert", email="bob@example.com")
    for _ in range(5):
        with pytest.raises(LoginError):
            run(_login(live.url, "bob@example.com", "not it"))
    with pytest.raises(LoginError) as locked:
        run(_login(live.url, "bob@example.com"))  # even the right password waits now
    assert locked.value.status == 429 and "too many failed logins" in locked.value.message


def test_logout_ignores_an_unreachable_server(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    vault = TokenVault(config_dir=tmp_path)
    session = Session(f"http://127.0.0.1:{free_port()}", "x@example.com", "u1", "expert", "tok-1")
    vault.save(session)

    async def out() -> None:
        async with httpx.AsyncClient() as http:
            await logout(http, session, vault)

    run(out())
    assert vault.load(session.server_url, session.email) is None


def test_resume_forgets_a_token_the_server_refuses(live: LiveServer, memory_keyring: MemoryKeyring,
                                                   tmp_path: Path) -> None:
    live.register("expert", email="cleo@example.com")
    vault = TokenVault(config_dir=tmp_path)
    session = run(_login(live.url, "cleo@example.com"))
    vault.save(session)

    async def again() -> Session | None:
        async with httpx.AsyncClient() as http:
            return await resume(http, vault, live.url, "cleo@example.com")

    assert run(again()) == session
    live.call(session.token, "POST", "/auth/logout")  # revoked elsewhere (another device, an operator)
    assert run(again()) is None
    assert vault.load(live.url, "cleo@example.com") is None


# --- no keyring: a clear refusal, or the explicit opt-in -----------------------------------------------


def test_headless_machine_without_keyring_refuses_with_what_to_do(no_keyring: None, tmp_path: Path) -> None:
    vault = TokenVault(config_dir=tmp_path)
    session = Session("http://127.0.0.1:1", "dan@example.com", "u2", "expert", "secret-token")
    with pytest.raises(NoKeyring) as refused:
        vault.save(session)
    message = str(refused.value)
    assert "no keyring backend" in message and "keyrings.alt" in message and "allow_plaintext=True" in message
    assert not (tmp_path / "tokens.json").exists()  # never a silent plain-text file
    assert vault.load(session.server_url, session.email) is None
    assert vault.accounts() == []


def test_plaintext_opt_in_writes_a_0600_file_with_a_warning(no_keyring: None, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    vault = TokenVault(allow_plaintext=True, config_dir=tmp_path)
    session = Session("http://127.0.0.1:1", "eve@example.com", "u3", "expert", "secret-token")
    with caplog.at_level(logging.WARNING, logger="consoleapp.accounts"):
        vault.save(session)
    assert any("plain-text" in r.getMessage() for r in caplog.records)
    file = tmp_path / "tokens.json"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert "secret-token" in file.read_text()
    assert "secret-token" not in (tmp_path / "accounts.json").read_text()
    assert vault.load(session.server_url, session.email) == session
    vault.forget(session.server_url, session.email)
    assert vault.load(session.server_url, session.email) is None
    assert "secret-token" not in file.read_text()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


# --- several accounts and servers ---------------------------------------------------------------------


def test_two_accounts_on_two_servers_side_by_side(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    one = LiveServer(tmp_path / "one").start()
    two = LiveServer(tmp_path / "two").start()
    try:
        first_id, _ = one.register("expert", email="same@example.com")
        second_id, _ = two.register("expert", email="same@example.com")  # same email, another server
        other_id, _ = one.register("customer", email="other@example.com")
        vault = TokenVault(config_dir=tmp_path / "config")
        a = run(_login(one.url, "same@example.com"))
        b = run(_login(two.url, "same@example.com"))
        c = run(_login(one.url, "other@example.com"))
        for s in (a, b, c):
            vault.save(s)
        assert {(x.server_url, x.email, x.user_id, x.role) for x in vault.accounts()} == {
            (one.url, "same@example.com", first_id, "expert"), (two.url, "same@example.com", second_id, "expert"),
            (one.url, "other@example.com", other_id, "customer")}
        assert vault.accounts()[0].email == "other@example.com"  # the latest login first
        assert vault.load(one.url, "same@example.com") == a
        assert vault.load(two.url, "same@example.com") == b
        assert _me(one, a.token) == 200 and _me(two, b.token) == 200 and _me(two, a.token) == 401

        async def out() -> None:
            async with httpx.AsyncClient() as http:
                await logout(http, a, vault)

        run(out())
        assert vault.load(one.url, "same@example.com") is None
        assert vault.load(two.url, "same@example.com") == b and vault.load(one.url, "other@example.com") == c
        assert _me(two, b.token) == 200 and _me(one, c.token) == 200
    finally:
        one.stop()
        two.stop()
