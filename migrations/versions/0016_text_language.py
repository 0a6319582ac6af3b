"""The language a person wrote in: practical work, mentors' feedback and notes, posts (rendered as lang="…")

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TABLES = ('submissions', 'reviews', 'mentoring_notes', 'posts')


def upgrade():
    # Rows written before this revision keep no language: nobody recorded it, so nothing is guessed.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
