"""Who may see whom: a learner sees herself, admins see everyone, and higher domains add rules
(cohorts: a trainer sees her cohorts' members; mentoring: a mentor sees her mentees).

A rule is a function (actor) -> a SELECT of user ids, or None when it grants nothing.
"""
from sqlalchemy import literal, union

from lms.accounts.models import User
from lms.extensions import db

RULES = []


def visible_user_ids(actor):
    """Return a SELECT of the ids of the users this actor may see (her included)."""
    if actor.has_role("admin"):
        return db.select(User.id)
    selects = [db.select(literal(actor.id).label("id"))]
    for rule in RULES:
        extra = rule(actor)
        if extra is not None:
            selects.append(extra)
    return union(*selects) if len(selects) > 1 else selects[0]


def can_see(actor, user):
    if not actor.is_authenticated:
        return False
    if actor.id == user.id or actor.has_role("admin"):
        return True
    ids = visible_user_ids(actor).subquery()
    return db.session.execute(db.select(ids.c[0]).where(ids.c[0] == user.id)).first() is not None


def search_visible_users(actor, text, limit=20):
    """Find people by name or username among those the actor may see."""
    text = (text or "").strip().lower()
    if not text:
        return []
    ids = visible_user_ids(actor).subquery()
    pattern = f"%{text}%"
    return db.session.execute(
        db.select(User).where(User.id.in_(db.select(ids.c[0])), User.id != actor.id,
                              db.or_(db.func.lower(User.username).like(pattern),
                                     db.func.lower(User.display_name).like(pattern)))
        .order_by(User.display_name).limit(limit)).scalars().all()
