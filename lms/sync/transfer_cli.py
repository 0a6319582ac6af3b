"""`lms sync transfer …`: move a learner's account from one centre to another through the hub."""
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.sync.cli import _fail
from lms.sync.keys import SyncError

transfer_group = AppGroup("transfer", help="Move a learner's account and history from one centre to another.")


@transfer_group.command("decide")
@click.argument("who")
@click.option("--to", "to", required=True, help="The centre she moves to (its id or its name).")
@click.option("--by", "by", default="", help="Who decided it, for the record.")
def decide_command(who, to, by):
    """On the hub: move WHO (username or public id) to another centre."""
    from lms.sync import transfer

    try:
        decided = transfer.decide(who, to, by)
    except SyncError as error:
        _fail(None, error)
    db.session.commit()
    click.echo(f"transfer {decided.public_id}: {decided.username} moves from centre {decided.from_centre} to "
               f"{decided.to_centre}; give each centre its file: lms sync transfer export --centre ID --to FILE")


@transfer_group.command("export")
@click.option("--centre", "centre", required=True, help="The centre the file is for (its id or its name).")
@click.option("--to", "to", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write, e.g. on a USB stick.")
def export_command(centre, to):
    """On the hub: write the signed file of the transfers that concern a centre."""
    from lms.sync import transfer

    try:
        count = transfer.export_for(centre, to)
    except SyncError as error:
        _fail(None, error)
    except OSError as error:
        _fail(str(to), SyncError(f"cannot write the file ({error.strerror or error})"))
    click.echo(f"{to}: {count} transfers")


@transfer_group.command("import")
@click.argument("transfer_file", type=click.Path(dir_okay=False, path_type=Path))
def import_command(transfer_file):
    """At a centre: apply the hub's transfers (accounts arriving or leaving); applying twice changes nothing."""
    from lms.sync import transfer

    if not transfer_file.is_file():
        _fail(str(transfer_file), SyncError("no such file"))
    try:
        summary = transfer.apply_file(transfer_file)
    except SyncError as error:
        _fail(str(transfer_file), error)
    click.echo(f"{transfer_file}: {summary['moved_in']} accounts arrived ({summary['records']} records, "
               f"{summary['left_behind']} left at the hub), {summary['moved_out']} left, "
               f"{summary['already']} already applied")


@transfer_group.command("list")
def list_command():
    """List the transfers decided (hub) or applied (centre)."""
    from lms.sync import transfer

    for item in transfer.list_transfers():
        state = f"applied {item.applied_at:%Y-%m-%d}" if item.applied_at else "decided"
        click.echo(f"{item.decided_at:%Y-%m-%d}  {item.username}  {item.from_centre} -> {item.to_centre}  {state}"
                   f"{'  ' + item.detail if item.detail else ''}")
