"""Running a centre without a technician: backups and restores, upgrades, the service, the clock, disk space.

At the top of the house: an upgrade re-imports courses (catalogue) and re-indexes them (search),
and `lms status` prints the addresses (site). No domain imports it.
"""


def init_app(app):
    from lms.core.signals import server_starting
    from lms.operations import cli, schedule, views

    views.init_app(app)
    cli.init_app(app)
    server_starting.connect(schedule.start, app, weak=False)
