"""The mail outbox (one row per notification and address) under migrations too.

Servers that already sent mail created it at start; this creates it where it is missing and
leaves an existing one alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('mail_outbox'):
        return
    op.create_table(
        'mail_outbox',
        sa.Column('position', sa.BigInteger(), nullable=False),
        sa.Column('address', sa.String(length=320), nullable=False),
        sa.Column('recipient', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('position', 'address'),
    )
    op.create_index('ix_mail_outbox_status', 'mail_outbox', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_mail_outbox_status', table_name='mail_outbox')
    op.drop_table('mail_outbox')
