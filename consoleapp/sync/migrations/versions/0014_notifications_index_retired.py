"""Drop the index of notifications by recipient alone: the (recipient, position) index, which
starts with the recipient, serves every read of a person's notifications. Each notice written
then updates one b-tree fewer (7.2 MB of the server's 596 MB file at 50 000 sessions).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if 'ix_notifications_recipient' in {i['name'] for i in sa.inspect(op.get_bind()).get_indexes('notifications')}:
        op.drop_index('ix_notifications_recipient', table_name='notifications')


def downgrade() -> None:
    op.create_index('ix_notifications_recipient', 'notifications', ['recipient'], unique=False)
