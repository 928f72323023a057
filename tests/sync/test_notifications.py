"""R35 by email: a local SMTP server (aiosmtpd) receives the password reset, the new-request
notice and the 24 h reminder, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from .live import LiveServer, free_port
from .test_customer_live import accepted_instant
from .test_stream import booked, cast, instant, server_now, wait_for

pytestmark = pytest.mark.dates  # reminders fall 24 h and 60 min before a start


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str, subject: str = "") -> list[Message]:
        return [m for m in list(self.messages) if m["To"] == address and subject in str(m["Subject"])]


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[tuple[LiveServer, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    live = LiveServer(tmp_path / "data", env={"CONSOLEAPP_SMTP_HOST": "127.0.0.1", "CONSOLEAPP_SMTP_PORT": str(port)})
    try:
        live.start()
        yield live, inbox
    finally:
        live.stop()
        controller.stop()


def test_r1_password_reset_mail_arrives(mail_server: tuple[LiveServer, Inbox]) -> None:
    live, inbox = mail_server
    live.register("expert", email="anna@example.com")
    r = live.call("", "POST", "/auth/reset/request", json={"email": "anna@example.com"})
    assert r.status_code == 202
    mail = wait_for(lambda: inbox.to("anna@example.com", "Reset"), 10, "the reset mail")[0]
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    token = body.split("\n\n")[1].strip()
    done = live.call("", "POST", "/auth/reset/confirm", json={"token": token, "password": "a new password"})
    assert done.status_code == 200, done.text


def test_r35_new_request_and_reminder_are_mailed_once(mail_server: tuple[LiveServer, Inbox]) -> None:
    live, inbox = mail_server
    people = cast(live, expert_email="anna@example.com", customer_email="carl@example.com")
    _, operator = live.operator()
    instant(people)
    mail = wait_for(lambda: inbox.to("anna@example.com", "New request"), 10, "the new-request mail")[0]
    assert "Instant request: Tax return" in mail.get_payload(decode=True).decode()

    start = (server_now(live, operator) + timedelta(days=3)).replace(microsecond=0)
    booked(live, people, start)
    live.advance(operator, days=2, seconds=1)  # within 24 h of the start
    for who in ("anna@example.com", "carl@example.com"):
        got = wait_for(lambda who=who: inbox.to(who, "Meeting reminder"), 10, f"the reminder to {who}")
        assert "Meeting reminder" in got[0].get_payload(decode=True).decode()
    for _ in range(5):  # more scheduler ticks send nothing twice
        live.advance(operator, seconds=1)
    wait_for(lambda: live.call(people.expert_token, "GET", "/health").status_code == 200, 5, "health")
    requests = [m.get_payload(decode=True).decode().splitlines()[0] for m in inbox.to("anna@example.com", "New request")]
    assert len(requests) == len(set(requests)) == 2  # the instant request, then the booking; each once
    assert len(inbox.to("anna@example.com", "Meeting reminder")) == 1
    assert len(inbox.to("carl@example.com", "Meeting reminder")) == 1
    assert inbox.to("carl@example.com", "New request") == []


def test_r19_the_30s_warning_is_for_open_apps_never_mailed(mail_server: tuple[LiveServer, Inbox]) -> None:
    live, inbox = mail_server
    people = cast(live, expert_email="anna@example.com", customer_email="carl@example.com")
    _, operator = live.operator()
    mid = accepted_instant(live, people)
    remaining = live.call(people.customer_token, "GET", f"/api/meetings/{mid}/live").json()["remaining_seconds"]
    live.advance(operator, seconds=remaining - 25)

    def warning() -> list[dict[str, Any]]:
        notes = live.call(people.customer_token, "GET", "/api/notifications").json()["notifications"]
        return [n for n in notes if n["kind"] == "session_ending"]

    position = wait_for(warning, 10, "the warning")[0]["position"]
    engine = sa.create_engine(live.settings.url)
    try:
        def mailed_past() -> bool:  # the mail worker has read past the warning and sent what it queued
            with engine.connect() as conn:
                mark = conn.execute(sa.text("SELECT value FROM server_meta WHERE name = 'mailed_position'")).scalar()
                pending = conn.execute(sa.text("SELECT count(*) FROM mail_outbox WHERE status IN ('pending', 'sending')")).scalar()
            return mark is not None and int(mark) >= position and pending == 0
        wait_for(mailed_past, 10, "the mail worker passing the warning")
    finally:
        engine.dispose()
    # mail works here: the request's mail arrives (queueing and sending are two passes of the worker)
    wait_for(lambda: inbox.to("anna@example.com", "New request"), 10, "the new-request mail")
    bodies = [m.get_payload(decode=True).decode() for m in list(inbox.messages)]
    assert not [b for b in bodies if "The session ends in" in b]
