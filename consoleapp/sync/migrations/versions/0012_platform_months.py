"""The platform's own figures by month as a table, so that the operators' money page reads a row
per month rather than every transfer ever made.

The table is filled by the store itself: the `projected` counter is cleared, so the next start
rebuilds every projection from the log once (and says so).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table('platform_months'):
        op.create_table(
            'platform_months',
            sa.Column('month', sa.String(7), primary_key=True),
            sa.Column('commission', sa.BigInteger(), nullable=False),
            sa.Column('platform_paid', sa.BigInteger(), nullable=False),
            sa.Column('deposited', sa.BigInteger(), nullable=False),
            sa.Column('paid_out', sa.BigInteger(), nullable=False),
            sa.Column('held_change', sa.BigInteger(), nullable=False),
        )
    op.execute(sa.text("DELETE FROM counters WHERE name = 'projected'"))


def downgrade() -> None:
    op.drop_table('platform_months')
