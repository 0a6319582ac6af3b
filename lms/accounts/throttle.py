"""Slow down password and PIN guessing without ever locking a real user out for good.

After a number of failures inside a window, each further failure doubles a
waiting time (capped); the first success, or the end of the window, clears it.

Failures are counted with one atomic UPDATE (failures = failures + 1) rather than read,
add and write back in Python: parallel wrong attempts are each counted. The caller commits,
also when it refuses the attempt.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import case

from lms.accounts.models import SignInThrottle
from lms.core.database import insert_ignoring_duplicates, utcnow
from lms.extensions import db

LIMITS = {  # scope -> setting holding how many failures it allows per window
    "account-address": "THROTTLE_ACCOUNT_FAILURES",
    "account": "THROTTLE_ACCOUNT_TOTAL_FAILURES",
    "address": "THROTTLE_ADDRESS_FAILURES",
    "pin": "THROTTLE_ACCOUNT_FAILURES",
    "pin-cohort": "THROTTLE_COHORT_PIN_FAILURES",
    "password-change": "THROTTLE_ACCOUNT_FAILURES",
}


def _limit(scope):
    return current_app.config[LIMITS[scope]]


def _row(scope, key):
    return db.session.execute(
        db.select(SignInThrottle).filter_by(scope=scope, key=key[:120])).scalar_one_or_none()


def seconds_to_wait(keys):
    """Return how long the caller must wait before trying again, for (scope, key) pairs."""
    now = utcnow()
    wait = 0
    for scope, key in keys:
        row = _row(scope, key)
        if row and row.blocked_until and row.blocked_until > now:
            wait = max(wait, int((row.blocked_until - now).total_seconds()) + 1)
    return wait


def has_recent_failures(scope, key):
    """True when this key failed inside the current window."""
    row = _row(scope, key)
    window = timedelta(seconds=current_app.config["THROTTLE_WINDOW_SECONDS"])
    return bool(row and row.failures and utcnow() - row.window_started_at <= window)


def record_failure(keys):
    """Count a failed attempt against each (scope, key) pair, atomically."""
    now = utcnow()
    window_start = now - timedelta(seconds=current_app.config["THROTTLE_WINDOW_SECONDS"])
    cap = current_app.config["THROTTLE_MAX_WAIT_SECONDS"]
    table = SignInThrottle.__table__
    for scope, key in keys:
        key = key[:120]
        insert_ignoring_duplicates(table, [{"scope": scope, "key": key, "failures": 0, "window_started_at": now}],
                                   key=("scope", "key"))
        stale = table.c.window_started_at < window_start
        failures = db.session.execute(
            table.update().where(table.c.scope == scope, table.c.key == key).values(
                failures=case((stale, 1), else_=table.c.failures + 1),
                blocked_until=case((stale, None), else_=table.c.blocked_until),
                window_started_at=case((stale, now), else_=table.c.window_started_at))
            .returning(table.c.failures)).scalar_one()
        excess = failures - _limit(scope)
        if excess >= 0:
            until = now + timedelta(seconds=min(cap, 30 * 2 ** min(excess, 10)))
            db.session.execute(table.update().where(table.c.scope == scope, table.c.key == key)
                               .values(blocked_until=until))


def clear(scope, key):
    """Forget the failures of one key (after a successful sign-in)."""
    db.session.execute(db.delete(SignInThrottle).where(SignInThrottle.scope == scope,
                                                       SignInThrottle.key == key[:120]))
