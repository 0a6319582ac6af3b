"""Change circles: split a cohort into circles, move a member, weekly pairs, her choices about pairing."""
import math
from datetime import timedelta

from lms.cohorts.models import Cohort, Membership
from lms.community import pairing, policy
from lms.community.errors import CommunityError
from lms.community.models import Block, Circle, CircleMember, Pair, PairMember, Thread
from lms.core.database import utcnow
from lms.extensions import db

MIN_SIZE, MAX_SIZE = 5, 8
LEARNED_MAX = 280


def week_of(day=None):
    """The Monday of the week holding this day (today by default)."""
    day = day or utcnow().date()
    return day - timedelta(days=day.weekday())


def _require_manager(actor, cohort):
    if not policy.can_manage_circles(actor, cohort):
        raise CommunityError("not_allowed")


def current_learners(cohort):
    from lms.accounts.models import User

    return db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == "learner", Membership.left_at.is_(None),
               User.active.is_(True)).order_by(User.id)).scalars().all()


def circle_count(size):
    """How many circles of 5–8 for this many learners (one circle when there are fewer than 10)."""
    if size < 2 * MIN_SIZE:
        return 1
    return max(math.ceil(size / MAX_SIZE), 1)


def spread(learners, count, place_of, path_of, progress_of):
    """Deal learners into `count` groups so that places, paths and levels of progress are mixed.

    Sorted by path, then place, then progress, and dealt like cards in a snake (1, 2, 3, 3, 2, 1…): each
    circle gets some of every path and place, and sizes differ by one at most.
    """
    ordered = sorted(learners, key=lambda u: (path_of(u) or "", place_of(u) or "", -(progress_of(u) or 0), u.id))
    groups = [[] for _ in range(count)]
    for i, learner in enumerate(ordered):
        turn, step = divmod(i, count)
        groups[step if turn % 2 == 0 else count - 1 - step].append(learner)
    return groups


def _profile_facts(learners, cohort):
    """Return place, path and progress functions for balancing, in a few queries."""
    from lms.community.models import DirectoryProfile
    from lms.progress import queries as progress

    towns = dict(db.session.execute(db.select(DirectoryProfile.user_id, DirectoryProfile.town).where(
        DirectoryProfile.user_id.in_([u.id for u in learners]))).all())
    done = {}
    followed = {}
    for learner in learners:
        percentages = progress.path_percentages(learner.id, cohort.paths)
        done[learner.id] = sum(percentages.values()) / len(percentages) if percentages else 0
        started = [p for p in cohort.paths if percentages.get(p.id)]
        followed[learner.id] = started[-1].slug if started else ""
    return (lambda u: towns.get(u.id) or u.country or ""), (lambda u: followed[u.id]), (lambda u: done[u.id])


def split_into_circles(actor, cohort):
    """Replace the cohort's circles by new ones of 5–8 balanced on place, path and progress; return them.

    Earlier circles keep their threads and pairs (nothing written is lost); their members move on.
    """
    _require_manager(actor, cohort)
    learners = current_learners(cohort)
    if len(learners) < 2:
        raise CommunityError("too_few")
    now = utcnow()
    db.session.execute(db.update(CircleMember).where(
        CircleMember.circle_id.in_(db.select(Circle.id).where(Circle.cohort_id == cohort.id)),
        CircleMember.left_at.is_(None)).values(left_at=now))
    kept = {m.user_id: m for m in db.session.execute(db.select(CircleMember).join(Circle).where(
        Circle.cohort_id == cohort.id).order_by(CircleMember.id)).scalars()}
    existing = db.session.execute(db.select(db.func.count(Circle.id)).where(
        Circle.cohort_id == cohort.id)).scalar()
    groups = spread(learners, circle_count(len(learners)), *_profile_facts(learners, cohort))
    made = []
    for number, group in enumerate(groups, start=existing + 1):
        circle = Circle(cohort_id=cohort.id, name=circle_name(number))
        db.session.add(circle)
        db.session.flush()
        db.session.add(Thread(kind="circle", cohort_id=cohort.id, circle_id=circle.id))
        for learner in group:
            before = kept.get(learner.id)
            db.session.add(CircleMember(circle_id=circle.id, user_id=learner.id,
                                        pairing=before.pairing if before else True,
                                        share_phone=before.share_phone if before else False))
        made.append(circle)
    ensure_cohort_thread(cohort)
    db.session.flush()
    return made


def circle_name(number):
    return f"{number}"


def ensure_cohort_thread(cohort):
    """Return the cohort's own thread, made the first time it is needed."""
    thread = db.session.execute(db.select(Thread).where(Thread.cohort_id == cohort.id, Thread.kind == "cohort")
                                .order_by(Thread.id)).scalars().first()
    if thread is None:
        thread = Thread(kind="cohort", cohort_id=cohort.id)
        db.session.add(thread)
        db.session.flush()
    return thread


def current_membership(user_id, cohort_id=None):
    query = db.select(CircleMember).join(Circle).where(CircleMember.user_id == user_id,
                                                       CircleMember.left_at.is_(None))
    if cohort_id is not None:
        query = query.where(Circle.cohort_id == cohort_id)
    return db.session.execute(query.order_by(CircleMember.id.desc())).scalars().first()


def move_member(actor, cohort, learner_id, circle):
    """Move a current learner of the cohort to another of its circles (by hand, after the automatic split)."""
    _require_manager(actor, cohort)
    if circle is None or circle.cohort_id != cohort.id:
        raise CommunityError("not_found")
    if learner_id not in {u.id for u in current_learners(cohort)}:
        raise CommunityError("not_found")
    before = current_membership(learner_id, cohort.id)
    if before is not None and before.circle_id == circle.id:
        return before
    if before is not None:
        before.left_at = utcnow()
    moved = CircleMember(circle_id=circle.id, user_id=learner_id, pairing=before.pairing if before else True,
                         share_phone=before.share_phone if before else False)
    db.session.add(moved)
    db.session.flush()
    return moved


def set_choices(actor, pairing=None, share_phone=None):
    """Her choices in her circle: take part in the weekly pairs or not, share her WhatsApp link or not."""
    member = current_membership(actor.id)
    if member is None:
        raise CommunityError("no_circle")
    if pairing is not None:
        member.pairing = bool(pairing)
    if share_phone is not None:
        member.share_phone = bool(share_phone)
    return member


def blocked_pairs(user_ids):
    """Pairs (as frozensets) where one of them blocked the other."""
    rows = db.session.execute(db.select(Block.blocker_id, Block.blocked_id).where(
        Block.blocker_id.in_(user_ids), Block.blocked_id.in_(user_ids))).all()
    return frozenset(frozenset(row) for row in rows)


def make_week_pairs(actor, cohort, week=None):
    """Pair the members of each circle of the cohort for this week; a circle already paired keeps its pairs."""
    _require_manager(actor, cohort)
    return _pair_cohort(cohort, week or week_of())


def make_all_week_pairs(week=None):
    """Pair every circle of every open cohort for this week; return {cohort: pairs made}.

    Run by the centre itself (`lms community make-pairs`, from a daily timer), so it takes no actor; a circle
    already paired this week keeps its pairs, which makes running it every day harmless.
    """
    week = week_of(week)
    cohorts = db.session.execute(db.select(Cohort).where(Cohort.archived_at.is_(None)).order_by(Cohort.id)).scalars()
    return {cohort: _pair_cohort(cohort, week) for cohort in cohorts}


def _pair_cohort(cohort, week):
    made = []
    circles = db.session.execute(db.select(Circle).where(Circle.cohort_id == cohort.id)).scalars().all()
    for circle in circles:
        if db.session.execute(db.select(Pair.id).where(Pair.circle_id == circle.id, Pair.week_of == week)).first():
            continue
        made += pair_circle(circle, week)
    return made


def pair_circle(circle, week):
    members = [user_id for (user_id,) in db.session.execute(
        db.select(CircleMember.user_id).where(CircleMember.circle_id == circle.id, CircleMember.left_at.is_(None),
                                              CircleMember.pairing.is_(True)).order_by(CircleMember.user_id))]
    met = {}
    for pair in db.session.execute(db.select(Pair).where(Pair.circle_id == circle.id)).scalars():
        for two in pairing.pairs_in([m.user_id for m in pair.members]):
            met[two] = met.get(two, 0) + 1
    made = []
    for group in pairing.choose_round(members, met, blocked_pairs(members)):
        pair = Pair(circle_id=circle.id, week_of=week, members=[PairMember(user_id=u) for u in group])
        db.session.add(pair)
        made.append(pair)
    db.session.flush()
    return made


def record_talk(actor, pair_member, learned):
    """She says the pair talked, with one line about what she learned."""
    if pair_member is None or pair_member.user_id != actor.id:
        raise CommunityError("not_found")
    learned = (learned or "").strip()
    if len(learned) > LEARNED_MAX:
        raise CommunityError("too_long")
    pair_member.met_at = pair_member.met_at or utcnow()
    pair_member.learned = learned or None
    return pair_member


def block_member(actor, user):
    """She no longer sees this member's posts and is no longer paired with her."""
    if user is None or user.id == actor.id:
        raise CommunityError("not_found")
    exists = db.session.execute(db.select(Block).where(Block.blocker_id == actor.id,
                                                       Block.blocked_id == user.id)).scalar_one_or_none()
    if exists is None:
        exists = Block(blocker_id=actor.id, blocked_id=user.id)
        db.session.add(exists)
        db.session.flush()
    return exists


def unblock_member(actor, user_id):
    db.session.execute(db.delete(Block).where(Block.blocker_id == actor.id, Block.blocked_id == user_id))


def blocked_ids(user_id):
    return {b for (b,) in db.session.execute(db.select(Block.blocked_id).where(Block.blocker_id == user_id))}
