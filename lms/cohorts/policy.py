"""Who may do what with cohorts, and the visibility they give trainers."""
from lms.accounts import visibility
from lms.extensions import db


def can_manage_cohort(actor, cohort):
    return actor.is_authenticated and actor.active and (actor.has_role("admin") or cohort.trainer_id == actor.id)


def cohort_member_ids(actor):
    """The users in the cohorts this trainer runs."""
    from lms.cohorts.models import Cohort, Membership

    if not actor.has_role("trainer"):
        return None
    return db.select(Membership.user_id).join(Cohort).where(Cohort.trainer_id == actor.id)


visibility.RULES.append(cohort_member_ids)
