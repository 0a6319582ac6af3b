"""Read the community: her circle, threads and their posts as she may see them, lesson questions, pairs."""
from lms.accounts.models import User
from lms.cohorts.models import Cohort, Membership
from lms.community import circles, policy
from lms.community.models import Circle, CircleMember, Pair, PairMember, Post, PostReport, Thread
from lms.extensions import db

THREAD_PAGE = 50


def circle_thread(circle_id):
    return db.session.execute(db.select(Thread).where(Thread.circle_id == circle_id, Thread.kind == "circle")
                              .order_by(Thread.id)).scalars().first()


def cohort_thread(cohort_id):
    return db.session.execute(db.select(Thread).where(Thread.cohort_id == cohort_id, Thread.kind == "cohort")
                              .order_by(Thread.id)).scalars().first()


def get_thread(public_id):
    return db.session.execute(db.select(Thread).where(Thread.public_id == public_id)).scalar_one_or_none()


def circle_members(circle_id):
    """Current members of a circle with their user rows, by first name."""
    return db.session.execute(
        db.select(CircleMember).join(User, User.id == CircleMember.user_id)
        .where(CircleMember.circle_id == circle_id, CircleMember.left_at.is_(None))
        .order_by(User.display_name)).scalars().all()


def circle_card(user):
    """What her home page shows of her circle: members (first name, business, progress), her pair this week."""
    from lms.progress import queries as progress
    from lms.community.models import DirectoryProfile

    member = circles.current_membership(user.id)
    if member is None:
        return None
    circle = member.circle
    members = circle_members(circle.id)
    ids = [m.user_id for m in members]
    businesses = dict(db.session.execute(db.select(DirectoryProfile.user_id, DirectoryProfile.business_name)
                                         .where(DirectoryProfile.user_id.in_(ids))).all())
    paths = circle.cohort.paths
    rows = []
    for m in members:
        percentages = progress.path_percentages(m.user_id, paths) if paths else {}
        done = round(sum(percentages.values()) / len(percentages)) if percentages else 0
        rows.append({"user": m.user, "first_name": first_name(m.user),
                     "business": businesses.get(m.user_id) or m.user.organisation or "", "done": done})
    return {"member": member, "circle": circle, "members": rows, "thread": circle_thread(circle.id),
            "pair": pair_of(user.id)}


def first_name(user):
    if not user.active:
        return None
    return (user.display_name or user.username).split()[0]


def pair_of(user_id, week=None):
    """Her pair of this week: (her PairMember, [partners' PairMember]) or None."""
    week = week or circles.week_of()
    mine = db.session.execute(
        db.select(PairMember).join(Pair).where(PairMember.user_id == user_id, Pair.week_of == week)
        .order_by(PairMember.id.desc())).scalars().first()
    if mine is None:
        return None
    return mine, [m for m in mine.pair.members if m.user_id != user_id]


def partner_shares_phone(partner_member):
    """True when this partner chose to share her WhatsApp link with her circle."""
    row = db.session.execute(db.select(CircleMember.share_phone).where(
        CircleMember.circle_id == partner_member.pair.circle_id, CircleMember.user_id == partner_member.user_id,
        CircleMember.left_at.is_(None))).scalar()
    return bool(row)


def week_pairs(cohort_id, week=None):
    """Every pair of the cohort this week, by circle, for the trainer."""
    week = week or circles.week_of()
    return db.session.execute(
        db.select(Pair).join(Circle).where(Circle.cohort_id == cohort_id, Pair.week_of == week)
        .order_by(Circle.id, Pair.id)).scalars().all()


def circles_of(cohort_id):
    """Return [(circle, members)] for circles that still have members."""
    result = []
    for circle in db.session.execute(db.select(Circle).where(Circle.cohort_id == cohort_id)
                                     .order_by(Circle.id)).scalars():
        members = circle_members(circle.id)
        if members:
            result.append((circle, members))
    return result


def posts_of(thread, viewer, limit=THREAD_PAGE, before=None):
    """A page of posts of a thread, oldest first, without those of members she blocked; and whether older ones exist.

    The page holds the latest posts, or those written before the post whose public id is `before` (plain
    "Older posts" links, keyed on the post rather than an offset so that new posts do not shift the pages).
    A hidden post is shown to its author and to moderators (with the reason), to others as a hidden line.
    """
    blocked = circles.blocked_ids(viewer.id)
    query = db.select(Post).where(Post.thread_id == thread.id)
    if blocked:
        query = query.where(Post.author_id.not_in(blocked))
    if before:
        mark = db.session.execute(db.select(Post.created_at, Post.id)
                                  .where(Post.thread_id == thread.id, Post.public_id == before)).first()
        if mark is not None:
            query = query.where(db.or_(Post.created_at < mark.created_at,
                                       db.and_(Post.created_at == mark.created_at, Post.id < mark.id)))
    posts = db.session.execute(query.order_by(Post.created_at.desc(), Post.id.desc()).limit(limit + 1)).scalars().all()
    return list(reversed(posts[:limit])), len(posts) > limit


def reports_of(thread):
    """{post id: number of reports} for a thread, for its moderators."""
    return dict(db.session.execute(db.select(PostReport.post_id, db.func.count(PostReport.id)).join(Post)
                                   .where(Post.thread_id == thread.id).group_by(PostReport.post_id)).all())


def lesson_questions(lesson, viewer, limit=20):
    """Questions on this lesson in the cohorts she may see: answered ones first, then the newest."""
    cohort_ids = visible_cohort_ids(viewer)
    if cohort_ids is not None and not cohort_ids:
        return []
    answered = db.select(db.func.count(Post.id)).where(Post.thread_id == Thread.id, Post.helpful_at.is_not(None),
                                                       Post.hidden_at.is_(None)).scalar_subquery()
    replies = db.select(db.func.count(Post.id)).where(Post.thread_id == Thread.id,
                                                      Post.hidden_at.is_(None)).scalar_subquery()
    query = db.select(Thread, answered, replies).where(Thread.kind == "question", Thread.lesson_id == lesson.id)
    if cohort_ids is not None:
        query = query.where(Thread.cohort_id.in_(cohort_ids))
    blocked = circles.blocked_ids(viewer.id)
    if blocked:
        query = query.where(Thread.author_id.not_in(blocked))
    rows = db.session.execute(query.order_by(answered.desc(), (replies > 1).desc(), Thread.last_post_at.desc())
                              .limit(limit)).all()
    firsts = {}
    ids = [t.id for t, _a, _r in rows]
    if ids:
        for post in db.session.execute(db.select(Post).where(Post.thread_id.in_(ids))
                                       .order_by(Post.created_at, Post.id)).scalars():
            firsts.setdefault(post.thread_id, post)
    return [{"thread": t, "question": firsts.get(t.id), "helpful": a, "answers": max(r - 1, 0)}
            for t, a, r in rows if firsts.get(t.id) is not None]


def visible_cohort_ids(viewer):
    """The cohorts whose conversations she may see (None: all, for an admin)."""
    if policy.is_admin(viewer):
        return None
    ids = {c for (c,) in db.session.execute(db.select(Membership.cohort_id).where(
        Membership.user_id == viewer.id, Membership.left_at.is_(None),
        *([Membership.role == "learner"] if viewer.session_kind == "pin" else [])))}
    if viewer.session_kind != "pin":
        ids |= {c for (c,) in db.session.execute(db.select(Cohort.id).where(Cohort.trainer_id == viewer.id))}
    return ids


def hub(viewer):
    """Return [(cohort, cohort thread or None, [(circle, thread)] she may open)] for her community page."""
    cohort_ids = visible_cohort_ids(viewer)
    query = db.select(Cohort).where(Cohort.archived_at.is_(None)).order_by(Cohort.name)
    if cohort_ids is not None:
        query = query.where(Cohort.id.in_(cohort_ids))
    result = []
    for cohort in db.session.execute(query.limit(50)).scalars():
        roles = policy.roles_in_cohort(viewer, cohort.id)
        if policy.is_admin(viewer) or roles & {"trainer", "mentor"}:
            mine = [(c, circle_thread(c.id)) for c, _m in circles_of(cohort.id)]
        else:
            member = circles.current_membership(viewer.id, cohort.id)
            mine = [(member.circle, circle_thread(member.circle_id))] if member else []
        result.append((cohort, cohort_thread(cohort.id), mine))
    return result
