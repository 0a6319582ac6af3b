"""Operations that change accounts. They take the actor and plain data; the caller commits."""
import re
import secrets
from datetime import timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts import sessions, throttle
from lms.accounts.models import ROLES, OneTimeCode, User, UserRole, phone_tail
from lms.core.codes import readable_code
from lms.core.database import utcnow
from lms.extensions import db

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,39}")
# Compared against when the username is unknown, so both cases cost one hash.
_DUMMY_HASH = None


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


PHONE_SHARERS = 4  # the accounts a sign-in by phone number tries: each costs one password check


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


def sign_in_keys(username, address):
    """The throttle keys of a password sign-in: this account from this address, and this address."""
    username, address = normalise_username(username), address or "unknown"
    return [("account-address", f"{username}|{address}"), ("address", address)]


def authenticate(username, password, address):
    """Return (user, how) for these credentials — how is "password" or "code" — or raise SignInRefused.

    Guessing is counted per account *and address*, so that nobody can lock the real owner out from
    another device; failures on one account from many addresses block it too, but only for
    addresses that failed on it themselves.
    """
    global _DUMMY_HASH
    keys = sign_in_keys(username, address)
    account_key = ("account", normalise_username(username))
    wait = throttle.seconds_to_wait(keys)
    if not wait and throttle.has_recent_failures(*keys[0]):
        wait = throttle.seconds_to_wait([account_key])
    if wait:
        raise SignInRefused(wait)
    named = get_user_by_username(username)
    candidates = [named] if named else users_by_phone(username)
    user, how = (candidates or [None])[0], None
    if not candidates:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
    # Sisters may share one phone: by the number, the one account whose password it is signs in (never one
    # of two with the same password), else the one whose one-time code it is.
    matching = [c for c in candidates if check_password_hash(c.password_hash, password or "")]
    if len(matching) == 1:
        user, how = matching[0], "password"
    elif not matching:
        for candidate in candidates:
            if _use_one_time_code(candidate, password):
                user, how = candidate, "code"
                break
    if how is None or not user.active:
        throttle.record_failure(keys + [account_key])
        raise SignInRefused(0)
    throttle.clear(*keys[0])
    if how == "password" and _needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    return user, how


def create_account_with_code(actor, username, roles, **profile):
    """An admin creates an account of any roles; return (user, one-time code for its first sign-in)."""
    if not actor.has_role("admin"):
        raise AccountError("not_allowed")
    user = create_user(username, secrets.token_urlsafe(24), roles=roles, created_by_id=actor.id, **profile)
    return user, reset_password(actor, user)


def get_user_by_phone(text):
    """Return the one account with this phone number, typed with or without spaces or country code;
    None when no account or several have it."""
    found = users_by_phone(text, limit=2)
    return found[0] if len(found) == 1 else None


def users_by_phone(text, limit=PHONE_SHARERS):
    """The accounts with this phone number (a family may share one phone), oldest first, at most `limit`."""
    tail = phone_tail(text)
    if tail is None or re.search(r"[^\d\s+().-]", text):
        return []
    return db.session.execute(db.select(User).filter_by(phone_tail=tail).order_by(User.id).limit(limit)).scalars().all()


def _needs_rehash(password_hash):
    return not password_hash.startswith(current_app.config["PASSWORD_METHOD"] + "$")


def change_password(user, new_password):
    """Set a new password chosen by the user herself; her other sessions end."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    sessions.end_others(user)


def check_current_password(user, password, address):
    """Return True when `password` is hers; wrong guesses are throttled like sign-in attempts."""
    key = [("password-change", str(user.id))]
    if throttle.seconds_to_wait(key):
        raise SignInRefused(throttle.seconds_to_wait(key))
    if check_password_hash(user.password_hash, password or ""):
        throttle.clear(*key[0])
        return True
    throttle.record_failure(key)
    return False


def can_manage(actor, target, visible=None):
    """Return True if actor may give target a one-time code: admins for anyone but themselves;
    trainers only for learner-only accounts that are current members of one of their cohorts
    (rules added by the cohorts domain to MANAGERS). `visible` is kept for callers that list
    their own cohort's learners and already know."""
    if actor.id == target.id or not actor.active:
        return False
    if actor.has_role("admin"):
        return True
    if not (actor.has_role("trainer") and target.learner_only) or actor.session_kind == "pin":
        return False
    if visible is not None:
        return visible
    return any(rule(actor, target) for rule in MANAGERS)


# Rules (actor, target) -> bool from higher domains: who, besides admins, manages an account.
MANAGERS = []


def normalise_code(code):
    """Codes are read off a sheet: any case, with or without the dash or spaces."""
    return re.sub(r"[\s-]", "", code or "").upper()


def new_one_time_code():
    """A code such as K7M4-P9XR: easy to read off a sheet and type on a phone."""
    return readable_code(2)


def reset_password(actor, target):
    """Give target a one-time code and return it. Her password keeps working until the code is
    used; the code works once, expires, and who gave it when is kept."""
    if not can_manage(actor, target):
        raise AccountError("not_allowed")
    now = utcnow()
    db.session.execute(db.update(OneTimeCode).where(OneTimeCode.user_id == target.id, OneTimeCode.used_at.is_(None),
                                                    OneTimeCode.voided_at.is_(None)).values(voided_at=now))
    code = new_one_time_code()
    db.session.add(OneTimeCode(user_id=target.id, issued_by_id=actor.id, code_hash=hash_password(normalise_code(code)),
                               issued_at=now, expires_at=now + timedelta(days=current_app.config["ONE_TIME_CODE_DAYS"])))
    return code


def last_one_time_code(target):
    return db.session.execute(db.select(OneTimeCode).filter_by(user_id=target.id)
                              .order_by(OneTimeCode.issued_at.desc(), OneTimeCode.id.desc()).limit(1)).scalar_one_or_none()


def _use_one_time_code(user, code):
    """Spend her open one-time code if this is it: she must then choose a password."""
    now = utcnow()
    row = db.session.execute(db.select(OneTimeCode).where(
        OneTimeCode.user_id == user.id, OneTimeCode.used_at.is_(None), OneTimeCode.voided_at.is_(None),
        OneTimeCode.expires_at > now).order_by(OneTimeCode.id.desc()).limit(1)).scalar_one_or_none()
    if row is None or not check_password_hash(row.code_hash, normalise_code(code)):
        return False
    spent = db.session.execute(db.update(OneTimeCode).where(OneTimeCode.id == row.id, OneTimeCode.used_at.is_(None))
                               .values(used_at=now)).rowcount
    if not spent:  # the same code used twice at the same moment: only one wins
        return False
    user.must_change_password = True
    return True


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
    """Deactivate or reactivate an account; nothing is deleted. Deactivation signs her out everywhere."""
    if not actor.has_role("admin"):
        raise AccountError("not_allowed")
    if actor.id == target.id and not active:
        raise AccountError("cannot_deactivate_self")
    target.active = active
    if not active:
        sessions.end_all(target)


def sign_out_everywhere(actor, target):
    """End every session of target (herself, or anyone for an admin) and void her offline-file tokens."""
    if actor.id != target.id and not actor.has_role("admin"):
        raise AccountError("not_allowed")
    sessions.end_all(target)


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
