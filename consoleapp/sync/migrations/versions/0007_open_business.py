"""The open business: meetings and group events say whether they are open, and rows keep the
log position of their last write, so a store loads only what is open and reads the rest back.

The new columns are filled by the store itself: a database upgraded here has no `projected`
counter, so the next start rebuilds every projection from the log once (and says so).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = {
    'meetings': ('open', 'position'),
    'group_events': ('open', 'position'),
    'claims': ('position',),
}


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table, columns in _NEW.items():
        have = {c['name'] for c in inspector.get_columns(table)}
        with op.batch_alter_table(table) as batch:
            if 'open' in columns and 'open' not in have:
                batch.add_column(sa.Column('open', sa.Boolean(), nullable=False, server_default=sa.true()))
            if 'position' not in have:
                batch.add_column(sa.Column('position', sa.BigInteger(), nullable=False, server_default='0'))
    indexes = {table: {i['name'] for i in inspector.get_indexes(table)} for table in _NEW}
    if 'ix_meetings_open' not in indexes['meetings']:
        op.create_index('ix_meetings_open', 'meetings', ['open'])
    if 'ix_group_events_open' not in indexes['group_events']:
        op.create_index('ix_group_events_open', 'group_events', ['open'])
    if 'ix_claims_status' not in indexes['claims']:
        op.create_index('ix_claims_status', 'claims', ['status'])
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    op.drop_index('ix_claims_status', 'claims')
    op.drop_index('ix_group_events_open', 'group_events')
    op.drop_index('ix_meetings_open', 'meetings')
    for table, columns in _NEW.items():
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_column(column)
