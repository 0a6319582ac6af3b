"""Progress: each learner's progress summed per path, which the hub's programme reports count from

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-14 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('path_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('lessons_started', sa.Integer(), nullable=False),
    sa.Column('lessons_completed', sa.Integer(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_path_progress_path_id_learning_paths')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_path_progress_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'path_id', name=op.f('pk_path_progress'))
    )
    op.create_index(op.f('ix_path_progress_path_id'), 'path_progress', ['path_id'], unique=False)
    # Existing progress, summed once.
    op.execute("INSERT INTO path_progress (user_id, path_id, lessons_started, lessons_completed, last_activity_at) "
               "SELECT p.user_id, l.path_id, count(*), count(p.completed_at), max(p.last_activity_at) "
               "FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id WHERE l.retired_at IS NULL "
               "GROUP BY p.user_id, l.path_id")


def downgrade():
    op.drop_index(op.f('ix_path_progress_path_id'), table_name='path_progress')
    op.drop_table('path_progress')
