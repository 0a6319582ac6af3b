"""Who sees and does what in the community: circle threads to the circle, its cohort's trainer and mentors;
cohort threads and lesson questions to the cohort; the directory to signed-in members; admins everyone."""
from lms.cohorts.models import Cohort, Membership
from lms.community.models import CircleMember
from lms.extensions import db


def is_admin(actor):
    return actor.is_authenticated and actor.has_role("admin") and actor.session_kind != "pin"


def roles_in_cohort(actor, cohort_id):
    """The roles she holds in this cohort today: "trainer", "mentor", "learner" (current memberships only)."""
    if not actor.is_authenticated or not actor.active:
        return set()
    roles = {role for (role,) in db.session.execute(
        db.select(Membership.role).where(Membership.cohort_id == cohort_id, Membership.user_id == actor.id,
                                         Membership.left_at.is_(None)))}
    trainer_id = db.session.execute(db.select(Cohort.trainer_id).where(Cohort.id == cohort_id)).scalar()
    if trainer_id == actor.id:
        roles.add("trainer")
    if actor.session_kind == "pin":
        roles &= {"learner"}  # a PIN opens learning only
    return roles


def in_circle(actor, circle_id):
    return db.session.execute(db.select(CircleMember.id).where(
        CircleMember.circle_id == circle_id, CircleMember.user_id == actor.id,
        CircleMember.left_at.is_(None))).first() is not None


def can_see_thread(actor, thread):
    if not actor.is_authenticated:
        return False
    if is_admin(actor):
        return True
    roles = roles_in_cohort(actor, thread.cohort_id)
    if thread.kind == "circle":
        return bool(roles & {"trainer", "mentor"}) or ("learner" in roles and in_circle(actor, thread.circle_id))
    return bool(roles)


def can_moderate(actor, thread):
    """The cohort's trainer and mentors, and admins, may hide a post."""
    return is_admin(actor) or bool(roles_in_cohort(actor, thread.cohort_id) & {"trainer", "mentor"})


def can_manage_circles(actor, cohort):
    return actor.is_authenticated and actor.active and actor.session_kind != "pin" and (
        is_admin(actor) or cohort.trainer_id == actor.id)


def can_see_photo_of(actor, post):
    """A post's photo and voice note go where the post goes; a hidden post's only to its author and the
    moderators."""
    if not can_see_thread(actor, post.thread):
        return False
    return post.hidden_at is None or post.author_id == actor.id or can_moderate(actor, post.thread)
