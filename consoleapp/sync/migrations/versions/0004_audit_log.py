"""The operators' audit log, append-only (triggers refuse UPDATE and DELETE).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from consoleapp.sync.server import audit

    bind = op.get_bind()
    if not sa.inspect(bind).has_table('audit_log'):
        op.create_table(
            'audit_log',
            sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
            sa.Column('at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('actor', sa.String(length=64), nullable=False),
            sa.Column('action', sa.String(length=64), nullable=False),
            sa.Column('subject', sa.String(length=200), nullable=False),
            sa.Column('detail', sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint('id'),
        )
        for column in ('at', 'actor', 'action'):
            op.create_index(f'ix_audit_log_{column}', 'audit_log', [column], unique=False)
    audit.guard(bind)


def downgrade() -> None:
    for column in ('at', 'actor', 'action'):
        op.drop_index(f'ix_audit_log_{column}', table_name='audit_log')
    op.drop_table('audit_log')
