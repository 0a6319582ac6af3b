"""User accounts, their roles, their sessions, one-time codes and sign-in throttling records."""
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

ROLES = ("learner", "mentor", "trainer", "admin")


def _at_hub():
    return has_app_context() and current_app.config.get("SITE_ROLE") == "hub"


def phone_tail(phone):
    """The last 8 digits of a phone number (None when it has fewer): +221 77 123 45 67 -> 71234567."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    return digits[-8:] if len(digits) >= 8 else None


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Global identity for the hub (lms.sync): origin is the centre that made it, None on that centre itself.
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    username: Mapped[str] = mapped_column(db.String(40), unique=True)
    display_name: Mapped[str] = mapped_column(db.String(120))
    password_hash: Mapped[str] = mapped_column(db.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(db.String(8), default="fr")
    country: Mapped[str | None] = mapped_column(db.String(2))
    organisation: Mapped[str | None] = mapped_column(db.String(160))
    phone: Mapped[str | None] = mapped_column(db.String(32), index=True)
    # The last 8 digits, whatever the spacing or country prefix: how she is found when she signs in by phone.
    phone_tail: Mapped[str | None] = mapped_column(db.String(8), index=True)
    email: Mapped[str | None] = mapped_column(db.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    save_data: Mapped[bool] = mapped_column(default=False, server_default=db.false())  # images only on tap
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))  # a trainer's enrolment
    last_seen_at: Mapped[datetime | None]
    # "Sign out of all devices": sessions and offline-file tokens issued before this are void.
    sessions_revoked_at: Mapped[datetime | None]

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", foreign_keys="UserRole.user_id", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("phone")
    def _keep_phone_tail(self, _key, phone):
        self.phone_tail = phone_tail(phone)
        return phone

    @property
    def is_active(self):
        return self.active

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, *roles):
        """Return True if the user holds any of the given roles here.

        At the hub, an account that came from a centre by sync holds no staff role: a
        centre's admin is an admin of her centre, never of the programme's hub (where
        she would see and manage every centre's people). The few hub pages made for
        her, scoped to her own centre, ask `holds_role` instead.
        """
        held = self.roles & {"learner"} if self.origin is not None and _at_hub() else self.roles
        return bool(held.intersection(roles))

    def holds_role(self, *roles):
        """Return True if the account holds any of these roles where it was made (its centre)."""
        return bool(self.roles.intersection(roles))

    @property
    def learner_only(self):
        """True for an account that holds no role beyond learner (the only kind a trainer may manage)."""
        return self.roles <= {"learner"}

    # Flask-Login keeps get_id() in the session cookie and the remember cookie. It names the
    # server-side session too, so that ending that row ends every copy of both cookies.
    session_token = None
    session_kind = None

    def get_id(self):
        return f"{self.id}:{self.session_token}" if self.session_token else str(self.id)

    def __repr__(self):
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (db.UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(db.String(16))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


class SignInThrottle(db.Model):
    """Failed sign-ins counted per account and per client address."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (db.UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(db.String(16))
    key: Mapped[str] = mapped_column(db.String(120))
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[datetime | None]


class UserSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(db.String(16), default="password")  # password, code or pin
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class OneTimeCode(db.Model):
    """A code a trainer or admin gave a learner who forgot her password; it works once."""

    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    code_hash: Mapped[str] = mapped_column(db.String(255))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
