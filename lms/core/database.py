"""Database engine settings and small model helpers shared by every domain."""
from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.extensions import db


def utcnow():
    """Return the current time as a naive UTC datetime (what we store)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def configure_sqlite(engine: Engine):
    """Turn on WAL, foreign keys and a busy timeout on every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def check_database():
    """Return (ok, detail) after a trivial round trip to the database."""
    try:
        db.session.execute(db.text("SELECT 1"))
        return True, db.engine.dialect.name
    except Exception as exc:  # health checks report, they never raise
        db.session.rollback()
        return False, exc.__class__.__name__
