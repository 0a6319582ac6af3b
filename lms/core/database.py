"""Database engine settings and small model helpers shared by every domain."""
import uuid
from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.extensions import db


def utcnow():
    """Return the current time as a naive UTC datetime (what we store)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_public_id():
    """A UUID for records the programme needs: centres will sync them to a hub, so ids must not collide."""
    return str(uuid.uuid4())


REPLACEMENT = "\ufffd"  # what a decoder puts for bytes that are not text: no lookup or row ever matches it by chance


def configure_engine(engine: Engine):
    """Make every bound text free of NUL; on SQLite, turn on WAL, foreign keys and a busy timeout."""
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _without_nul(_conn, _cursor, statement, parameters, _context, executemany):
    """Replace NUL in bound strings by U+FFFD, on both databases.

    PostgreSQL refuses NUL in any text parameter, so a fuzzer's %00 in a search, a
    sign-in name or an API field would be a 500 there and a harmless miss on SQLite.
    No person types a NUL; the replacement character keeps the rest of her text.
    """
    if executemany and isinstance(parameters, (list, tuple)) and parameters \
            and isinstance(parameters[0], (dict, list, tuple)):  # insertmanyvalues passes one dict per batch
        return statement, [_clean(row) for row in parameters]
    return statement, _clean(parameters)


def _clean(parameters):
    if isinstance(parameters, dict):
        if any(isinstance(v, str) and "\x00" in v for v in parameters.values()):
            return {k: v.replace("\x00", REPLACEMENT) if isinstance(v, str) else v for k, v in parameters.items()}
        return parameters
    if isinstance(parameters, (list, tuple)):
        if any(isinstance(v, str) and "\x00" in v for v in parameters):
            return type(parameters)(v.replace("\x00", REPLACEMENT) if isinstance(v, str) else v for v in parameters)
    return parameters


def _configure_sqlite(engine: Engine):
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


def insert_ignoring_duplicates(table, rows, key=None):
    """Insert rows, skipping those whose key already exists; return the keys inserted.

    One statement on both SQLite and PostgreSQL (INSERT … ON CONFLICT DO NOTHING),
    so that two processes storing the same event never both succeed.
    """
    if not rows:
        return set()
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    key = key or tuple(c.name for c in table.primary_key.columns)
    statement = insert(table).values(rows).on_conflict_do_nothing(index_elements=list(key))
    returned = [c for c in key]
    inserted = db.session.execute(statement.returning(*[table.c[name] for name in returned])).all()
    return {row[0] if len(returned) == 1 else tuple(row) for row in inserted}
