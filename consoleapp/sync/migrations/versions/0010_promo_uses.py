"""Each customer's uses of a promo code as a table, so that a start reads the counts rather than
every use and give-back in the log.

The table is filled by the store itself: the `projected` counter is cleared, so the next start
rebuilds every projection from the log once (and says so).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table('promo_uses'):
        op.create_table(
            'promo_uses',
            sa.Column('code', sa.String(200), primary_key=True),
            sa.Column('customer', sa.String(200), primary_key=True),
            sa.Column('uses', sa.BigInteger(), nullable=False),
        )
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    op.drop_table('promo_uses')
