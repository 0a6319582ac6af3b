"""Set the machine's clock from the admin's page, or say the command to type when the server may not."""
import os
import shlex
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from lms.core.clock import TOLERANCE_SECONDS, forget_floor, newest_recorded, release_date

RUN = subprocess.run  # tests replace it: a test never sets the real clock
LATEST_YEAR = 2100


class ClockError(ValueError):
    """Why a time was refused ("unreadable", "before_release", "behind_records", "too_late")."""


def to_utc(text, offset_minutes=None):
    """Read the time typed (or filled in by the phone) as naive UTC.

    `offset_minutes` is the browser's getTimezoneOffset() (UTC minus local time); without it
    (no JavaScript), the time is read in the site's time zone (BABEL_DEFAULT_TIMEZONE).
    """
    try:
        moment = datetime.fromisoformat((text or "").strip().replace(" ", "T", 1))
    except ValueError:
        raise ClockError("unreadable") from None
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    if offset_minutes not in (None, ""):
        try:
            offset = int(offset_minutes)
        except (TypeError, ValueError):
            raise ClockError("unreadable") from None
        if abs(offset) > 16 * 60:
            raise ClockError("unreadable")
        return moment + timedelta(minutes=offset)
    try:
        zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    return moment.replace(tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def check_new_time(moment):
    """Refuse a time that is itself implausible: before this release, behind what the server holds, or absurd."""
    if moment < release_date():
        raise ClockError("before_release")
    newest = newest_recorded()
    if newest and (newest - moment).total_seconds() > TOLERANCE_SECONDS:
        raise ClockError("behind_records")
    if moment.year > LATEST_YEAR:
        raise ClockError("too_late")
    return moment


def command_for(moment):
    """Return the command that sets the system clock (UTC) to this time."""
    return ["date", "-u", "-s", moment.strftime("%Y-%m-%d %H:%M:%S")]


def can_set_clock():
    """Tell whether this process may set the clock itself: only as root, and unless CLOCK_SET_ALLOWED is false."""
    return (current_app.config.get("CLOCK_SET_ALLOWED", True) and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("date") is not None)


def set_system_clock(moment):
    """Set the clock when allowed; return (done, command): the command run, or the one she must type."""
    moment = check_new_time(moment)
    command = command_for(moment)
    if not can_set_clock():
        return False, "sudo " + shlex.join(command)
    done = RUN(command, capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        return False, "sudo " + shlex.join(command)
    if shutil.which("hwclock"):  # a board with a battery-backed clock keeps the time across power cuts
        RUN(["hwclock", "--systohc"], capture_output=True, text=True, timeout=10)
    forget_floor()
    return True, shlex.join(command)
