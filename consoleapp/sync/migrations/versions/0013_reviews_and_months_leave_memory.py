"""Reviews and experts' months keep the log position of their write, and months are found by
month: a store keeps no review in memory once written (it reads one back by its customer and
expert, R27) and only the recent months (an older one is read back by expert and month, R32), so
memory no longer grows with every customer–expert pair or month the platform has known.

No rebuild: a row no write of this version touched yet keeps position 0, which tells a catch-up
what it needs to know, that the row was last written before any event it folds.

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
    inspector = sa.inspect(op.get_bind())
    for table in ('reviews', 'months'):
        if 'position' not in {c['name'] for c in inspector.get_columns(table)}:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column('position', sa.BigInteger(), nullable=False, server_default='0'))
    if 'ix_months_month' not in {i['name'] for i in inspector.get_indexes('months')}:
        op.create_index('ix_months_month', 'months', ['month'])


def downgrade() -> None:
    op.drop_index('ix_months_month', 'months')
    for table in ('reviews', 'months'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('position')
