"""The language a directory profile was written in (rendered as lang="…", like posts since 0016)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('directory_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('directory_profiles', schema=None) as batch_op:
        batch_op.drop_column('language')
