"""A "now" that a machine without a battery-backed clock cannot drag back to 1970.

A Raspberry Pi forgets the time at power-off. Its clock may then read 1970, or
the moment it was last shut down. Every date the platform shows or keeps from
reports must come from `trusted_now()`: the clock, but never earlier than the
newest time the server itself has already recorded, nor than this release's
build date. Domains that record server times add a function returning their
newest one to RECORDED_TIMES (progress adds its events' `received_at`), so core
names no domain's table.
"""
import time
from datetime import datetime

from flask import current_app, has_app_context

from lms.core.database import utcnow

RECORDED_TIMES = []  # functions () -> the newest server time a domain holds (naive UTC), or None
FLOOR_SECONDS = 60  # how long the newest recorded time is trusted before it is read again
TOLERANCE_SECONDS = 600  # several processes and small NTP steps: behind by less than this is fine


def release_date():
    """Return the build date of this release as a naive UTC datetime: no clock may read earlier."""
    from lms import RELEASE_DATE

    return datetime.combine(RELEASE_DATE, datetime.min.time())


def newest_recorded():
    """Return the newest server time any domain has recorded, or None on an empty site."""
    found = []
    for source in RECORDED_TIMES:
        try:
            found.append(source())
        except Exception:  # noqa: BLE001 — a missing table (before `lms init`) must not break the clock
            from lms.extensions import db

            db.session.rollback()
    return max(filter(None, found), default=None)


def _floor():
    if not has_app_context():
        return release_date()
    cache = current_app.extensions.setdefault("lms.clock", {})
    if time.monotonic() - cache.get("read_at", -FLOOR_SECONDS) >= FLOOR_SECONDS:
        cache["newest"] = newest_recorded()
        cache["read_at"] = time.monotonic()
    return max(filter(None, (release_date(), cache.get("newest"))))


def forget_floor():
    """Read the newest recorded time again at the next call (after the clock was set, or a restore)."""
    if has_app_context():
        current_app.extensions.pop("lms.clock", None)


def trusted_now():
    """Return the current naive UTC time, never before what this server already recorded or its release."""
    return max(utcnow(), _floor())


def clock_problem(now=None):
    """Return why the system clock cannot be right ("before_release" or "behind_records"), or None.

    Also returns (as the second item) the earliest time the clock should show.
    """
    now = now or utcnow()
    if now < release_date():
        return "before_release", release_date()
    newest = newest_recorded()
    if newest and (newest - now).total_seconds() > TOLERANCE_SECONDS:
        return "behind_records", newest
    return None, None
