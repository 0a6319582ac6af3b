"""The signed token a downloaded path file carries: who may send progress from it, for which lessons, until when.

The file is opened from the phone's Downloads (file://) and posts to the server
from there: no session cookie comes along, so the token is the authority. It can
do one small thing — record this learner's progress in the lessons of this path —
and it ends: after `OFFLINE_FILE_TOKEN_DAYS`, when her account is deactivated, and
when she signs out of all devices or changes her password (a token issued before
`sessions_revoked_at` is void).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.accounts.models import User
from lms.extensions import db

SALT = "lms-offline-file"
DEFAULT_DAYS = 60


class TokenError(ValueError):
    """A token that gives no right; `reason` says why, for the page she sees."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "unreadable", "expired", "revoked", "inactive"


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: this learner, these lessons (by id) of this path."""

    user: User
    path_id: int
    lesson_ids: frozenset
    issued_at: datetime  # naive UTC, to the second


def lifetime():
    """Return how long a file's token is valid."""
    return timedelta(days=current_app.config.get("OFFLINE_FILE_TOKEN_DAYS", DEFAULT_DAYS))


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def issue_token(user, path, lessons):
    """Return a token letting this learner send progress in these lessons of this path."""
    return _serializer().dumps({"u": user.id, "p": path.id, "l": sorted(lesson.id for lesson in lessons)})


def expires_at(issued_at):
    """Return when a token issued at this moment (naive UTC) stops working."""
    return issued_at + lifetime()


def read_token(token):
    """Return the Grant a token gives, or raise TokenError."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        raise TokenError("unreadable")
    try:
        payload, signed_at = _serializer().loads(token, max_age=int(lifetime().total_seconds()),
                                                 return_timestamp=True)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:  # tampered, another site's key, or another kind of token of ours (another salt)
        raise TokenError("unreadable") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) \
            or not isinstance(payload.get("p"), int) or not isinstance(payload.get("l"), list):
        raise TokenError("unreadable")
    issued_at = signed_at.astimezone(timezone.utc).replace(tzinfo=None)
    user = db.session.get(User, payload["u"])
    if user is None or not user.active:
        raise TokenError("inactive")
    revoked = user.sessions_revoked_at
    # Tokens carry whole seconds: one issued in the second of the revocation counts as before it.
    if revoked is not None and issued_at <= revoked.replace(microsecond=0):
        raise TokenError("revoked")
    return Grant(user=user, path_id=payload["p"], lesson_ids=frozenset(payload["l"]), issued_at=issued_at)
