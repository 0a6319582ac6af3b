"""Who reviews whose work, and who may see what in mentoring: a mentor her current mentees, the
cohort's trainer, admins."""
from dataclasses import dataclass

from lms.accounts import visibility
from lms.extensions import db


@dataclass(frozen=True)
class Reviewer:
    """Who reviews a learner's work: her mentor, or her cohort's trainer when she has none."""

    user: object
    kind: str  # "mentor" or "trainer"
    cohort: object


def reviewers_for(works):
    """Return {(learner id, path id): Reviewer or None} for these pieces of work, in three queries.

    The one rule for "who reviews this": among the cohorts she is a current learner of, the one
    that teaches the lesson's path comes first (then the latest joined); there, her current mentor
    reviews, or the cohort's trainer when no mentor is assigned. Outside any cohort, nobody does.
    The review queue, the permission to review, the learner's page and the form all ask here.
    """
    from lms.accounts.models import User
    from lms.cohorts.models import Cohort, Membership, MentorAssignment, cohort_paths

    works = set(works)
    learner_ids = {learner_id for learner_id, _path in works}
    if not learner_ids:
        return {}
    memberships = db.session.execute(
        db.select(Membership.user_id, Cohort).join(Cohort, Cohort.id == Membership.cohort_id)
        .where(Membership.user_id.in_(learner_ids), Membership.role == "learner", Membership.left_at.is_(None))
        .order_by(Cohort.archived_at.is_not(None), Membership.joined_at.desc(), Membership.id.desc())).all()
    cohort_ids = {cohort.id for _learner, cohort in memberships}
    paths_of = {}
    mentor_of = {}
    if cohort_ids:
        for cohort_id, path_id in db.session.execute(
                db.select(cohort_paths.c.cohort_id, cohort_paths.c.path_id)
                .where(cohort_paths.c.cohort_id.in_(cohort_ids))):
            paths_of.setdefault(cohort_id, set()).add(path_id)
        for cohort_id, learner_id, mentor in db.session.execute(
                db.select(MentorAssignment.cohort_id, MentorAssignment.learner_id, User)
                .join(User, User.id == MentorAssignment.mentor_id)
                .where(MentorAssignment.cohort_id.in_(cohort_ids), MentorAssignment.learner_id.in_(learner_ids),
                       MentorAssignment.ended_at.is_(None), User.active.is_(True))):
            mentor_of[cohort_id, learner_id] = mentor
    cohorts_of = {}
    for learner_id, cohort in memberships:
        cohorts_of.setdefault(learner_id, []).append(cohort)
    result = {}
    for learner_id, path_id in works:
        mine = cohorts_of.get(learner_id, [])
        cohort = next((c for c in mine if path_id in paths_of.get(c.id, ())), mine[0] if mine else None)
        if cohort is None:
            result[learner_id, path_id] = None
        elif (cohort.id, learner_id) in mentor_of:
            result[learner_id, path_id] = Reviewer(mentor_of[cohort.id, learner_id], "mentor", cohort)
        else:
            result[learner_id, path_id] = Reviewer(cohort.trainer, "trainer", cohort) if cohort.trainer.active \
                else None
    return result


def reviewer_for(learner_id, lesson):
    """Return the Reviewer of her work in this lesson, or None when nobody will see it."""
    return reviewers_for([(learner_id, lesson.path_id)])[learner_id, lesson.path_id]


def mentee_ids(actor):
    """The learners this mentor currently mentors."""
    from lms.cohorts.models import MentorAssignment

    if not actor.has_role("mentor"):
        return None
    return db.select(MentorAssignment.learner_id).where(MentorAssignment.mentor_id == actor.id,
                                                        MentorAssignment.ended_at.is_(None))


def is_mentor_of(actor, learner_id):
    from lms.cohorts.models import MentorAssignment

    return db.session.execute(db.select(MentorAssignment.id).where(
        MentorAssignment.mentor_id == actor.id, MentorAssignment.learner_id == learner_id,
        MentorAssignment.ended_at.is_(None))).first() is not None


def trains(actor, learner_id):
    """True when she is a trainer and the learner is a current learner of one of her cohorts."""
    from lms.accounts.models import User
    from lms.cohorts.policy import trains_current_learner

    learner = db.session.get(User, learner_id)
    return actor.has_role("trainer") and learner is not None and trains_current_learner(actor, learner)


def can_mentor(actor, learner_id):
    """Her current mentor, her current trainer and admins write in her mentoring log."""
    return (actor.is_authenticated and actor.id != learner_id
            and (actor.has_role("admin") or is_mentor_of(actor, learner_id) or trains(actor, learner_id)))


def can_review(actor, submission):
    """The reviewer of this work (reviewer_for) reviews it; her trainer or an admin may step in."""
    if not actor.is_authenticated or actor.id == submission.user_id:
        return False
    if actor.has_role("admin") or trains(actor, submission.user_id):
        return True
    reviewer = reviewer_for(submission.user_id, submission.lesson)
    return reviewer is not None and reviewer.user.id == actor.id


def can_read_mentoring(actor, learner_id):
    """The mentee herself, her mentor, her cohort's trainer and admins read her submissions and log."""
    if not actor.is_authenticated:
        return False
    if actor.id == learner_id or actor.has_role("admin") or is_mentor_of(actor, learner_id):
        return True
    from lms.accounts.models import User

    learner = db.session.get(User, learner_id)
    return learner is not None and actor.has_role("trainer") and visibility.can_see(actor, learner)


visibility.RULES.append(mentee_ids)
