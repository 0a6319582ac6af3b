"""The `lms` command: a Flask CLI group over the app factory, plus init and serve."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext


def init_app(app):
    from lms.demo import demo_command

    from lms.core.migrations import db_command

    app.cli.add_command(db_command)
    app.cli.add_command(init_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(demo_command)


@click.group(cls=FlaskGroup, create_app=lambda: __import__("lms").create_app())
def main():
    """Manage the learning platform."""


@click.command("init")
@with_appcontext
def init_command():
    """Create the instance folder and bring the database schema up to date."""
    from flask_migrate import upgrade

    from lms.core.migrations import init_migrations

    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    init_migrations(current_app._get_current_object())
    upgrade(directory=current_app.config["MIGRATIONS_DIR"])
    click.echo(f"instance: {current_app.instance_path}")
    click.echo("database schema up to date")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host, port, threads):
    """Serve the platform with waitress."""
    from waitress import serve

    from lms.core.signals import server_starting
    server_starting.send(current_app._get_current_object())
    click.echo(f"serving on http://{host}:{port}/ with {threads} threads (Ctrl+C to stop)")
    serve(current_app._get_current_object(), host=host, port=port, threads=threads,
          ident="lms", clear_untrusted_proxy_headers=True)
