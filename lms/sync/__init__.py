"""Sync: a centre sends its records to a central hub, over the internet or on a USB stick (README: Many centres and a hub)."""


def init_app(app):
    # models and transfer hold tables of the schema
    from lms.sync import cli, models, programme_views, transfer, transfer_cli, views  # noqa: F401

    from lms.core.signals import backup_restored
    from lms.sync import outbox

    cli.init_app(app)
    backup_restored.connect(outbox.note_restore, app, weak=False)
    cli.sync_group.add_command(transfer_cli.transfer_group)
    app.register_blueprint(views.bp)
    app.register_blueprint(programme_views.bp)
