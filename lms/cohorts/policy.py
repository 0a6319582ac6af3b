"""Who may do what with cohorts, and the visibility and power they give trainers."""
from lms.accounts import services as accounts, visibility
from lms.extensions import db


def can_manage_cohort(actor, cohort):
    return (actor.is_authenticated and actor.active and actor.session_kind != "pin"
            and (actor.has_role("admin") or cohort.trainer_id == actor.id))


def cohort_member_ids(actor):
    """The current members of the cohorts this trainer runs (someone who left is hers no more)."""
    from lms.cohorts.models import Cohort, Membership

    if not actor.has_role("trainer"):
        return None
    return (db.select(Membership.user_id).join(Cohort)
            .where(Cohort.trainer_id == actor.id, Membership.left_at.is_(None)))


def trains_current_learner(actor, target):
    """True when target is a current learner in one of actor's cohorts."""
    from lms.cohorts.models import Cohort, Membership

    return db.session.execute(
        db.select(Membership.id).join(Cohort)
        .where(Cohort.trainer_id == actor.id, Membership.user_id == target.id, Membership.role == "learner",
               Membership.left_at.is_(None)).limit(1)).first() is not None


visibility.RULES.append(cohort_member_ids)
accounts.MANAGERS.append(trains_current_learner)
