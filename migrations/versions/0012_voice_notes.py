"""Voice notes on practical work and on mentors' reviews

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-12 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('submissions', 'reviews'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('voice_note', sa.String(length=80), nullable=True))
            batch_op.add_column(sa.Column('voice_seconds', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('voice_bytes', sa.Integer(), nullable=True))


def downgrade():
    for table in ('reviews', 'submissions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('voice_bytes')
            batch_op.drop_column('voice_seconds')
            batch_op.drop_column('voice_note')
