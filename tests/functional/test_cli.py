"""The shell side: `lms init` and `lms create-user`."""
import pytest
from sqlalchemy import inspect

from lms.accounts.models import User
from lms.extensions import db
from tests.conftest import mark_schema_changed


@pytest.fixture
def empty_database(app):
    """Drop every table, so the migrations start from nothing."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    mark_schema_changed()
    yield
    mark_schema_changed()


def schema_differences():
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)


def test_init_builds_the_schema_from_empty_and_matches_the_models(app, runner, empty_database):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "users" in inspect(db.engine).get_table_names()
    assert schema_differences() == []


def test_init_twice_changes_nothing(app, runner, empty_database):
    runner.invoke(args=["init"])
    with db.engine.connect() as conn:
        before = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == before
    assert schema_differences() == []


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(args=["create-user", "Amina", "--role", "admin", "--role", "trainer",
                                 "--password-stdin"], input="a strong password\n")
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(username="amina")).scalar_one()
    assert user.roles == {"admin", "trainer"}


def test_create_user_refuses_a_short_password_and_changes_nothing(app, runner):
    result = runner.invoke(args=["create-user", "amina", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert db.session.execute(db.select(User)).first() is None


def test_create_user_refuses_a_taken_name(app, runner, learner):
    result = runner.invoke(args=["create-user", "mariam", "--password-stdin"], input="a strong password\n")
    assert result.exit_code != 0 and "username_taken" in result.output
