"""Public ids and origin centres on every record the programme needs (lms.sync)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12 10:00:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('users', 'cohorts', 'memberships', 'mentor_assignments', 'trainer_certifications', 'quiz_attempts',
          'certificates', 'submissions', 'reviews')


def upgrade():
    for table in TABLES:
        # Nullable and added in place (no table rebuild on SQLite); every row gets its id just below.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('public_id', sa.String(length=36), nullable=True))
            batch_op.add_column(sa.Column('origin', sa.String(length=36), nullable=True))
        _backfill(table)
        op.create_index(op.f(f'ix_{table}_public_id'), table, ['public_id'], unique=True)
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=36), nullable=True))


def _backfill(table):
    """Give each existing row a UUID, in batches so a large centre's memory stays bounded."""
    connection = op.get_bind()
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    while True:
        ids = connection.execute(sa.select(rows.c.id).where(rows.c.public_id.is_(None)).limit(1000)).scalars().all()
        if not ids:
            return
        connection.execute(sa.update(rows).where(rows.c.id == sa.bindparam('row_id')).values(
            public_id=sa.bindparam('new_id')), [{'row_id': i, 'new_id': str(uuid.uuid4())} for i in ids])


def downgrade():
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.drop_column('origin')
    for table in reversed(TABLES):
        op.drop_index(op.f(f'ix_{table}_public_id'), table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('origin')
            batch_op.drop_column('public_id')
