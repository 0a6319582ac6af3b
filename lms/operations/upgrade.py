"""Upgrade a centre in one command: a backup first, then the migrations, all or nothing.

PostgreSQL runs every migration in one transaction, so a failure rolls them all back.
SQLite cannot roll back schema changes made through Python's driver, so the database
file is copied (online backup API) just before, and put back when a migration fails.
Either way the database is left as it was, and the message names the backup to restore.
"""
import shutil
from pathlib import Path

from flask import current_app

from lms.extensions import db
from lms.operations import backup


class UpgradeError(Exception):
    pass


def revision():
    """Return the database's current schema revision, or None before `lms init`."""
    from sqlalchemy import inspect

    try:
        if not inspect(db.engine).has_table("alembic_version"):
            return None
        return db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        db.session.rollback()


def head_revision(app=None):
    """Return the newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(app or current_app)).get_current_head()


def _alembic_config(app):
    from lms.core.migrations import init_migrations

    init_migrations(app)
    return app.extensions["migrate"].migrate.get_config(app.config["MIGRATIONS_DIR"])


def migrate(made):
    """Bring the schema to the newest revision; on failure leave it as it was and raise UpgradeError."""
    from alembic import command

    app = current_app._get_current_object()
    config = _alembic_config(app)
    kind = backup.database_kind(app)
    saved = None
    if kind == "sqlite":
        database = backup.sqlite_path(app)
        saved = Path(f"{database}.before-upgrade")
        saved.unlink(missing_ok=True)
        backup._sqlite_snapshot(database, saved)
    db.session.remove()
    try:
        command.upgrade(config, "head")
    except Exception as error:
        db.session.remove()
        db.engine.dispose()
        if saved is not None:
            _put_back(saved, backup.sqlite_path(app))
        raise UpgradeError(
            f"the migration failed ({error.__class__.__name__}: {error}); the database is as it was before. "
            f"Report this error; to go back to the state before the upgrade at any time: "
            f"lms restore --force {made.path}") from None
    finally:
        if saved is not None:
            saved.unlink(missing_ok=True)


def _put_back(saved, database):
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(saved, database)
