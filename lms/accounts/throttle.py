"""Slow down password guessing without ever locking a real user out for good.

After a number of failures inside a window, each further failure doubles a
waiting time (capped); the first success, or the end of the window, clears it.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import SignInThrottle
from lms.core.database import utcnow
from lms.extensions import db


def _limit(scope):
    config = current_app.config
    return config["THROTTLE_ADDRESS_FAILURES"] if scope == "address" else config["THROTTLE_ACCOUNT_FAILURES"]


def _get(scope, key):
    return db.session.execute(
        db.select(SignInThrottle).filter_by(scope=scope, key=key[:120])
    ).scalar_one_or_none()


def seconds_to_wait(keys):
    """Return how long the caller must wait before trying again, for (scope, key) pairs."""
    now = utcnow()
    wait = 0
    for scope, key in keys:
        row = _get(scope, key)
        if row and row.blocked_until and row.blocked_until > now:
            wait = max(wait, int((row.blocked_until - now).total_seconds()) + 1)
    return wait


def record_failure(keys):
    """Count a failed attempt against each (scope, key) pair."""
    now = utcnow()
    window = timedelta(seconds=current_app.config["THROTTLE_WINDOW_SECONDS"])
    cap = current_app.config["THROTTLE_MAX_WAIT_SECONDS"]
    for scope, key in keys:
        row = _get(scope, key)
        if row is None:
            row = SignInThrottle(scope=scope, key=key[:120], failures=0, window_started_at=now)
            db.session.add(row)
            try:
                db.session.flush()
            except IntegrityError:  # another process created it meanwhile
                db.session.rollback()
                row = _get(scope, key)
        if now - row.window_started_at > window:
            row.failures, row.window_started_at, row.blocked_until = 0, now, None
        row.failures += 1
        excess = row.failures - _limit(scope)
        if excess >= 0:
            row.blocked_until = now + timedelta(seconds=min(cap, 30 * 2 ** min(excess, 10)))
    db.session.flush()


def clear(scope, key):
    """Forget the failures of one key (after a successful sign-in)."""
    row = _get(scope, key)
    if row:
        db.session.delete(row)
