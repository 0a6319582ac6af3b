"""Path and module ids as long as lesson ids (120): the importer accepts ids up to 119 characters and makes ids of
folder names up to 100, which PostgreSQL refused in an 80-character column

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 09:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('learning_paths', 'modules'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('slug', existing_type=sa.String(length=80), type_=sa.String(length=120),
                                  existing_nullable=False)


def downgrade():
    for table in ('learning_paths', 'modules'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('slug', existing_type=sa.String(length=120), type_=sa.String(length=80),
                                  existing_nullable=False)
