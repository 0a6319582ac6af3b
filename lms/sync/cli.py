"""`lms sync …`: enrolment codes and centres on the hub, registration, export and acknowledgements at a centre."""
import re
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.sync.keys import SyncError

sync_group = AppGroup("sync", help="Send this centre's records to the programme's hub, or receive them there.")


def init_app(app):
    app.cli.add_command(sync_group)


def _fail(where, error):
    """Print `file:line: message` (or `sync: message`), change nothing, exit 1."""
    db.session.rollback()
    line = getattr(error, "line", 1)
    click.echo(f"{where}:{line}: {error}" if where else f"sync: {error}", err=True)
    sys.exit(1)


@sync_group.command("enrol-code")
@click.option("--name", default="", help="The centre it is for, e.g. 'Thiès'.")
@click.option("--country", default="", help="Its country, two letters, e.g. SN.")
def enrol_code_command(name, country):
    """On the hub: make a one-time code a new centre registers with."""
    from lms.sync import inbox

    try:
        code = inbox.make_enrolment_code(name, country)
    except SyncError as error:
        _fail(None, error)
    db.session.commit()
    click.echo(code)
    click.echo(f"valid {inbox.CODE_DAYS} days, once; at the centre: lms sync register {code}", err=True)


@sync_group.command("register")
@click.argument("code")
@click.option("--name", default="", help="This centre's name as the hub will show it.")
@click.option("--country", default="", help="This centre's country, two letters, e.g. SN.")
def register_command(code, name, country):
    """At a centre: register with the hub whose admin gave you CODE."""
    from lms.sync import outbox

    try:
        registration = outbox.register(code, name, country)
    except SyncError as error:
        _fail(None, error)
    click.echo(f"registered as centre {registration['centre_id']} with hub {registration['hub']}; "
               "the first sync (lms sync now, or lms sync export --to FILE) completes the enrolment")


@sync_group.command("export")
@click.option("--to", "to", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The bundle file to write, e.g. on a USB stick.")
@click.option("--all", "everything", is_flag=True, help="Every record, even those the hub acknowledged.")
def export_command(to, everything):
    """At a centre: write every change the hub has not acknowledged to a signed bundle."""
    from lms.sync import outbox
    from lms.sync.lock import one_sync_at_a_time

    try:
        with one_sync_at_a_time("a USB export"):
            summary = outbox.export(to, everything=everything)
    except SyncError as error:
        _fail(None, error)
    except OSError as error:
        _fail(str(to), SyncError(f"cannot write the bundle ({error.strerror or error}); nothing was changed"))
    db.session.commit()
    click.echo(f"{to}: {summary['records']} records in {summary['chunks']} chunks, {summary['bytes']} bytes "
               f"(changes {summary['base'] + 1}..{summary['upto']})")


@sync_group.command("import")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ack", "ack", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the acknowledgement (default: next to the bundle, .ack).")
def import_command(bundle_file, ack):
    """On the hub: apply a centre's bundle and write the acknowledgement the centre imports."""
    from lms.sync import inbox

    ack = ack or bundle_file.with_name(bundle_file.name + ".ack")
    if not bundle_file.is_file():
        _fail(str(bundle_file), SyncError("no such file"))
    try:
        summary = inbox.import_bundle(bundle_file, ack_to=ack)
    except SyncError as error:
        _fail(str(bundle_file), error)
    except OSError as error:
        _fail(str(bundle_file), SyncError(f"cannot read or write ({error.strerror or error})"))
    click.echo(f"{bundle_file}: {summary['status']} from centre {summary['centre']}: {summary['records']} records, "
               f"{summary['applied']} new or changed, {summary['conflicts']} conflicts kept; "
               f"acknowledgement: {ack} ({summary['decisions']} decisions for the centre)")
    if summary["courses"]:
        from lms.sync import catalogue

        click.echo(f"courses for the centre in {catalogue.archives_folder(ack)}/: {', '.join(summary['courses'])} "
                   "(copy this folder with the acknowledgement)")


@sync_group.command("import-ack")
@click.argument("ack_file", type=click.Path(dir_okay=False, path_type=Path))
def import_ack_command(ack_file):
    """At a centre: record what the hub acknowledged, apply the programme's decisions and install the courses
    that came with it, so the next bundle carries only what is new."""
    from lms.sync import catalogue, client

    try:
        summary = client.import_acknowledgement(ack_file)
    except SyncError as error:
        _fail(str(ack_file), error)
    click.echo(f"{ack_file}: the hub holds this centre's changes up to {summary['mark']}")
    if summary["renumbered"]:
        click.echo(f"this centre was restored from an older backup: {summary['renumbered']} changes will be "
                   "sent again")
    if summary["stale"]:
        click.echo("this acknowledgement is older than one already imported: its decisions and courses are left "
                   "alone")
        return
    click.echo(f"{summary['decisions']} decisions of the programme applied")
    if summary["more"]:
        click.echo("the hub has more decisions for this centre: export and import again to bring them")
    if summary.get("catalogue"):
        click.echo(catalogue.describe(summary["catalogue"]))
    if summary["updates"]:
        click.echo("the hub has other versions of these paths: " + ", ".join(u["slug"] for u in summary["updates"]))


@sync_group.command("status")
def status_command():
    """Show this site's role, registration and what waits to be sent (centre) or each centre (hub)."""
    from lms.sync import inbox, keys, outbox

    try:
        role = keys.site_role()
        if role == "hub":
            click.echo(f"hub {inbox.hub_id()}")
            for centre in inbox.list_centres():
                state = "revoked" if centre.revoked_at else f"last sync {centre.last_sync_at or 'never'}"
                click.echo(f"  {centre.centre_id}  {centre.name or '-'}  changes up to {centre.acked_seq}  {state}")
            return
        registration = keys.registration()
        if not registration:
            click.echo("centre, not registered with a hub")
            return
        click.echo(f"centre {registration['centre_id']} ({registration.get('name') or '-'}), hub "
                   f"{registration['hub']}; acknowledged up to {outbox.acked_mark()}; "
                   f"{outbox.waiting()} counted changes waiting")
        from lms.sync import client

        state = client.status()
        click.echo(f"last sync over the internet: {state['last_success'] or 'never'} "
                   f"(hub address: {state['hub_url'] or 'none, SYNC_HUB_URL is not set'})")
        for error in state["errors"]:
            click.echo(f"  failed {error['at']:%Y-%m-%d %H:%M}: {error['message']}")
    except SyncError as error:
        _fail(None, error)


@sync_group.command("revoke")
@click.argument("centre_id")
def revoke_command(centre_id):
    """On the hub: refuse every future bundle from this centre."""
    from lms.sync import inbox

    try:
        centre = inbox.revoke_centre(centre_id)
    except SyncError as error:
        _fail(None, error)
    db.session.commit()
    click.echo(f"centre {centre.name or centre.centre_id} revoked")


@sync_group.command("conflicts")
def conflicts_command():
    """On the hub: list the losing versions of conflicting edits."""
    from lms.sync import inbox

    for conflict in inbox.list_conflicts():
        click.echo(f"{conflict.received_at:%Y-%m-%d %H:%M}  {conflict.kind} {conflict.public_id}  from "
                   f"{conflict.centre_id} (change {conflict.seq}): {conflict.reason}")


PERIOD = re.compile(r"^(\d+)\s*([smhd])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _period(text):
    match = PERIOD.match((text or "").strip().lower())
    if not match or int(match.group(1)) == 0:
        raise click.BadParameter("give a period such as 30m, 6h or 1d")
    return int(match.group(1)) * UNITS[match.group(2)]


@sync_group.command("now")
@click.option("--every", "every", default=None, help="Keep running and sync again after this period, e.g. 6h.")
def now_command(every):
    """At a centre: receive the programme's decisions from the hub (SYNC_HUB_URL), then send what it lacks."""
    from lms.sync import client

    if every:
        seconds = _period(every)
        click.echo(f"syncing now and every {every} (Ctrl+C stops)")
        client.run_every(seconds, echo=lambda text: click.echo(text, err=text.startswith("sync:")))
        return
    try:
        summary = client.sync_now()
    except SyncError as error:
        _fail(None, error)
    click.echo(client.describe(summary))
