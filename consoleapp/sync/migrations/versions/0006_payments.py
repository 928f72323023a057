"""Buying credits: payment requests (bank transfer, Stripe Checkout) and the provider events seen.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table('payments'):
        op.create_table(
            'payments',
            sa.Column('id', sa.String(length=64), nullable=False),
            sa.Column('customer', sa.String(length=64), nullable=False),
            sa.Column('provider', sa.String(length=16), nullable=False),
            sa.Column('credits', sa.Integer(), nullable=False),
            sa.Column('amount', sa.BigInteger(), nullable=False),
            sa.Column('currency', sa.String(length=3), nullable=False),
            sa.Column('reference', sa.String(length=32), nullable=False),
            sa.Column('status', sa.String(length=16), nullable=False),
            sa.Column('provider_ref', sa.String(length=200), nullable=False),
            sa.Column('checkout_url', sa.Text(), nullable=False),
            sa.Column('created', sa.DateTime(timezone=True), nullable=False),
            sa.Column('expires', sa.DateTime(timezone=True), nullable=False),
            sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
            sa.Column('by', sa.String(length=64), nullable=False),
            sa.PrimaryKeyConstraint('id'),
            sa.UniqueConstraint('reference'),
        )
        op.create_index('ix_payments_customer', 'payments', ['customer'], unique=False)
        op.create_index('ix_payments_status', 'payments', ['status'], unique=False)
    if not sa.inspect(bind).has_table('payment_events'):
        op.create_table(
            'payment_events',
            sa.Column('id', sa.String(length=255), nullable=False),
            sa.Column('payment', sa.String(length=64), nullable=False),
            sa.Column('received', sa.DateTime(timezone=True), nullable=False),
            sa.Column('outcome', sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint('id'),
        )


def downgrade() -> None:
    op.drop_table('payment_events')
    op.drop_index('ix_payments_status', table_name='payments')
    op.drop_index('ix_payments_customer', table_name='payments')
    op.drop_table('payments')
