"""Voice notes on posts (circles, cohort conversations, questions on lessons) and lessons read aloud

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-15 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voice_note', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('voice_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voice_bytes', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_posts_voice_note'), ['voice_note'], unique=False)
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audio', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.drop_column('audio')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_voice_note'))
        batch_op.drop_column('voice_bytes')
        batch_op.drop_column('voice_seconds')
        batch_op.drop_column('voice_note')
