"""Sync: transfers of an account from one centre to another, decided at the hub and applied at the centres

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-14 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sync_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('user_public_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('from_centre', sa.String(length=36), nullable=False),
    sa.Column('to_centre', sa.String(length=36), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_transfers')),
    sa.UniqueConstraint('public_id', name=op.f('uq_sync_transfers_public_id'))
    )
    op.create_index(op.f('ix_sync_transfers_user_public_id'), 'sync_transfers', ['user_public_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sync_transfers_user_public_id'), table_name='sync_transfers')
    op.drop_table('sync_transfers')
