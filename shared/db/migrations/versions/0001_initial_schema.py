"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.models

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('queues', sa.JSON(), nullable=False),
    sa.Column('presence', sa.String(length=16), nullable=False),
    sa.Column('presence_changed_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idle_since', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_assigned_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents'))
    )
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agents_updated_at'), ['updated_at'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=128), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('bus_records',
    sa.Column('offset', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=128), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=True),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('offset', name=op.f('pk_bus_records'))
    )
    with op.batch_alter_table('bus_records', schema=None) as batch_op:
        batch_op.create_index('ix_bus_records_topic_offset', ['topic', 'offset'], unique=False)

    op.create_table('consumer_offsets',
    sa.Column('group', sa.String(length=64), nullable=False),
    sa.Column('topic', sa.String(length=128), nullable=False),
    sa.Column('offset', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('group', 'topic', name=op.f('pk_consumer_offsets'))
    )
    op.create_table('contacts',
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('tier', sa.String(length=32), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_contacts'))
    )
    op.create_table('conversations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('customer', sa.String(length=320), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_agent_id', sa.String(length=36), nullable=True),
    sa.Column('last_closed_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('key', name=op.f('uq_conversations_key'))
    )
    op.create_table('queues',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('strategy', sa.String(length=32), nullable=False),
    sa.Column('offer_timeout_s', sa.Integer(), nullable=False),
    sa.Column('overflow_queue', sa.String(length=64), nullable=True),
    sa.Column('overflow_after_s', sa.Integer(), nullable=True),
    sa.Column('after_hours_queue', sa.String(length=64), nullable=True),
    sa.Column('hours', sa.JSON(), nullable=True),
    sa.Column('aging_per_minute', sa.Double(), nullable=False),
    sa.Column('sla_policy', sa.String(length=64), nullable=True),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_queues'))
    )
    op.create_table('rulesets',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_rulesets'))
    )
    op.create_table('sla_policies',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('first_response_s', sa.JSON(), nullable=False),
    sa.Column('resolution_s', sa.JSON(), nullable=False),
    sa.Column('warn_ratio', sa.Double(), nullable=False),
    sa.Column('updated_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sla_policies'))
    )
    op.create_table('agent_capacity',
    sa.Column('agent_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('load', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_capacity_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agent_id', 'channel', name=op.f('pk_agent_capacity'))
    )
    op.create_table('api_keys',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('agent_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_api_keys_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('excluded_agents', sa.JSON(), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enqueued_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('offered_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disposition', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sla_policy', sa.String(length=64), nullable=True),
    sa.Column('sla_priority', sa.Integer(), nullable=False),
    sa.Column('sla_state', sa.String(length=16), nullable=False),
    sa.Column('sla_next_check', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', shared.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_assignments_agent_id_agents')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_assignments_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_agent_status', ['agent_id', 'status'], unique=False)
        batch_op.create_index('ix_assignments_conversation_status', ['conversation_id', 'status'], unique=False)
        batch_op.create_index('ix_assignments_queue_status', ['queue', 'status'], unique=False)
        batch_op.create_index('ix_assignments_sla_next_check', ['sla_next_check'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('received_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('routed_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('classification', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('provider', 'external_id', name='uq_messages_provider_external_id')
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_channel_received_at', ['channel', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_messages_received_at', ['received_at'], unique=False)

    op.create_table('ruleset_activations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version'], ['rulesets.version'], name=op.f('fk_ruleset_activations_version_rulesets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ruleset_activations'))
    )
    op.create_table('decisions',
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.String(length=36), nullable=True),
    sa.Column('assignment_id', sa.String(length=36), nullable=True),
    sa.Column('ruleset_version', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('routed_by', sa.String(length=128), nullable=False),
    sa.Column('trace', sa.JSON(), nullable=False),
    sa.Column('created_at', shared.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_decisions_message_id_messages')),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_conversation_id'), ['conversation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_conversation_id'))

    op.drop_table('decisions')
    op.drop_table('ruleset_activations')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_received_at')
        batch_op.drop_index(batch_op.f('ix_messages_conversation_id'))
        batch_op.drop_index('ix_messages_channel_received_at')

    op.drop_table('messages')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_sla_next_check')
        batch_op.drop_index('ix_assignments_queue_status')
        batch_op.drop_index('ix_assignments_conversation_status')
        batch_op.drop_index('ix_assignments_agent_status')

    op.drop_table('assignments')
    op.drop_table('api_keys')
    op.drop_table('agent_capacity')
    op.drop_table('sla_policies')
    op.drop_table('rulesets')
    op.drop_table('queues')
    op.drop_table('conversations')
    op.drop_table('contacts')
    op.drop_table('consumer_offsets')
    with op.batch_alter_table('bus_records', schema=None) as batch_op:
        batch_op.drop_index('ix_bus_records_topic_offset')

    op.drop_table('bus_records')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agents_updated_at'))

    op.drop_table('agents')
