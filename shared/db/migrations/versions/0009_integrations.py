"""integrations: audit and webhook delivery indexes

Revision ID: 0008_integrations
Revises: 0008_replies (linearized after the replies migration)
Create Date: 2026-12-04 03:43:41.656387
"""

from __future__ import annotations

from alembic import op

revision = "0008_integrations"
down_revision = "0008_replies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_actor_id", ["actor", "id"], unique=False)
        batch_op.create_index("ix_audit_events_subject_id", ["subject", "id"], unique=False)

    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_deliveries_subscription_conversation",
            ["subscription_id", "conversation_id", "activity_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_deliveries_subscription_conversation")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_subject_id")
        batch_op.drop_index("ix_audit_events_actor_id")
