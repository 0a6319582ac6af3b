"""`lms reindex`: rebuild the search index from the database."""
import time

import click
from flask.cli import with_appcontext


@click.command("reindex")
@click.option("--if-stale", is_flag=True,
              help="Only if the index is missing, from an older version or behind the catalogue.")
@with_appcontext
def reindex_command(if_stale):
    """Rebuild the search index of the lessons."""
    from lms.search.index import for_app

    search_index = for_app()
    started = time.perf_counter()
    if if_stale:
        count = search_index.ensure_current()
        if count is None:
            click.echo("search index is current")
            return
    else:
        count = search_index.build()
    click.echo(f"search index: {count} lesson texts indexed in {time.perf_counter() - started:.1f} s")
