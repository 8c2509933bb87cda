"""agent shifts: working hours per agent and the instant a router signs the agent off

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shift", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("shift_ends_at", shared.db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_agents_shift_ends_at"), ["shift_ends_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agents_shift_ends_at"))
        batch_op.drop_column("shift_ends_at")
        batch_op.drop_column("shift")
