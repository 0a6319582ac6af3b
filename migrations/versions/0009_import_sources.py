"""Import sources: a path's source identity, its kept import warnings, notes for trainers only

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('import_warnings', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('trainer_notes', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trainer_html', sa.Text(), nullable=False, server_default=''))
    # Paths imported before: ours are known by their id, foreign ones by the folder they came from.
    op.execute("UPDATE learning_paths SET source_id = 'native:' || slug WHERE source_format = 'native'")
    op.execute("UPDATE learning_paths SET source_id = 'dir:' || source_dir WHERE source_format <> 'native'")


def downgrade():
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.drop_column('trainer_html')
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.drop_column('trainer_notes')
        batch_op.drop_column('import_warnings')
        batch_op.drop_column('source_id')
