"""Calendar feeds: one secret, revocable feed link per person, and the `.ics` invitation a
meeting's confirmation, move or cancellation email carries (kept in the mail outbox with it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table('calendar_feeds'):
        op.create_table(
            'calendar_feeds',
            sa.Column('token', sa.String(length=64), nullable=False),
            sa.Column('person', sa.String(length=64), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(['person'], ['users.id']),
            sa.PrimaryKeyConstraint('token'),
        )
        op.create_index('ix_calendar_feeds_person', 'calendar_feeds', ['person'], unique=False)
    if 'invite' not in {c['name'] for c in inspector.get_columns('mail_outbox')}:
        op.add_column('mail_outbox', sa.Column('invite', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mail_outbox') as batch:
        batch.drop_column('invite')
    op.drop_index('ix_calendar_feeds_person', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
