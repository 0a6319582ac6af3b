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
@click.option("--https-port", type=int, default=None,
              help="Also serve HTTPS on this port, with the centre's own certificate (default: HTTPS_PORT).")
@with_appcontext
def serve_command(host, port, threads, https_port):
    """Serve the platform with waitress, and over HTTPS with cheroot when asked."""
    from waitress import serve

    from lms.core.signals import server_starting
    from lms.site import server as site_server

    app = current_app._get_current_object()
    https_port = https_port or app.config.get("HTTPS_PORT") or None
    app.config.update(HTTP_PORT=port, HTTPS_PORT=https_port, SERVE_HOST=host)
    server_starting.send(app)
    https = None
    if https_port:
        try:
            https = site_server.HttpsServer(app, host, int(https_port), threads)
            https.start()
        except OSError as error:
            raise click.ClickException(f"cannot serve HTTPS on {host}:{https_port}: {error}") from None
    click.echo(f"serving with {threads} threads (Ctrl+C to stop) on:")
    site_server.announce(app, host, port, https_port)
    try:
        serve(app, host=host, port=port, threads=threads, ident="lms", clear_untrusted_proxy_headers=True)
    finally:
        if https:
            https.stop()
