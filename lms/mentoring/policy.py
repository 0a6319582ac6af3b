"""Who may see what in mentoring: a mentor her current mentees, the cohort's trainer, admins."""
from lms.accounts import visibility
from lms.extensions import db


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


def can_review(actor, learner_id):
    """Her current mentor reviews her work; an admin may step in."""
    return actor.is_authenticated and (actor.has_role("admin") or is_mentor_of(actor, learner_id))


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
