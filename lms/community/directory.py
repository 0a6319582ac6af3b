"""The directory of entrepreneurs: opt-in business profiles, seen by signed-in members of the programme only."""
from lms.community.errors import CommunityError
from lms.community.models import DirectoryProfile
from lms.core.database import utcnow
from lms.core.i18n import writing_language
from lms.extensions import db

LIMITS = {"business_name": 120, "trade": 80, "town": 80, "offer": 500, "looking_for": 500, "help_with": 500,
          "whatsapp": 32}
PAGE_SIZE = 30


def whatsapp_digits(number):
    """The digits wa.me wants (country code first, no +); None when there are too few to be a number."""
    digits = "".join(c for c in number or "" if c.isdigit())
    return digits if 8 <= len(digits) <= 15 else None


def profile_of(user_id):
    return db.session.execute(db.select(DirectoryProfile).where(
        DirectoryProfile.user_id == user_id)).scalar_one_or_none()


def save_profile(actor, photo=None, **fields):
    """Join the directory or change her profile; return it."""
    if not actor.is_authenticated or actor.session_kind == "pin":
        raise CommunityError("not_allowed")
    values = {name: (fields.get(name) or "").strip() for name in LIMITS}
    if not values["business_name"] or not values["trade"] or not values["town"]:
        raise CommunityError("profile_incomplete")
    if any(len(values[name]) > limit for name, limit in LIMITS.items()):
        raise CommunityError("too_long")
    if values["whatsapp"] and not whatsapp_digits(values["whatsapp"]):
        raise CommunityError("bad_phone")
    profile = profile_of(actor.id) or DirectoryProfile(user_id=actor.id)
    for name, value in values.items():
        setattr(profile, name, value or (None if name == "whatsapp" else ""))
    profile.country = actor.country
    profile.language = writing_language(actor)
    if photo:
        profile.photo = photo
    profile.updated_at = utcnow()
    db.session.add(profile)
    db.session.flush()
    return profile


def leave_directory(actor):
    """Her profile disappears at once; return the name of the photo to delete, if any."""
    profile = profile_of(actor.id)
    if profile is None:
        return None
    photo = profile.photo
    db.session.delete(profile)
    db.session.flush()
    return photo


def search(trade="", town="", country="", page=1):
    """Listed profiles of active accounts, filtered; return (profiles, total)."""
    from lms.accounts.models import User

    query = db.select(DirectoryProfile).join(User, User.id == DirectoryProfile.user_id).where(User.active.is_(True))
    if trade:
        query = query.where(db.func.lower(DirectoryProfile.trade) == trade.strip().lower())
    if town:
        query = query.where(db.func.lower(DirectoryProfile.town) == town.strip().lower())
    if country:
        query = query.where(DirectoryProfile.country == country.strip().upper()[:2])
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar()
    profiles = db.session.execute(query.order_by(DirectoryProfile.business_name, DirectoryProfile.id)
                                  .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).scalars().all()
    return profiles, total


def choices():
    """The trades, towns and countries in the directory, for the filters."""
    from lms.accounts.models import User

    rows = db.session.execute(db.select(DirectoryProfile.trade, DirectoryProfile.town, DirectoryProfile.country)
                              .join(User, User.id == DirectoryProfile.user_id).where(User.active.is_(True))).all()
    return (sorted({r[0] for r in rows}, key=str.lower), sorted({r[1] for r in rows}, key=str.lower),
            sorted({r[2] for r in rows if r[2]}))
