"""What's new, without email or push: replies to her posts and questions, new feedback, her weekly pair, the next
session. Everything is computed from what is stored; only the time she last looked is kept."""
from datetime import datetime, timedelta

from lms.community import queries
from lms.community.models import Post, Thread, WhatsNewMark
from lms.core.database import utcnow
from lms.extensions import db

LOOK_BACK = timedelta(days=30)
LIMIT = 30


def seen_at(user_id):
    return db.session.execute(db.select(WhatsNewMark.seen_at).where(WhatsNewMark.user_id == user_id)).scalar()


def mark_seen(actor):
    """She opened What's new: everything until now is read."""
    mark = db.session.execute(db.select(WhatsNewMark).where(WhatsNewMark.user_id == actor.id)).scalar_one_or_none()
    if mark is None:
        mark = WhatsNewMark(user_id=actor.id)
        db.session.add(mark)
    mark.seen_at = utcnow()
    db.session.flush()


def _replies(user_id, since):
    """Others' posts answering her: in a question she asked, or replying to one of her posts."""
    from sqlalchemy.orm import aliased

    mine = aliased(Post)
    asked = db.select(Thread.id).where(Thread.author_id == user_id, Thread.kind == "question")
    replied = db.select(mine.id).where(mine.author_id == user_id)
    return db.session.execute(
        db.select(Post).where(Post.author_id != user_id, Post.hidden_at.is_(None), Post.created_at > since,
                              db.or_(Post.thread_id.in_(asked), Post.reply_to_id.in_(replied)))
        .order_by(Post.created_at.desc()).limit(LIMIT)).scalars().all()


def _feedback(user_id, since):
    from lms.mentoring.models import Review, Submission

    return db.session.execute(db.select(Review).join(Submission).where(
        Submission.user_id == user_id, Review.created_at > since).order_by(Review.created_at.desc())
        .limit(LIMIT)).scalars().all()


def items(user):
    """Return [(kind, when, object)] newest first, and the time she last looked."""
    from lms.cohorts.sessions import next_session

    last = seen_at(user.id)
    since = max(last or datetime.min, utcnow() - LOOK_BACK) if last else utcnow() - LOOK_BACK
    since = min(since, utcnow() - timedelta(days=7))  # what she already read stays listed for a week
    found = [("reply", p.created_at, p) for p in _replies(user.id, since)]
    found += [("feedback", r.created_at, r) for r in _feedback(user.id, since)]
    pair = queries.pair_of(user.id)
    if pair:
        found.append(("pair", pair[0].pair.created_at, pair))
    session = next_session(user.id)
    if session:
        found.append(("session", session.created_at, session))
    found.sort(key=lambda item: item[1], reverse=True)
    return found, last


def count_unread(user):
    """How many items came after she last looked (the number in the header)."""
    found, last = items(user)
    return sum(1 for _kind, when, _obj in found if last is None or when > last)
