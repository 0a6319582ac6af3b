"""Community: circles, threads and posts, reports, blocks, weekly pairs, the directory, What's new; cohort sessions
and attendance

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('directory_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('business_name', sa.String(length=120), nullable=False),
    sa.Column('trade', sa.String(length=80), nullable=False),
    sa.Column('town', sa.String(length=80), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('offer', sa.String(length=500), nullable=False),
    sa.Column('looking_for', sa.String(length=500), nullable=False),
    sa.Column('help_with', sa.String(length=500), nullable=False),
    sa.Column('whatsapp', sa.String(length=32), nullable=True),
    sa.Column('photo', sa.String(length=80), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_directory_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_profiles')),
    sa.UniqueConstraint('public_id', name=op.f('uq_directory_profiles_public_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_directory_profiles_user_id'))
    )
    with op.batch_alter_table('directory_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_profiles_town'), ['town'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_profiles_trade'), ['trade'], unique=False)

    op.create_table('member_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_member_blocks_blocked_id_users')),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_member_blocks_blocker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_blocks')),
    sa.UniqueConstraint('blocker_id', 'blocked_id', name=op.f('uq_member_blocks_blocker_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_member_blocks_public_id'))
    )
    with op.batch_alter_table('member_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_blocks_blocked_id'), ['blocked_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_blocks_blocker_id'), ['blocker_id'], unique=False)

    op.create_table('whats_new_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_whats_new_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_whats_new_marks')),
    sa.UniqueConstraint('public_id', name=op.f('uq_whats_new_marks_public_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_whats_new_marks_user_id'))
    )
    op.create_table('circles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_circles_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circles')),
    sa.UniqueConstraint('public_id', name=op.f('uq_circles_public_id'))
    )
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circles_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('cohort_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=160), nullable=True),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('check_in_code', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_sessions_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohort_sessions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_sessions')),
    sa.UniqueConstraint('check_in_code', name=op.f('uq_cohort_sessions_check_in_code')),
    sa.UniqueConstraint('public_id', name=op.f('uq_cohort_sessions_public_id'))
    )
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_sessions_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendances_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['cohort_sessions.id'], name=op.f('fk_attendances_session_id_cohort_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendances_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('public_id', name=op.f('uq_attendances_public_id')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendances_session_id'))
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendances_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendances_user_id'), ['user_id'], unique=False)

    op.create_table('circle_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('pairing', sa.Boolean(), nullable=False),
    sa.Column('share_phone', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_members_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circle_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_members')),
    sa.UniqueConstraint('public_id', name=op.f('uq_circle_members_public_id'))
    )
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_members_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index('ix_circle_members_current', ['user_id', 'left_at'], unique=False)

    op.create_table('cohort_session_lessons',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_cohort_session_lessons_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['session_id'], ['cohort_sessions.id'], name=op.f('fk_cohort_session_lessons_session_id_cohort_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'lesson_id', name=op.f('pk_cohort_session_lessons'))
    )
    op.create_table('pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('week_of', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_pairs_circle_id_circles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairs')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pairs_public_id'))
    )
    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.create_index('ix_pairs_circle_week', ['circle_id', 'week_of'], unique=False)

    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=True),
    sa.Column('lesson_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_threads_author_id_users')),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_threads_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_threads_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_threads_lesson_id_lessons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads')),
    sa.UniqueConstraint('public_id', name=op.f('uq_threads_public_id'))
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_threads_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('ix_threads_lesson', ['lesson_id', 'cohort_id'], unique=False)

    op.create_table('pair_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('met_at', sa.DateTime(), nullable=True),
    sa.Column('learned', sa.String(length=280), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_pair_members_pair_id_pairs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pair_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_members')),
    sa.UniqueConstraint('pair_id', 'user_id', name=op.f('uq_pair_members_pair_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pair_members_public_id'))
    )
    with op.batch_alter_table('pair_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_members_pair_id'), ['pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_members_user_id'), ['user_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('photo', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('helpful_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_posts_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['reply_to_id'], ['posts.id'], name=op.f('fk_posts_reply_to_id_posts')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_posts_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('public_id', name=op.f('uq_posts_public_id'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_photo'), ['photo'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_reply_to_id'), ['reply_to_id'], unique=False)
        batch_op.create_index('ix_posts_thread', ['thread_id', 'created_at'], unique=False)

    op.create_table('post_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_reports_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_post_reports_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reports')),
    sa.UniqueConstraint('post_id', 'reporter_id', name=op.f('uq_post_reports_post_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_post_reports_public_id'))
    )
    with op.batch_alter_table('post_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_reports_post_id'), ['post_id'], unique=False)


def downgrade():
    with op.batch_alter_table('post_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_reports_post_id'))

    op.drop_table('post_reports')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread')
        batch_op.drop_index(batch_op.f('ix_posts_reply_to_id'))
        batch_op.drop_index(batch_op.f('ix_posts_photo'))
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))

    op.drop_table('posts')
    with op.batch_alter_table('pair_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_pair_members_pair_id'))

    op.drop_table('pair_members')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_lesson')
        batch_op.drop_index(batch_op.f('ix_threads_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_threads_circle_id'))

    op.drop_table('threads')
    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.drop_index('ix_pairs_circle_week')

    op.drop_table('pairs')
    op.drop_table('cohort_session_lessons')
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.drop_index('ix_circle_members_current')
        batch_op.drop_index(batch_op.f('ix_circle_members_circle_id'))

    op.drop_table('circle_members')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendances_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendances_session_id'))

    op.drop_table('attendances')
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_sessions_cohort_id'))

    op.drop_table('cohort_sessions')
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circles_cohort_id'))

    op.drop_table('circles')
    op.drop_table('whats_new_marks')
    with op.batch_alter_table('member_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_blocks_blocker_id'))
        batch_op.drop_index(batch_op.f('ix_member_blocks_blocked_id'))

    op.drop_table('member_blocks')
    with op.batch_alter_table('directory_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_profiles_trade'))
        batch_op.drop_index(batch_op.f('ix_directory_profiles_town'))

    op.drop_table('directory_profiles')
