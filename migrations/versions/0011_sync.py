"""Sync: the centre's change ledger and state, the hub's centres, enrolment codes, held versions and conflicts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sync_ledger',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('digest', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'public_id', name=op.f('pk_sync_ledger'))
    )
    op.create_index(op.f('ix_sync_ledger_seq'), 'sync_ledger', ['seq'], unique=False)
    op.create_table('sync_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('sync_centres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('acked_seq', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.String(length=36), nullable=True),
    sa.Column('chunks_done', sa.Integer(), nullable=False),
    sa.Column('last_sync_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_centres')),
    sa.UniqueConstraint('centre_id', name=op.f('uq_sync_centres_centre_id'))
    )
    op.create_table('sync_enrolment_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('centre_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_enrolment_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_sync_enrolment_codes_code_hash'))
    )
    op.create_table('sync_versions',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('centre_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'public_id', name=op.f('pk_sync_versions'))
    )
    op.create_table('sync_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts'))
    )
    op.create_index(op.f('ix_sync_conflicts_centre_id'), 'sync_conflicts', ['centre_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sync_conflicts_centre_id'), table_name='sync_conflicts')
    op.drop_table('sync_conflicts')
    op.drop_table('sync_versions')
    op.drop_table('sync_enrolment_codes')
    op.drop_table('sync_centres')
    op.drop_table('sync_state')
    op.drop_index(op.f('ix_sync_ledger_seq'), table_name='sync_ledger')
    op.drop_table('sync_ledger')
