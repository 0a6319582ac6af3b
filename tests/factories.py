"""Factories: one function per model, committing what they make."""
from lms.accounts import services as accounts
from lms.extensions import db

PASSWORD = "correct horse battery"


def user(username, roles=("learner",), password=PASSWORD, locale="en", **profile):
    made = accounts.create_user(username, password, roles=roles, locale=locale, **profile)
    db.session.commit()
    return made


def cohort(trainer, learners=(), mentors=(), paths=(), name="Dakar — Médina", mentor_of=None):
    """A cohort run by trainer; mentor_of maps learner -> mentor."""
    from lms.cohorts import services as cohorts

    made = cohorts.create_cohort(trainer, name, paths)
    for learner in learners:
        join(made, learner)
    for mentor in mentors:
        join(made, mentor, "mentor")
    for learner, mentor in (mentor_of or {}).items():
        cohorts.assign_mentor(trainer, made, learner, mentor)
    db.session.commit()
    return made


def join(cohort, user, role="learner"):
    """She joins by her own act, as in the field: a learner with the code, a mentor by accepting an invitation."""
    from lms.cohorts import services as cohorts

    if role == "learner":
        cohorts.join_with_code(user, cohort.join_code)
    else:
        cohorts.answer_invitation(user, cohorts.invite(cohort.trainer, cohort, user, role), accept=True)
    db.session.commit()
