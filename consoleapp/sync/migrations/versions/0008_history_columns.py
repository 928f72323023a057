"""Meetings keep what the desktop's history list shows as columns (customer's name, topic, mode,
outcome, charged, refunded, the expert's answer), so the list is read without parsing records.

The new columns are filled by the store itself: the `projected` counter is cleared, so the next
start rebuilds every projection from the log once (and says so).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def _columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column('customer_name', sa.String(200), nullable=False, server_default=''),
        sa.Column('topic', sa.Text(), nullable=False, server_default=''),
        sa.Column('mode', sa.String(20), nullable=False, server_default=''),
        sa.Column('outcome', sa.String(100), nullable=False, server_default=''),
        sa.Column('charged', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('refunded', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('expert_answer', sa.String(100), nullable=False, server_default=''),
    )


def upgrade() -> None:
    have = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('meetings')}
    with op.batch_alter_table('meetings') as batch:
        for column in _columns():
            if column.name not in have:
                batch.add_column(column)
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
