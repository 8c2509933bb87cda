"""sms: the parts of concatenated SMS, kept until every part has arrived

Revision ID: 0004_sms
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.models

revision = "0004_sms"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_parts",
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("group", sa.String(length=160), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", shared.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "group", "part", name=op.f("pk_sms_parts")),
    )
    with op.batch_alter_table("sms_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_parts_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_parts_received_at"))
    op.drop_table("sms_parts")
