"""`lms import-courses`: validate course folders, then publish them in one transaction."""
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError

from lms.catalogue.media import media_folder
from lms.core.disk import DiskFullError, ensure_free_space
from lms.extensions import db


def database_problem():
    """Say what to do when the database is not ready for an import (no tables yet), else None."""
    from lms.catalogue.models import LearningPath, LessonText

    try:
        tables = inspect(db.engine)
        ready = all(tables.has_table(model.__tablename__) for model in (LearningPath, LessonText))
    except DatabaseError as exc:
        return f"error: the database cannot be opened ({exc.orig}): check DATABASE_URL"
    if not ready:
        return "error: the database has no tables yet: run `lms init` first, then import again"
    return None


def default_course_dirs(app):
    dirs = app.config.get("COURSES_DIRS")
    return [Path(d) for d in dirs] if dirs else [Path(app.root_path).parent / "courses"]


@click.command("import-courses")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only validate; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--as", "path_id", metavar="ID", help="Import a foreign folder as the path with this id.")
@click.option("--replace", is_flag=True, help="Let these folders replace paths that came from another source.")
@with_appcontext
def import_courses_command(dirs, check, as_json, path_id, replace):
    """Import learning paths from DIRS (default: courses/)."""
    from lms.catalogue.importer import commit_import, import_courses  # Markdown, YAML and Pillow load only here

    app = current_app._get_current_object()
    problem = database_problem()
    if problem:
        click.echo(problem, err=True)
        sys.exit(1)
    dirs = list(dirs) or default_course_dirs(app)
    if not check:
        try:  # images and files are copied into instance/media: refuse before the first one
            ensure_free_space(media_folder(app), sum(p.stat().st_size for d in dirs if d.is_dir()
                                                     for p in d.rglob("*") if p.is_file()))
        except DiskFullError as error:
            click.echo(f"error: {error}: nothing was imported", err=True)
            sys.exit(1)
    try:
        result = import_courses(dirs, media_folder(app), dry_run=check,
                                languages=tuple(app.config["LANGUAGES"]), path_id=path_id, replace=replace)
    except DatabaseError as exc:  # a schema older than the code: a column or table is missing
        db.session.rollback()
        click.echo(f"error: the database does not match this version ({exc.orig}): run `lms init` to bring it "
                   "up to date: nothing was imported", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug of ours: still no traceback for the trainer, and nothing half done
        db.session.rollback()
        click.echo(f"error: the import stopped on an unexpected problem ({type(exc).__name__}: {exc}): nothing was "
                   "imported; please report it with the folder that caused it", err=True)
        sys.exit(1)
    if check or not result.ok:
        db.session.rollback()
        if result.media:
            result.media.discard()
    else:
        commit_import(result, app)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif result.ok:
        s = result.summary
        click.echo(f"{len(result.paths)} paths, {sum(len(p['lessons']) for p in result.paths)} lessons: "
                   f"{s['added']} added, {s['updated']} updated, {s['unchanged']} unchanged, {s['retired']} retired"
                   + (" (check only: nothing changed)" if check else ""))
        for slug, plan in result.plan.items():
            if any(plan.values()):
                click.echo(f"  {slug}: " + "; ".join(f"{what} {len(ids)} ({', '.join(ids[:12])}"
                                                       f"{', …' if len(ids) > 12 else ''})"
                                                       for what, ids in plan.items() if ids))
    if not result.ok:
        click.echo(f"{len(result.problems.errors)} error(s): nothing was imported.", err=True)
        sys.exit(1)
