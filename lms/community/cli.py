"""`lms community …`: the weekly pairs made by the centre itself, from a daily timer."""
import sys
from datetime import date

import click
from flask.cli import AppGroup

from lms.extensions import db

community_group = AppGroup("community", help="Peer circles: make this week's pairs without a trainer's button.")


def init_app(app):
    app.cli.add_command(community_group)


@community_group.command("make-pairs")
@click.option("--day", default="", metavar="YYYY-MM-DD", help="Pair the week holding this day (today by default).")
def make_pairs_command(day):
    """Pair every circle of every open cohort for this week; circles already paired keep their pairs."""
    from lms.community import circles

    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        click.echo(f"make-pairs:1: --day must be a date such as 2026-03-02, not {day!r}", err=True)
        sys.exit(1)
    made = circles.make_all_week_pairs(when)
    db.session.commit()
    week = circles.week_of(when)
    for cohort, pairs in made.items():
        if pairs:
            click.echo(f"{cohort.name}: {len(pairs)} pairs for the week of {week.isoformat()}")
    click.echo(f"{sum(len(pairs) for pairs in made.values())} new pairs; circles already paired kept theirs", err=True)
