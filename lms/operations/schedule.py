"""An optional daily backup made by `lms serve` itself (BACKUP_DAILY_AT = "02:30"), for centres without cron.

Several server processes may run: each wakes at the hour, and only one backs up (a lock
file, and no second backup when one was made in the last 20 hours).
"""
import fcntl
import threading
from datetime import datetime, timedelta

from lms.core.clock import trusted_now
from lms.operations import backup

MIN_GAP = timedelta(hours=20)


def parse_time_of_day(text):
    """Return (hour, minute) from "HH:MM", or raise ValueError."""
    hour, minute = (int(part) for part in str(text).strip().split(":"))
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(text)
    return hour, minute


def next_run(now, hour, minute):
    """Return the next local time at hour:minute after now."""
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


def start(app, **_extra):
    """Start the daily backup thread when BACKUP_DAILY_AT is set (connected to server_starting)."""
    setting = app.config.get("BACKUP_DAILY_AT")
    if not setting:
        return None
    try:
        hour, minute = parse_time_of_day(setting)
    except ValueError:
        app.logger.error("BACKUP_DAILY_AT must look like 02:30, not %r: no daily backup", setting)
        return None
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(app, hour, minute, stop), name="lms-daily-backup", daemon=True)
    thread.start()
    return stop


def _loop(app, hour, minute, stop):
    while not stop.wait(max(1.0, (next_run(datetime.now(), hour, minute) - datetime.now()).total_seconds())):
        run_once(app)


def run_once(app):
    """Make the day's backup unless another process holds the lock or made one recently; return it or None."""
    with app.app_context():
        folder = backup.backup_folder(app)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return None
            latest = backup.latest_backup(app)
            if latest and trusted_now() - latest.created_at < MIN_GAP:
                return None
            try:
                made = backup.make_backup(app=app)
            except Exception:  # the server keeps serving; the Backups page shows the backup is missing
                app.logger.exception("daily backup failed")
                return None
            finally:
                from lms.extensions import db

                db.session.remove()
            app.logger.info("daily backup: %s", made.path)
            return made
