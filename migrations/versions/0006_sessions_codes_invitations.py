"""Server-side sessions, one-time codes that work once, cohort invitations, PIN expiry

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sessions_revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_created_by_id_users'), 'users', ['created_by_id'], ['id'])
        batch_op.add_column(sa.Column('phone_tail', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_phone_tail'), ['phone_tail'], unique=False)
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('phone', sa.String), sa.column('phone_tail', sa.String))
    connection = op.get_bind()
    for user_id, phone in connection.execute(sa.select(users.c.id, users.c.phone).where(users.c.phone.is_not(None))).all():
        digits = "".join(c for c in phone if c.isdigit())
        if len(digits) >= 8:
            connection.execute(users.update().where(users.c.id == user_id).values(phone_tail=digits[-8:]))

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('one_time_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_one_time_codes_issued_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_codes')),
    sa.UniqueConstraint('public_id', name=op.f('uq_one_time_codes_public_id'))
    )
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_codes_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_invitations_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_cohort_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_invitations')),
    sa.UniqueConstraint('public_id', name=op.f('uq_cohort_invitations_public_id'))
    )
    with op.batch_alter_table('cohort_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_invitations_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_invitations_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_expires_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('pin_expires_at')
    op.drop_table('cohort_invitations')
    op.drop_table('one_time_codes')
    op.drop_table('user_sessions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_phone_tail'))
        batch_op.drop_column('phone_tail')
        batch_op.drop_constraint(batch_op.f('fk_users_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('sessions_revoked_at')
