"""Every schema a centre may still run upgrades to the newest, keeping its accounts (SQLite and PostgreSQL)."""
from datetime import datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from lms.config import default_migrations_dir
from lms.extensions import db
from lms.operations import upgrade
from tests.conftest import mark_schema_changed
from tests.functional.test_cli import schema_differences

REVISIONS = [script.revision for script in reversed(list(ScriptDirectory(default_migrations_dir()).walk_revisions()))]


@pytest.fixture
def empty_database(app):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    mark_schema_changed()
    yield
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    mark_schema_changed()


@pytest.mark.parametrize("released", REVISIONS)
def test_a_centre_on_an_older_schema_upgrades_to_the_newest_and_keeps_its_accounts(app, empty_database, released):
    config = upgrade._alembic_config(app)
    command.upgrade(config, released)
    with db.engine.begin() as conn:
        conn.execute(db.text(
            "INSERT INTO users (id, username, display_name, password_hash, must_change_password, locale, active, "
            "created_at) VALUES (1, 'amina', 'Amina Diallo', 'x', :false, 'fr', :true, :now)"),
            {"false": False, "true": True, "now": datetime(2026, 11, 1)})
    command.upgrade(config, "head")
    assert upgrade.revision() == REVISIONS[-1] == upgrade.head_revision()
    assert schema_differences() == []
    with db.engine.connect() as conn:
        assert conn.execute(db.text("SELECT username FROM users")).scalar() == "amina"
