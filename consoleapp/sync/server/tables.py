"""The server's own tables, beside the store's: people's credentials, sync clients, keys, links."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

metadata = sa.MetaData()
ID = sa.String(64)
TS = sa.DateTime(timezone=True)


def aware(moment: datetime) -> datetime:
    """A `TS` column's value with its zone: SQLite hands it back naive (it stores UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


users = sa.Table(
    "users", metadata,
    sa.Column("id", ID, primary_key=True),  # the engine's person id
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("hash", sa.String(64), primary_key=True),  # sha256 of the token; the token itself is never stored
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # 'session' or 'reset'
    sa.Column("created_at", TS, nullable=False),
    sa.Column("expires_at", TS, nullable=False),
    sa.Column("revoked_at", TS, nullable=True),
)

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(400), nullable=False, index=True),  # 'email:<address>' or 'ip:<address>'
    sa.Column("at", TS, nullable=False),
)

sync_clients = sa.Table(
    "sync_clients", metadata,
    sa.Column("client_id", ID, primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("last_seq", sa.BigInteger, nullable=False, default=0),
    sa.Column("created_at", TS, nullable=False),
)

sync_results = sa.Table(
    "sync_results", metadata,
    sa.Column("client_id", ID, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("command_id", ID, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("code", sa.String(64), nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("position", sa.BigInteger, nullable=False, default=0),
    sa.Column("processed_at", TS, nullable=False),
)

idempotency = sa.Table(
    "idempotency_keys", metadata,
    sa.Column("user_id", ID, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

server_meta = sa.Table(
    "server_meta", metadata,
    sa.Column("name", sa.String(64), primary_key=True),  # 'epoch', 'clock_offset'
    sa.Column("value", sa.Text, nullable=False),
)

video_links = sa.Table(
    "video_links", metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("meeting_id", ID, nullable=False, index=True),
    sa.Column("person", ID, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("room", sa.String(500), nullable=False),
)

# Who may pull which event: a row per person an event concerns, read by (person, position) ranges.
# On SQLite a table WITHOUT ROWID: its rows are that key, stored once, where a rowid table kept them
# twice, in the table and in the key's index (95 MB against 46 MB at 50 000 sessions, 8 % of the file).
event_audience = sa.Table(
    "event_audience", metadata,
    sa.Column("person", ID, primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sqlite_with_rowid=False,
)

# Every operator action (a decision, a grant, a closing, a reset, a payout run), who and when.
# Append-only: triggers refuse UPDATE and DELETE (audit.py), so not even a bug can rewrite it.
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", TS, nullable=False, index=True),
    sa.Column("actor", ID, nullable=False, index=True),  # an operator's id, or 'command line'
    sa.Column("action", sa.String(64), nullable=False, index=True),
    sa.Column("subject", sa.String(200), nullable=False),  # a meeting, claim, person or payout day
    sa.Column("detail", sa.Text, nullable=False),
)

# One secret calendar feed link per person (`GET /calendar/<token>.ics`). The token is kept as
# is, unlike login tokens: the person's pages show the link again on every visit, and it only
# reads that person's calendar. A reset revokes the row and makes a new one.
calendar_feeds = sa.Table(
    "calendar_feeds", metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("person", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("revoked_at", TS, nullable=True),
)

# Credits a customer asked to buy (payments/): a bank transfer awaited under its reference, or a
# card payment through the provider's checkout. `status`: requested, paid, expired, cancelled.
payments = sa.Table(
    "payments", metadata,
    sa.Column("id", ID, primary_key=True),  # also the engine's CreditPayment.payment_id
    sa.Column("customer", ID, nullable=False, index=True),
    sa.Column("provider", sa.String(16), nullable=False),  # 'bank' or 'stripe'
    sa.Column("credits", sa.Integer, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),  # in the currency's minor unit (cents)
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("reference", sa.String(32), nullable=False, unique=True),  # what the customer writes on the transfer
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("provider_ref", sa.String(200), nullable=False, default=""),  # Stripe's Checkout Session id
    sa.Column("checkout_url", sa.Text, nullable=False, default=""),
    sa.Column("created", TS, nullable=False),
    sa.Column("expires", TS, nullable=False),
    sa.Column("paid_at", TS, nullable=True),
    sa.Column("by", ID, nullable=False, default=""),  # who marked it received: an operator, 'command line', 'stripe'
)

# Every provider event acted on, once: Stripe retries a webhook until it is answered 2xx.
payment_events = sa.Table(
    "payment_events", metadata,
    sa.Column("id", sa.String(255), primary_key=True),  # the provider's event id
    sa.Column("payment", ID, nullable=False),  # '' when the event named no payment of ours
    sa.Column("received", TS, nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),  # what it did, or why it changed nothing
)

# The mails a notification becomes (notify.py), one row per address.
mail_outbox = sa.Table(
    "mail_outbox", metadata,
    sa.Column("position", sa.BigInteger, primary_key=True),  # the notification's log position
    sa.Column("address", sa.String(320), primary_key=True),
    sa.Column("recipient", ID, nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    # The `invite.ics` of a meeting's confirmation, move or cancellation (calendar.invitation),
    # built when the mail is composed and kept with it, so every try sends the same invitation.
    sa.Column("invite", sa.Text, nullable=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),  # pending, sending, sent, failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("sent_at", TS, nullable=True),
)
