"""replies: chat replies a visitor has seen; lookups by provider reference (email threading) and recipient

Revision ID: 0008_replies
Revises: 0007_agent
Create Date: 2026-12-04 03:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.models

revision = '0008_replies'
down_revision = '0007_agent'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_at', shared.db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_replies_provider_ref', ['provider_ref'], unique=False)
        batch_op.create_index('ix_replies_recipient_created_at', ['recipient', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index('ix_replies_recipient_created_at')
        batch_op.drop_index('ix_replies_provider_ref')
        batch_op.drop_column('seen_at')
