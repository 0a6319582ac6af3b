"""Read-only questions about accounts."""
import re

from sqlalchemy import or_

from lms.accounts.models import User, UserRole, phone_tail
from lms.extensions import db


def admin_exists():
    """Return True once an active administrator exists."""
    return db.session.execute(
        db.select(UserRole.id).join(User).where(UserRole.role == "admin", User.active.is_(True)).limit(1)
    ).first() is not None


def search_users(text="", role=None):
    """Return a select of users matching text in username, name, phone or email."""
    query = db.select(User).order_by(User.display_name, User.id)
    text = (text or "").strip()
    if text:
        pattern = f"%{text.lower()}%"
        # a number typed with or without spaces or its country code, as at sign-in
        tail = phone_tail(text) if re.fullmatch(r"[\d\s+().-]+", text) else None
        query = query.where(or_(
            db.func.lower(User.username).like(pattern),
            db.func.lower(User.display_name).like(pattern),
            User.phone.like(f"%{text}%"),
            db.func.lower(User.email).like(pattern),
            *([User.phone_tail == tail] if tail else []),
        ))
    if role:
        query = query.where(User.id.in_(db.select(UserRole.user_id).where(UserRole.role == role)))
    return query
