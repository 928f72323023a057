"""Index notifications by (recipient, position): a stream catching up reads one person's newest.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_notifications_recipient_position', 'notifications', ['recipient', 'position'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notifications_recipient_position', table_name='notifications')
