"""Flask-Migrate, loaded only by the commands that change the schema.

Importing it brings in Alembic, Mako and Pygments: 11 MB that a serving process
never uses, on a machine where memory is budgeted.
"""
import click
from flask.cli import ScriptInfo

from lms.extensions import db


def init_migrations(app):
    """Attach Flask-Migrate to the app, once."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True, compare_type=True)


@click.command("db", add_help_option=False,
               context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def db_command(ctx):
    """Perform database migrations (Flask-Migrate)."""
    from flask_migrate.cli import db as migrate_group

    init_migrations(ctx.ensure_object(ScriptInfo).load_app())
    return migrate_group.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj, standalone_mode=False)
