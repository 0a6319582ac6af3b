"""Operations that change accounts. They take the actor and plain data; the caller commits."""
import re
import secrets

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts import throttle
from lms.accounts.models import ROLES, User, UserRole
from lms.core.codes import readable_code
from lms.core.database import utcnow
from lms.extensions import db

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,39}")
# Compared against when the username is unknown, so both cases cost one hash.
_DUMMY_HASH = None


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


class SignInRefused(Exception):
    """Sign-in is refused; wait_seconds > 0 when throttled."""

    def __init__(self, wait_seconds=0):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def hash_password(password):
    """Hash a password with the site's scrypt parameters."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


def normalise_username(username):
    return (username or "").strip().lower()


def get_user_by_username(username):
    return db.session.execute(
        db.select(User).filter_by(username=normalise_username(username))
    ).scalar_one_or_none()


def create_user(username, password, display_name=None, roles=("learner",), locale="fr", **profile):
    """Create an account; raise AccountError when the username is taken."""
    username = normalise_username(username)
    if get_user_by_username(username):
        raise AccountError("username_taken")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(f"unknown role: {', '.join(sorted(unknown))}")
    user = User(
        username=username,
        display_name=(display_name or username).strip(),
        password_hash=hash_password(password),
        locale=locale,
        **{k: (v or None) for k, v in profile.items()},
    )
    user.role_rows = [UserRole(role=role) for role in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username, password, address):
    """Return the user for these credentials, or raise SignInRefused."""
    global _DUMMY_HASH
    keys = [("account", normalise_username(username)), ("address", address or "unknown")]
    wait = throttle.seconds_to_wait(keys)
    if wait:
        raise SignInRefused(wait)
    user = get_user_by_username(username)
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password or "")
    if not ok or not user.active:
        throttle.record_failure(keys)
        raise SignInRefused(0)
    throttle.clear("account", keys[0][1])
    if _needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    return user


def _needs_rehash(password_hash):
    return not password_hash.startswith(current_app.config["PASSWORD_METHOD"] + "$")


def change_password(user, new_password):
    """Set a new password chosen by the user herself."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False


def can_manage(actor, target, visible=None):
    """Return True if actor may give target a one-time code: admins for anyone but
    themselves; trainers for learners (holding no other role) they can see.
    A caller that already knows the target is visible (a list of her own cohort) says so."""
    from lms.accounts import visibility

    if actor.id == target.id or not actor.active:
        return False
    if actor.has_role("admin"):
        return True
    if not (actor.has_role("trainer") and target.roles <= {"learner"}):
        return False
    return visible if visible is not None else visibility.can_see(actor, target)


def new_one_time_code():
    """A code such as K7M4-P9XR: easy to read off a sheet and type on a phone."""
    return readable_code(2)


def reset_password(actor, target):
    """Replace target's password with a one-time code and return the code."""
    if not can_manage(actor, target):
        raise AccountError("not_allowed")
    code = new_one_time_code()
    target.password_hash = hash_password(code)
    target.must_change_password = True
    throttle.clear("account", target.username)
    return code


def set_roles(actor, target, roles):
    """Give target exactly these roles; an admin cannot remove her own admin role."""
    roles = set(roles)
    if not actor.has_role("admin"):
        raise AccountError("not_allowed")
    if roles - set(ROLES):
        raise AccountError("unknown_role")
    if actor.id == target.id and "admin" not in roles:
        raise AccountError("cannot_remove_own_admin")
    current = {row.role: row for row in target.role_rows}
    for role in set(current) - roles:
        target.role_rows.remove(current[role])
    for role in roles - set(current):
        target.role_rows.append(UserRole(role=role))


def set_active(actor, target, active):
    """Deactivate or reactivate an account; nothing is deleted."""
    if not actor.has_role("admin"):
        raise AccountError("not_allowed")
    if actor.id == target.id and not active:
        raise AccountError("cannot_deactivate_self")
    target.active = active


def update_profile(user, **fields):
    """Change the user's own profile fields."""
    for name in ("display_name", "locale", "country", "organisation", "phone", "email"):
        if name in fields:
            value = fields[name]
            setattr(user, name, value.strip() if isinstance(value, str) and value.strip() else (value or None))
    if "save_data" in fields:
        user.save_data = bool(fields["save_data"])
    if not user.display_name:
        user.display_name = user.username
