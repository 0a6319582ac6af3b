"""Sync over HTTP: a centre's country and reported counter at the hub, and the hub's decisions a centre pulls

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-13 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reported_seq', sa.Integer(), nullable=True))
    with op.batch_alter_table('sync_centres', schema=None) as batch_op:
        batch_op.alter_column('country', server_default=None)
    with op.batch_alter_table('sync_enrolment_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=False, server_default=''))
    with op.batch_alter_table('sync_enrolment_codes', schema=None) as batch_op:
        batch_op.alter_column('country', server_default=None)
    op.create_table('sync_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_decisions')),
    sa.UniqueConstraint('kind', 'public_id', name=op.f('uq_sync_decisions_kind'))
    )
    op.create_index(op.f('ix_sync_decisions_centre_id'), 'sync_decisions', ['centre_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sync_decisions_centre_id'), table_name='sync_decisions')
    op.drop_table('sync_decisions')
    with op.batch_alter_table('sync_enrolment_codes', schema=None) as batch_op:
        batch_op.drop_column('country')
    with op.batch_alter_table('sync_centres', schema=None) as batch_op:
        batch_op.drop_column('reported_seq')
        batch_op.drop_column('country')
