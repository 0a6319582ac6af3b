"""Change conversations: posts and replies (sent exactly once, even from a phone that was offline), questions on
lessons, answers marked helpful, hidden and reported posts."""
import uuid
from datetime import datetime, timedelta

from lms.cohorts.models import Cohort, Membership, cohort_paths
from lms.community import policy
from lms.community.errors import CommunityError
from lms.community.models import Post, PostReport, Thread
from lms.core.database import insert_ignoring_duplicates, utcnow
from lms.core.i18n import writing_language
from lms.core.markdown import render_user_text
from lms.extensions import db
from lms.media.voice_notes import voice_columns

MAX_LENGTH = 2000
REASON_MAX = 300
RATE_WINDOW = timedelta(minutes=5)
RATE_LIMIT = 12  # posts per window: enough for a conversation, too few to flood a circle


def clean_public_id(value):
    """Return the canonical form of a UUID sent by a phone, or raise."""
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise CommunityError("bad_id") from None


def check_body(body, voice=None):
    """Return the post's text, stripped; a voice note may stand alone, without text."""
    body = (body or "").strip()
    if not body and voice is None:
        raise CommunityError("empty")
    if len(body) > MAX_LENGTH:
        raise CommunityError("too_long")
    return body


def _check_rate(actor, now):
    recent = db.session.execute(db.select(db.func.count(Post.id)).where(
        Post.author_id == actor.id, Post.created_at > now - RATE_WINDOW)).scalar()
    if recent >= RATE_LIMIT:
        raise CommunityError("too_fast")


def add_post(actor, thread, body, public_id=None, reply_to=None, photo=None, at=None, voice=None):
    """Write a post in a thread; return (post, created). The same public id twice stores one post.

    voice: a stored voice note (lms.media.voice_notes.StoredVoice); with one, the text may be empty.

    The post is inserted with INSERT … ON CONFLICT DO NOTHING on its public id (made on the phone), so a
    reply sent again by the offline queue, or a form sent twice, is stored once.
    """
    if thread is None or not policy.can_see_thread(actor, thread):
        raise CommunityError("not_found")
    public_id = clean_public_id(public_id) if public_id else str(uuid.uuid4())
    existing = get_post(public_id)
    if existing is not None:
        if existing.author_id != actor.id:
            raise CommunityError("bad_id")
        return existing, False
    body = check_body(body, voice)
    if reply_to is not None:
        if reply_to.thread_id != thread.id:
            raise CommunityError("not_found")
        if reply_to.hidden_at is not None:
            raise CommunityError("hidden")
    now = utcnow()
    _check_rate(actor, now)
    written = min(at, now) if isinstance(at, datetime) else now
    inserted = insert_ignoring_duplicates(Post.__table__, [{
        "public_id": public_id, "thread_id": thread.id, "author_id": actor.id,
        "reply_to_id": reply_to.id if reply_to else None, "body": body, "body_html": render_user_text(body),
        "language": writing_language(actor),
        "photo": photo, "created_at": written, **voice_columns(voice)}], key=("public_id",))
    db.session.execute(db.update(Thread).where(Thread.id == thread.id).values(last_post_at=now))
    post = get_post(public_id)
    if not inserted and post.author_id != actor.id:
        raise CommunityError("bad_id")
    return post, bool(inserted)


def get_post(public_id):
    return db.session.execute(db.select(Post).where(Post.public_id == public_id)).scalar_one_or_none()


def cohort_for_question(actor, lesson):
    """The cohort she asks in: among those she is a current member of, the one teaching the lesson's path."""
    rows = db.session.execute(
        db.select(Cohort.id, cohort_paths.c.path_id).join(Membership, Membership.cohort_id == Cohort.id)
        .outerjoin(cohort_paths, db.and_(cohort_paths.c.cohort_id == Cohort.id,
                                         cohort_paths.c.path_id == lesson.path_id))
        .where(Membership.user_id == actor.id, Membership.left_at.is_(None), Cohort.archived_at.is_(None))
        .order_by(Membership.joined_at.desc())).all()
    teaching = [cohort_id for cohort_id, path_id in rows if path_id is not None]
    return (teaching or [cohort_id for cohort_id, _p in rows] or [None])[0]


def ask_question(actor, lesson, body, public_id=None, photo=None, at=None, voice=None):
    """Ask a question on a lesson, seen by her cohort, in writing or aloud; return (first post, created)."""
    public_id = clean_public_id(public_id) if public_id else str(uuid.uuid4())
    existing = get_post(public_id)
    if existing is not None:
        if existing.author_id != actor.id:
            raise CommunityError("bad_id")
        return existing, False
    body = check_body(body, voice)
    cohort_id = cohort_for_question(actor, lesson)
    if cohort_id is None:
        raise CommunityError("no_cohort")
    _check_rate(actor, utcnow())
    thread = Thread(kind="question", cohort_id=cohort_id, lesson_id=lesson.id, author_id=actor.id)
    db.session.add(thread)
    db.session.flush()
    return add_post(actor, thread, body, public_id, photo=photo, at=at, voice=voice)


def mark_helpful(actor, post):
    """The one who asked marks an answer as helpful (or takes it back)."""
    thread = post.thread
    if not policy.can_see_thread(actor, thread):
        raise CommunityError("not_found")
    if thread.kind != "question" or thread.author_id != actor.id or post.author_id == actor.id \
            or post.hidden_at is not None:
        raise CommunityError("not_allowed")
    post.helpful_at = None if post.helpful_at else utcnow()
    return post


def hide_post(actor, post, reason):
    """A moderator hides a post; the reason is kept and its author still sees it, marked hidden."""
    if not policy.can_see_thread(actor, post.thread):
        raise CommunityError("not_found")
    if not policy.can_moderate(actor, post.thread):
        raise CommunityError("not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError("reason_needed")
    if len(reason) > REASON_MAX:
        raise CommunityError("too_long")
    post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), actor.id, reason
    return post


def show_post(actor, post):
    """A moderator shows a hidden post again."""
    if not policy.can_moderate(actor, post.thread):
        raise CommunityError("not_allowed")
    post.hidden_at = post.hidden_by_id = post.hidden_reason = None
    return post


def report_post(actor, post, reason):
    """Any member who sees a post may report it to the moderators (once)."""
    if not policy.can_see_thread(actor, post.thread):
        raise CommunityError("not_found")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise CommunityError("too_long")
    report = db.session.execute(db.select(PostReport).where(
        PostReport.post_id == post.id, PostReport.reporter_id == actor.id)).scalar_one_or_none()
    if report is None:
        report = PostReport(post_id=post.id, reporter_id=actor.id, reason=reason)
        db.session.add(report)
        db.session.flush()
    return report
