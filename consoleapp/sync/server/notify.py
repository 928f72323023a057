"""Notifications (R35) by email: each stored notification is mailed once, when SMTP is configured.

The engine queues notifications as events; the store keeps them as rows of `notifications`.
Open apps hear of them through `GET /sync/stream`; this worker emails them:

1. *Enqueue*: notification rows after the `mailed_position` mark (in `server_meta`) become
   `mail_outbox` rows, one per address (the recipient's email from `users`; for "operators",
   every open operator account), and the mark moves past them, in one transaction.
2. *Send*: each pending outbox row is claimed (`pending` -> `sending`) before it is sent and
   marked `sent` after, so two processes never send the same message; a failure leaves it
   pending for a later try, up to `ATTEMPTS`, then `failed`.

A meeting's confirmation, move or cancellation carries an `invite.ics` (`calendar.invitation`),
built at step 1 in the same transaction and stored in the row: a retry after a crash sends the
very invitation first composed, whatever happened to the meeting since (a later move has its own
email, with a higher SEQUENCE).

When SMTP is first configured the mark starts at the newest notification: enabling mail does
not send the whole history. The scheduler's loop calls `MailWorker.work` each tick.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from consoleapp.store import schema
from consoleapp.store.db import reading

from . import calendar
from .context import Server
from .tables import mail_outbox, server_meta, users

log = logging.getLogger("consoleapp.mail")

MARK = "mailed_position"
ATTEMPTS = 5
BATCH = 200  # notifications enqueued per tick
SENDS = 20  # messages sent per tick, so a slow SMTP server never holds the scheduler long
OPERATORS = "operators"

SUBJECTS = {
    "new_request": "New request",
    "reminder": "Meeting reminder",
    "link": "Your meeting link",
    "evaluation": "Please evaluate your meeting",
    "confirmed": "Meeting agreed",
    "accepted": "Request accepted",
    "declined": "Request declined",
    "cancelled": "Meeting cancelled",
    "rescheduled": "Meeting rescheduled",
    "claim": "New claim",
    "payout": "Payout",
}


# Kinds that are only for open apps (the stream, the desktop, the site): R19's warning 30 s before a live
# session ends would reach a mailbox after the session.
NOT_MAILED = frozenset({"session_ending"})


def subject(kind: str) -> str:
    return "Expert Console: " + SUBJECTS.get(kind, kind.replace("_", " ").capitalize() or "Notification")


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A notification row as the stream and `/sync/notifications` send it."""
    at = row["at"]
    return {"position": int(row["position"]), "kind": row["kind"], "text": row["text"], "ref": row["ref"],
            "at": at.isoformat() if hasattr(at, "isoformat") else str(at)}


class MailWorker:
    def __init__(self, server: Server) -> None:
        self.server = server
        self._created = False

    @property
    def engine(self) -> sa.Engine:
        return self.server.store.engine

    def work(self) -> int:
        """Enqueue new notifications and send what is pending; returns messages sent."""
        if not self.server.mailer.configured:
            return 0
        if not self._created:
            mail_outbox.create(self.engine, checkfirst=True)
            self._created = True
        self.enqueue()
        return self.send()

    # --- 1. enqueue ------------------------------------------------------------------------

    def enqueue(self) -> int:
        n = schema.notifications.c
        with reading(self.engine) as conn:
            mark = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == MARK)).scalar()
            newest = conn.execute(sa.select(sa.func.max(n.position))).scalar()
        if mark is not None and (newest is None or int(newest) <= int(mark)):
            return 0  # nothing new: no write transaction
        with self.engine.begin() as conn:
            mark = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == MARK)
                                .with_for_update()).scalar()
            if mark is None:
                start = int(conn.execute(sa.select(sa.func.max(n.position))).scalar() or 0)
                conn.execute(server_meta.insert().values(name=MARK, value=str(start)))
                log.info("mail enabled: notifications after position %d will be emailed", start)
                return 0
            rows = conn.execute(sa.select(n.position, n.recipient, n.kind, n.ref, n.at, n.text)
                                .where(n.position > int(mark)).order_by(n.position).limit(BATCH)).all()
            if not rows:
                return 0
            operators = None
            people = {r.recipient for r in rows} - {OPERATORS}
            emails = dict(conn.execute(sa.select(users.c.id, users.c.email)
                                       .where(users.c.id.in_(people), users.c.closed.is_(False))).all()) if people else {}
            now = self.server.clock.now()
            meetings = calendar.announced(conn, rows)
            out = []
            for r in rows:
                if r.kind in NOT_MAILED:
                    addresses = []
                elif r.recipient == OPERATORS:
                    if operators is None:
                        operators = list(conn.execute(sa.select(users.c.email).where(
                            users.c.role == "operator", users.c.closed.is_(False))).scalars())
                    addresses = operators
                else:
                    addresses = [emails[r.recipient]] if r.recipient in emails else []
                meeting = meetings.get(r.position)
                for address in dict.fromkeys(addresses):
                    invite = (None if meeting is None else
                              calendar.invitation(conn, self.server, meeting, r.recipient, address, r.at))
                    out.append({"position": r.position, "address": address, "recipient": r.recipient,
                                "subject": subject(r.kind), "body": self.body(r.text), "invite": invite,
                                "status": "pending",
                                "attempts": 0, "created_at": now, "sent_at": None})
            if out:
                conn.execute(mail_outbox.insert(), out)
            conn.execute(server_meta.update().where(server_meta.c.name == MARK).values(value=str(rows[-1].position)))
        return len(out)

    def body(self, text: str) -> str:
        return (f"{text}\n\nOpen Expert Console to see the details: {self.server.settings.base_url}\n\n"
                "You receive this message because you have an Expert Console account.")

    # --- 2. send ---------------------------------------------------------------------------

    def send(self) -> int:
        o = mail_outbox.c
        with reading(self.engine) as conn:
            rows = conn.execute(sa.select(o.position, o.address, o.subject, o.body, o.invite, o.attempts)
                                .where(o.status == "pending").order_by(o.position).limit(SENDS)).all()
        sent = 0
        for r in rows:
            key = (o.position == r.position) & (o.address == r.address)
            with self.engine.begin() as conn:
                claimed = conn.execute(mail_outbox.update().where(key, o.status == "pending")
                                       .values(status="sending")).rowcount
            if claimed != 1:
                continue  # another process took it
            ok = self.server.mailer.send(r.address, r.subject, r.body, r.invite)
            attempts = r.attempts + 1
            status = "sent" if ok else ("failed" if attempts >= ATTEMPTS else "pending")
            with self.engine.begin() as conn:
                conn.execute(mail_outbox.update().where(key).values(
                    status=status, attempts=attempts, sent_at=self.server.clock.now() if ok else None))
            if ok:
                sent += 1
            elif status == "failed":
                log.warning("gave up mailing notification %d to %s after %d attempts", r.position, r.address, attempts)
        return sent
