"""Reviews keep the log position of their write: a store keeps none of them in memory once
written and reads one back by its customer and expert (R27), so memory no longer grows with
every customer–expert pair the platform has known.

The new column is filled by the store itself: the `projected` counter is cleared, so the next
start rebuilds every projection from the log once (and says so).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    have = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('reviews')}
    if 'position' not in have:
        with op.batch_alter_table('reviews') as batch:
            batch.add_column(sa.Column('position', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    with op.batch_alter_table('reviews') as batch:
        batch.drop_column('position')
