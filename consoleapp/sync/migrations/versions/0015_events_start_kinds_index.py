"""Index only the kinds of events a start reads (`schema.START_KINDS`), not every event's kind: the
full index was 4-5 % of the file and a b-tree insert per event written, for reads of a hundred rows
(every other read of the log by kind names a `ref` too, through its own index).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the migration found them: later versions of the list have migrations of their own.
START_KINDS = ("PromoCodeCreated", "PromoCodeEnded", "PayoutRunCompleted", "ExpertFlagged")


def _start_kinds_only() -> sa.TextClause:
    return sa.text("(" + " OR ".join(f"kind = '{kind}'" for kind in START_KINDS) + ")")


def upgrade() -> None:
    have = {i['name'] for i in sa.inspect(op.get_bind()).get_indexes('events')}
    if 'ix_events_kind' in have:
        op.drop_index('ix_events_kind', table_name='events')
    if 'ix_events_start_kinds' not in have:
        op.create_index('ix_events_start_kinds', 'events', ['kind'], unique=False,
                        sqlite_where=_start_kinds_only(), postgresql_where=_start_kinds_only())


def downgrade() -> None:
    op.drop_index('ix_events_start_kinds', table_name='events')
    op.create_index('ix_events_kind', 'events', ['kind'], unique=False)
