"""Server-side sessions, so that signing out really ends a session, everywhere it was copied.

The signed session cookie and the "Stay signed in" cookie both carry `<user id>:<token>`
(Flask-Login stores `User.get_id()` in them). Only a hash of the token is stored here, and
every request checks that its row is still open: ending the row voids every copy of both
cookies at once. Sign-out ends this browser's row; a password change or a one-time code
ends the others; *Sign out of all devices* and deactivation end them all.
"""
import hashlib
import secrets

from lms.accounts.models import User, UserSession
from lms.core.database import utcnow
from lms.extensions import db

KINDS = ("password", "code", "pin")


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(user, kind="password", remember=False):
    """Open a session for this user and make `user.get_id()` name it; the caller commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    token = secrets.token_urlsafe(24)
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id, kind=kind, remember=bool(remember)))
    user.session_token, user.session_kind = token, kind
    return token


def load(session_id):
    """Return the active user of an open session named `<user id>:<token>`, or None."""
    user_id, _, token = str(session_id).partition(":")
    if not (user_id.isdigit() and token) or len(token) > 64:
        return None
    row = db.session.execute(
        db.select(UserSession).join(User).where(UserSession.token_hash == _hash(token),
                                                UserSession.ended_at.is_(None), User.id == int(user_id))
    ).scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    row.user.session_token, row.user.session_kind = token, row.kind
    return row.user


def end(user):
    """End the session this user's request came with."""
    if user.session_token:
        db.session.execute(db.update(UserSession).where(UserSession.token_hash == _hash(user.session_token))
                           .values(ended_at=utcnow()))


def end_others(user):
    """End every session of this user but the current one (after a password change or a one-time code)."""
    query = db.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if user.session_token:
        query = query.where(UserSession.token_hash != _hash(user.session_token))
    db.session.execute(query.values(ended_at=utcnow()))


def end_all(user):
    """Sign the user out everywhere, and void what was issued to her before now (offline-file tokens)."""
    now = utcnow()
    db.session.execute(db.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=now))
    user.sessions_revoked_at = now


def count_open(user):
    return db.session.scalar(db.select(db.func.count(UserSession.id))
                             .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None)))
