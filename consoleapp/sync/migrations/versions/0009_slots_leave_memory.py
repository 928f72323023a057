"""Slots keep the log position of their last write, and are found by their end: a store keeps
only the slots that have not ended in memory and reads an ended one back by id.

The new column is filled by the store itself: the `projected` counter is cleared, so the next
start rebuilds every projection from the log once (and says so).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c['name'] for c in inspector.get_columns('slots')}
    if 'position' not in have:
        with op.batch_alter_table('slots') as batch:
            batch.add_column(sa.Column('position', sa.BigInteger(), nullable=False, server_default='0'))
    if 'ix_slots_ends_at' not in {i['name'] for i in inspector.get_indexes('slots')}:
        op.create_index('ix_slots_ends_at', 'slots', ['ends_at'])
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    op.drop_index('ix_slots_ends_at', 'slots')
    with op.batch_alter_table('slots') as batch:
        batch.drop_column('position')
