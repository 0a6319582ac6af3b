"""The admin's Backups page, the clock banner and its Set the clock form."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user

from lms.accounts.guards import role_required
from lms.core.clock import clock_problem, trusted_now
from lms.core.database import utcnow
from lms.core.disk import DiskFullError, free_bytes, megabytes as _megabytes
from lms.operations import backup, clock, forms
from lms.operations.backup import BackupError

def megabytes(count):
    """Megabytes written as her language writes numbers: 82 307,4 in French, 82,307.4 in English."""
    return format_decimal(_megabytes(count))


bp = Blueprint("operations", __name__, url_prefix="/admin")

CLOCK_ERRORS = {
    "unreadable": lambda: _("Type the date and time as 2026-12-01 09:30."),
    "before_release": lambda: _("This time is before this version of the platform was made: check the year."),
    "behind_records": lambda: _("This time is before events the server has already received: check the date."),
    "too_late": lambda: _("This time is too far in the future: check the year."),
}


def init_app(app):
    app.register_blueprint(bp)
    app.context_processor(banners)


def banners():
    """Add the admin's banners to every page: a clock that cannot be right, a backup too old."""
    if not current_user.is_authenticated or not current_user.has_role("admin"):
        return {}
    found, context = [], {}
    problem, earliest = clock_problem()
    if problem and request.endpoint != "operations.set_clock":
        found.append("operations/_clock_banner.html")
        context.update(clock_problem=problem, clock_earliest=earliest, clock_now=utcnow(), clock_form=forms.SetClockForm(prefix="clock"))
    overdue = _backup_overdue_on_an_older_site()
    if overdue is not None and request.endpoint != "operations.list_backups":
        found.append("operations/_backup_banner.html")
        context["backup_overdue"] = overdue
    return {"site_banners": found, **context}


def _backup_overdue_on_an_older_site():
    """Return the age of the last backup when too old (-1: none), on a site older than the warning itself."""
    from lms.accounts.models import User
    from lms.extensions import db

    warn_days = int(current_app.config.get("BACKUP_WARN_DAYS", 7))
    now = trusted_now()
    overdue = backup_overdue(backup.latest_backup(), now, warn_days)
    if overdue is None:
        return None
    first = db.session.execute(db.select(db.func.min(User.created_at))).scalar()
    return overdue if first and (now - first).days >= warn_days else None


def backup_overdue(latest, now, warn_days):
    """Return the age in days when the last backup is too old (or there is none), else None."""
    if latest is None:
        return -1
    days = (now - latest.created_at).days
    return days if days >= warn_days else None


@bp.get("/backups")
@role_required("admin")
def list_backups():
    """The last backup, its size and age, a warning when it is old, and Back up now."""
    folder = backup.backup_folder()
    backups = backup.list_backups(folder)
    now = trusted_now()
    warn_days = int(current_app.config.get("BACKUP_WARN_DAYS", 7))
    latest = backups[0] if backups else None
    return render_template("operations/backups.html", backups=backups, latest=latest, now=now,
                           overdue=backup_overdue(latest, now, warn_days), warn_days=warn_days,
                           folder=folder, free_mb=megabytes(free_bytes(folder)), megabytes=megabytes,
                           daily_at=current_app.config.get("BACKUP_DAILY_AT"),
                           keep=current_app.config.get("BACKUP_KEEP", 7), form=forms.BackupNowForm())


@bp.post("/backups")
@role_required("admin")
def back_up_now():
    form = forms.BackupNowForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        made = backup.make_backup()
    except DiskFullError as error:
        flash(_("Not enough free space for a backup: %(needed)s MB needed, %(free)s MB free. "
                "Free some space or back up to a USB stick (lms backup --to).",
                needed=megabytes(error.needed), free=megabytes(error.free)), "error")
    except (BackupError, OSError) as error:
        current_app.logger.exception("backup failed")
        flash(_("The backup failed: %(error)s", error=str(error)), "error")
    else:
        flash(_("Backup made and checked: %(name)s (%(size)s MB).", name=made.name, size=megabytes(made.size)),
              "success")
    return redirect(url_for("operations.list_backups"))


@bp.get("/backups/<name>")
@role_required("admin")
def download_backup(name):
    """Download one archive, e.g. to keep a copy away from the centre."""
    if not backup.NAME.match(name):
        abort(404)
    path = backup.backup_folder() / name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/gzip", as_attachment=True, download_name=name)


@bp.route("/clock", methods=["GET", "POST"])
@role_required("admin")
def set_clock():
    """Set the machine's clock from a typed time or the phone's; without the right, show the command."""
    form = forms.SetClockForm(prefix="clock")
    command = done = None
    if form.validate_on_submit():
        try:
            moment = clock.to_utc(form.moment.data, form.offset.data)
            done, command = clock.set_system_clock(moment)
        except clock.ClockError as error:
            form.moment.errors.append(CLOCK_ERRORS[str(error)]())
        else:
            if done:
                flash(_("The clock is set."), "success")
                return redirect(url_for("operations.set_clock"))
    problem, earliest = clock_problem()
    return render_template("operations/clock.html", form=form, command=command, problem=problem,
                           earliest=earliest, server_time=trusted_now())
