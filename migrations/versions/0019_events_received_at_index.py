"""An index on progress_events.received_at: the trusted clock's floor, max(received_at), read by every admin
page (the clock banner), becomes one index lookup instead of a scan of millions of events at the hub

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 06:50:00

"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_progress_events_received_at', 'progress_events', ['received_at'], unique=False)


def downgrade():
    op.drop_index('ix_progress_events_received_at', table_name='progress_events')
