"""`lms backup`, `lms restore`, `lms upgrade`, `lms install-service`, `lms status`, `lms set-clock`."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.core.clock import clock_problem, trusted_now
from lms.core.disk import DiskFullError, megabytes


def init_app(app):
    for command in (backup_command, restore_command, upgrade_command, install_service_command, status_command,
                    set_clock_command):
        app.cli.add_command(command)


def fail(message):
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("backup")
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the archive to (e.g. a USB stick); default BACKUP_DIR or instance/backups.")
@click.option("--keep", type=click.IntRange(min=1), default=None, help="How many archives to keep there (BACKUP_KEEP).")
@with_appcontext
def backup_command(to, keep):
    """Back up the database and the instance files into one checked archive, while the server runs."""
    from lms.operations import backup

    try:
        made = backup.make_backup(to=to, keep=keep)
    except DiskFullError as error:
        fail(f"{error}. Nothing was written: free some space or use --to with another disk.")
    except (backup.BackupError, OSError) as error:
        fail(f"{error}. Nothing was written.")
    files = len(made.manifest["files"])
    click.echo(f"backup: {made.path} ({megabytes(made.size)} MB, {files} files, checked)")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an instance that already holds accounts "
                                            "(what it holds is moved to instance/replaced-<time>/).")
@with_appcontext
def restore_command(archive, force):
    """Restore a backup archive into this instance (stop the server first)."""
    from flask_migrate import upgrade as migrate_up

    from lms.core.migrations import init_migrations
    from lms.core.signals import backup_restored
    from lms.operations import restore

    try:
        done = restore.restore(archive, force=force)
    except DiskFullError as error:
        fail(f"{error}. Nothing was changed.")
    except (restore.BackupError, OSError) as error:
        fail(f"{error}. Nothing was changed.")
    click.echo(f"restored {done['database']} database and {done['files']} files from the backup of "
               f"{done['created_at']}")
    if done["replaced"]:
        click.echo(f"what this instance held before: {done['replaced']}")
    app = current_app._get_current_object()
    init_migrations(app)
    migrate_up(directory=app.config["MIGRATIONS_DIR"])  # a backup from an older release
    backup_restored.send(app, created_at=done["created_at"])
    click.echo("database schema up to date; the search index is rebuilt when the server starts "
               "(or now: lms reindex)")


@click.command("upgrade")
@click.option("--skip-courses", is_flag=True, help="Do not re-import courses/ after migrating.")
@click.pass_context
@with_appcontext
def upgrade_command(ctx, skip_courses):
    """Back up, apply the migrations (all or nothing), re-import changed courses and re-index."""
    from lms.catalogue.cli import import_courses_command
    from lms.operations import backup, upgrade
    from lms.search.cli import reindex_command

    before = upgrade.revision()
    head = upgrade.head_revision()
    try:
        made = backup.make_backup() if before is not None else None
    except (backup.BackupError, OSError) as error:
        fail(f"no backup could be made, so nothing was upgraded: {error}")
    if made:
        click.echo(f"backup first: {made.path}")
    if before == head:
        click.echo(f"database schema already at {head}")
    else:
        try:
            upgrade.migrate(made or _NoBackup())
        except upgrade.UpgradeError as error:
            fail(str(error))
        click.echo(f"database schema: {before or 'empty'} -> {head}")
    if not skip_courses:
        try:
            ctx.invoke(import_courses_command)
        except SystemExit as stop:
            if stop.code:
                fail("the courses did not import (see above); the platform runs with the courses it had")
    ctx.invoke(reindex_command, if_stale=True)
    click.echo("upgrade done: restart the server (sudo systemctl restart lms)")


class _NoBackup:
    path = "(no backup: the database was empty)"


@click.command("install-service")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--https-port", type=int, default=None, help="Also serve HTTPS (default: HTTPS_PORT).")
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--user", default=None, help="Account that runs the server (default: the one who ran sudo).")
@click.option("--print", "print_only", is_flag=True, help="Only print the unit.")
@with_appcontext
def install_service_command(host, port, https_port, threads, user, print_only):
    """Write and enable a systemd unit that keeps the platform running (or print it when not root)."""
    from lms.operations import service

    app = current_app._get_current_object()
    https_port = https_port or app.config.get("HTTPS_PORT")
    text = service.render_unit(user or service.default_user(), Path(app.root_path).parent, host, port, https_port,
                               threads, instance_path=app.instance_path)
    if print_only or not service.can_install():
        if not print_only:
            reason = "not root" if not _is_root() else "systemd does not run this machine"
            click.echo(f"# {reason}: save this as {service.UNIT_PATH}, then run "
                       f"sudo systemctl daemon-reload && sudo systemctl enable --now lms", err=True)
        click.echo(text, nl=False)
        return
    try:
        service.install_unit(text)
    except OSError as error:
        fail(str(error))
    click.echo(f"installed {service.UNIT_PATH}; the service is enabled and started")
    from lms.site.addresses import listening_urls

    for url in listening_urls("http", host, port) + (listening_urls("https", host, https_port) if https_port else []):
        click.echo(f"  {url}")


def _is_root():
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


@click.command("status")
@click.option("--host", default="0.0.0.0", show_default=True, help="The address the server was started with.")
@click.option("--port", default=None, type=int, help="Its HTTP port (default: 8080 under systemd, else 5000).")
@click.option("--https-port", type=int, default=None)
@with_appcontext
def status_command(host, port, https_port):
    """Say whether the platform runs, where, with what database, index, disk space and last backup."""
    from lms.operations import service

    state = service.status(host, port or (8080 if service.service_state() else 5000), https_port)
    service_text = state["service"] or "no systemd service"
    click.echo(f"service: {service_text}; {'answering' if state['answering'] else 'not answering'} "
               f"at {state['local_url']}")
    click.echo("addresses:")
    for url in state["addresses"]:
        click.echo(f"  {url}")
    click.echo(f"database: {state['database']}")
    click.echo(f"search index: {state['search_index']}")
    click.echo(f"instance: {state['instance']} ({state['free_mb']} MB free)")
    latest = state["last_backup"]
    if latest:
        days = (trusted_now() - latest.created_at).days
        click.echo(f"last backup: {latest.path} ({megabytes(latest.size)} MB, {days} days old)")
    else:
        click.echo(f"last backup: none in {state['backup_folder']} (run lms backup)")
    problem, earliest = clock_problem()
    if problem:
        click.echo(f"clock: WRONG, it must be at least {earliest:%Y-%m-%d %H:%M} UTC (lms set-clock)")


@click.command("set-clock")
@click.argument("moment")
@with_appcontext
def set_clock_command(moment):
    """Set the system clock to MOMENT (UTC, e.g. "2026-12-01 09:30"), or print the command to run."""
    from lms.operations import clock

    try:
        done, command = clock.set_system_clock(clock.to_utc(moment, 0))
    except clock.ClockError as error:
        fail(f"{moment}: {error}")
    click.echo(f"clock set: {command}" if done else f"not allowed to set the clock; run: {command}")
