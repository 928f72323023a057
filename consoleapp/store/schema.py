"""The one schema: the event log, the ledger tables and the projections.

Portable on purpose (SQLite and PostgreSQL): no autoincrement, no JSON type, times stored
in UTC. Each projection row carries the full frozen record as JSON in `record`; the other
columns are copies kept only to filter and sort on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware datetime in, an aware UTC datetime out, on every backend.

    SQLite keeps no offset, so every value is converted to UTC before it is stored.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(200), primary_key=True)


def _record() -> sa.Column[str]:
    return sa.Column("record", sa.Text, nullable=False)


counters = sa.Table(
    "counters", metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# The kinds of events a start reads from the log (`open_world.logged`): few in any history (a
# hundred in 850 000 events at 50 000 sessions). The log's index of kinds holds only these: one of
# every event's kind was 4-5 % of the file (21.8 MB of 590 MB there) and a b-tree insert per event
# written, for reads of those hundred rows; every other read of the log by kind names a `ref` too.
START_KINDS = ("PromoCodeCreated", "PromoCodeEnded", "PayoutRunCompleted", "ExpertFlagged")


def start_kinds_only() -> sa.TextClause:
    """The term that limits the index to `START_KINDS`, as SQL with the values written in: SQLite
    uses a partial index only for a query whose WHERE holds this very term, values and all. Equalities
    joined by OR, not `kind IN (...)`: SQLite evaluates the term at every insert, and an IN list made
    a first sync's inserts of events a third slower than the index of every kind it replaces."""
    return sa.text("(" + " OR ".join(f"kind = '{kind}'" for kind in START_KINDS) + ")")


events = sa.Table(
    "events", metadata,
    # Assigned from `counters` under its lock, never by the database: a sequence hands out
    # numbers in the order transactions start, not the order they commit.
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("ref", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_events_start_kinds", "kind", sqlite_where=start_kinds_only(), postgresql_where=start_kinds_only()),
)

transfers = sa.Table(
    "transfers", metadata,
    _id(),
    sa.Column("pending_id", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("debit", sa.String(200), nullable=False, index=True),
    sa.Column("credit", sa.String(200), nullable=False, index=True),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("ref", sa.String(200), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False, index=True),
)

accounts = sa.Table(
    "accounts", metadata,
    _id(),
    sa.Column("debits_pending", sa.BigInteger, nullable=False),
    sa.Column("debits_posted", sa.BigInteger, nullable=False),
    sa.Column("credits_pending", sa.BigInteger, nullable=False),
    sa.Column("credits_posted", sa.BigInteger, nullable=False),
)

# The platform's own figures by month (the operators' money page), each write's added to its
# month's row (`ledger.month_figures`): the page reads a row per month, not every transfer ever.
platform_months = sa.Table(
    "platform_months", metadata,
    sa.Column("month", sa.String(7), primary_key=True),  # 'YYYY-MM', UTC
    sa.Column("commission", sa.BigInteger, nullable=False),
    sa.Column("platform_paid", sa.BigInteger, nullable=False),
    sa.Column("deposited", sa.BigInteger, nullable=False),
    sa.Column("paid_out", sa.BigInteger, nullable=False),
    sa.Column("held_change", sa.BigInteger, nullable=False),  # escrow's open holds: the month's change
)

people = sa.Table(
    "people", metadata,
    _id(),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=False, index=True),
    sa.Column("closed", sa.Boolean, nullable=False),
    _record(),
)

meetings = sa.Table(
    "meetings", metadata,
    _id(),
    sa.Column("expert", sa.String(200), nullable=False),
    sa.Column("customer", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("payment", sa.String(30), nullable=False),
    sa.Column("starts_at", UTCDateTime),
    sa.Column("ends_at", UTCDateTime),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    # What the desktop's history list shows, as columns: 100 000 rows read without parsing
    # 100 000 records (`history_index.load`). Before the record: SQLite reads a row's columns
    # in order, and a long record would be read (its overflow pages too) to reach them.
    sa.Column("customer_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("topic", sa.Text, nullable=False, server_default=""),
    sa.Column("mode", sa.String(20), nullable=False, server_default=""),
    sa.Column("outcome", sa.String(100), nullable=False, server_default=""),
    sa.Column("charged", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refunded", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("expert_answer", sa.String(100), nullable=False, server_default=""),
    _record(),
    # Whether a deadline is still ahead (`meetings.is_active`): what a store loads at start.
    sa.Column("open", sa.Boolean, nullable=False, server_default=sa.true(), index=True),
    # The log position of the last write that touched the row: a catch-up reads it back only if older.
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("ix_meetings_expert_status", "expert", "status"),
    sa.Index("ix_meetings_customer_status", "customer", "status"),
)

group_events = sa.Table(
    "group_events", metadata,
    _id(),
    sa.Column("expert", sa.String(200), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("starts_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    _record(),
    sa.Column("open", sa.Boolean, nullable=False, server_default=sa.true(), index=True),
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
)

claims = sa.Table(
    "claims", metadata,
    _id(),
    sa.Column("session", sa.String(400), nullable=False, index=True),
    sa.Column("customer", sa.String(200), nullable=False, index=True),
    sa.Column("expert", sa.String(200), nullable=False, index=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("opened_at", UTCDateTime, nullable=False),
    _record(),
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("ix_claims_status", "status"),
)

months = sa.Table(
    "months", metadata,
    sa.Column("expert", sa.String(200), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True, index=True),  # a start reads the recent ones
    _record(),
    # An older month is history: memory lets it go and reads it back by expert and month (R32).
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
)

payouts = sa.Table(
    "payouts", metadata,
    _id(),
    sa.Column("expert", sa.String(200), nullable=False, index=True),
    sa.Column("day", sa.String(10), nullable=False, index=True),  # a day's SEPA file reads its payouts
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("made_at", UTCDateTime, nullable=False),
    _record(),
    # A payout is history once made: memory lets it go and reads it back by id (see meetings).
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
)

slots = sa.Table(
    "slots", metadata,
    _id(),
    sa.Column("expert", sa.String(200), nullable=False),
    sa.Column("starts_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    _record(),
    # As in meetings: a slot that has ended leaves memory (`open_world.let_go_slots`), and a
    # catch-up reads it back only if its row is older than the event being folded.
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("ix_slots_expert_start", "expert", "starts_at"),
    sa.Index("ix_slots_ends_at", "ends_at"),  # what a store loads at start: the slots not ended
)

profiles = sa.Table(
    "profiles", metadata,
    sa.Column("expert", sa.String(200), primary_key=True),
    sa.Column("slug", sa.String(200), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    _record(),
)

payout_profiles = sa.Table(
    "payout_profiles", metadata,
    sa.Column("expert", sa.String(200), primary_key=True),
    _record(),
)

offers = sa.Table(
    "offers", metadata,
    sa.Column("expert", sa.String(200), primary_key=True),
    sa.Column("mode", sa.String(20), primary_key=True),
    _record(),  # the mode's offers, a JSON array
)

# Each customer's uses of a promo code (what a code's limits count, per customer and in all): a start
# reads the counts rather than every use and give-back in the log.
promo_uses = sa.Table(
    "promo_uses", metadata,
    sa.Column("code", sa.String(200), primary_key=True),
    sa.Column("customer", sa.String(200), primary_key=True),
    sa.Column("uses", sa.BigInteger, nullable=False),
)

reviews = sa.Table(
    "reviews", metadata,
    sa.Column("customer", sa.String(200), primary_key=True),
    sa.Column("expert", sa.String(200), primary_key=True, index=True),
    sa.Column("written_at", UTCDateTime, nullable=False),
    _record(),
    # A review is history once written: memory lets it go and reads it back by its pair (R27).
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
)

notifications = sa.Table(
    "notifications", metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("recipient", sa.String(200), nullable=False),  # found by the index below, which starts with it
    sa.Column("kind", sa.String(50), nullable=False),
    sa.Column("ref", sa.String(200), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    _record(),
    # A stream catching up reads one person's notifications after a position.
    sa.Index("ix_notifications_recipient_position", "recipient", "position"),
)


# Indexes an earlier version made that no read needs: dropped where found (`db.ensure_schema`, for
# the desktops' caches, which have no migrations; the server's database by migrations 0014 and 0015).
RETIRED_INDEXES = ("ix_notifications_recipient", "ix_events_kind")

# The tables a store rebuilds from the log when they are missing or cannot be trusted.
DERIVED: tuple[sa.Table, ...] = (people, meetings, group_events, claims, months, payouts, slots, profiles,
                                 payout_profiles, offers, reviews, promo_uses, accounts, transfers, platform_months,
                                 notifications)
