"""Payouts keep the log position of their write, and are found by day: a store keeps none of
them in memory once made (each names every transfer it paid) and reads one back by id.

The new column is filled by the store itself: the `projected` counter is cleared, so the next
start rebuilds every projection from the log once (and says so).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c['name'] for c in inspector.get_columns('payouts')}
    if 'position' not in have:
        with op.batch_alter_table('payouts') as batch:
            batch.add_column(sa.Column('position', sa.BigInteger(), nullable=False, server_default='0'))
    if 'ix_payouts_day' not in {i['name'] for i in inspector.get_indexes('payouts')}:
        op.create_index('ix_payouts_day', 'payouts', ['day'])
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    op.drop_index('ix_payouts_day', 'payouts')
    with op.batch_alter_table('payouts') as batch:
        batch.drop_column('position')
