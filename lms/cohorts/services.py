"""Operations on cohorts. They take the actor and plain data; the caller commits."""
import secrets
from datetime import timedelta

from werkzeug.security import check_password_hash

from lms.accounts import services as accounts, throttle
from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath
from lms.cohorts.models import Cohort, Invitation, MentorAssignment, Membership, TrainerCertification
from lms.cohorts.policy import can_manage_cohort
from lms.cohorts.queries import TRAINER_PATH
from lms.core.codes import readable_code
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import Certificate


class CohortError(ValueError):
    """A rule about cohorts was broken; the message names which."""


def _require(actor, cohort):
    if not can_manage_cohort(actor, cohort):
        raise CohortError("not_allowed")


def new_join_code():
    while True:
        code = readable_code(1, size=6)
        if not db.session.execute(db.select(Cohort.id).filter_by(join_code=code)).first():
            return code


def create_cohort(actor, name, paths, language="fr", starts_on=None, ends_on=None, place=None):
    """Create a cohort run by the actor (a trainer)."""
    if not actor.has_role("trainer", "admin"):
        raise CohortError("not_allowed")
    cohort = Cohort(name=name.strip(), language=language, starts_on=starts_on, ends_on=ends_on,
                    place=(place or "").strip() or None, join_code=new_join_code(), trainer_id=actor.id)
    cohort.paths = list(paths)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def update_cohort(actor, cohort, **fields):
    _require(actor, cohort)
    for name in ("name", "language", "starts_on", "ends_on", "place", "pin_sign_in"):
        if name in fields:
            setattr(cohort, name, fields[name])
    if "paths" in fields:
        cohort.paths = list(fields["paths"])


def membership(cohort, user, role="learner"):
    return db.session.execute(
        db.select(Membership).filter_by(cohort_id=cohort.id, user_id=user.id, role=role)).scalar_one_or_none()


def _enrol(cohort, user, role, actor=None):
    """Make her a member; a learner gets the cohort's least-loaded mentor at once, so no work goes to nobody."""
    existing = membership(cohort, user, role)
    if existing:
        existing.left_at = None
        member = existing
    else:
        member = Membership(cohort=cohort, user_id=user.id, role=role)
        db.session.add(member)
        db.session.flush()
    if role == "learner":
        _give_mentor(cohort, user, actor or user)
    return member


def _least_loaded(cohort):
    """Return (mentors, {mentor id: current mentees}, {learner id: mentor id}) of the cohort."""
    mentors = active_members(cohort, "mentor")
    load = {m.id: 0 for m in mentors}
    assigned = {}
    for assignment in current_assignments(cohort):
        if assignment.mentor_id in load:
            load[assignment.mentor_id] += 1
            assigned[assignment.learner_id] = assignment.mentor_id
    return mentors, load, assigned


def _fewest(mentors, load):
    """The id of the mentor with the fewest mentees (by name among equals)."""
    return min(mentors, key=lambda m: (load[m.id], m.display_name)).id


def _give_mentor(cohort, learner, actor):
    """The balancing rule for one learner who just joined: the mentor with the fewest mentees, if any."""
    mentors, load, assigned = _least_loaded(cohort)
    if not mentors or learner.id in assigned:
        return None
    mentor_id = _fewest(mentors, load)
    _end_assignment(cohort, learner.id)
    assignment = MentorAssignment(cohort_id=cohort.id, learner_id=learner.id, mentor_id=mentor_id,
                                  assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def join_with_code(user, code):
    """Let a learner join a cohort with the code her trainer gave her."""
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    cohort = db.session.execute(
        db.select(Cohort).filter_by(join_code=code).where(Cohort.archived_at.is_(None))).scalar_one_or_none()
    if cohort is None:
        raise CohortError("unknown_code")
    _enrol(cohort, user, "learner")
    return cohort


def enrol(actor, cohort, user, role="learner"):
    """Put an account in the cohort at once: an admin's act, or a trainer's for an account she just created.

    Anyone else's account joins only by her own act (join code, invitation accepted): adding an
    account to a cohort gives its trainer power over it, so the trainer cannot decide it alone.
    """
    _require(actor, cohort)
    if role not in ("learner", "mentor"):
        raise CohortError("not_allowed")
    if role == "mentor" and not user.has_role("mentor"):
        raise CohortError("not_a_mentor")
    if not (actor.has_role("admin") or actor.id == user.id or user.created_by_id == actor.id):
        raise CohortError("needs_invitation")
    return _enrol(cohort, user, role, actor)


def create_learner(actor, cohort, username, display_name, language, phone=None):
    """Create a learner's account in the cohort; return (user, one-time code for her first sign-in)."""
    _require(actor, cohort)
    user = accounts.create_user(username, secrets.token_urlsafe(24), display_name=display_name, roles=("learner",),
                                locale=language, phone=phone, created_by_id=actor.id)
    _enrol(cohort, user, "learner", actor)
    return user, accounts.reset_password(actor, user)


def invite(actor, cohort, user, role="learner"):
    """Ask an existing account to join; return the membership when it can be made at once
    (an admin's act, the trainer herself, an account she created), else the pending invitation."""
    try:
        return enrol(actor, cohort, user, role)
    except CohortError as error:
        if str(error) != "needs_invitation":
            raise
    current = membership(cohort, user, role)
    if current and current.left_at is None:
        raise CohortError("already_member")
    pending = db.session.execute(db.select(Invitation).filter_by(
        cohort_id=cohort.id, user_id=user.id, role=role, answered_at=None)).scalar_one_or_none()
    if pending:
        return pending
    invitation = Invitation(cohort_id=cohort.id, user_id=user.id, role=role, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def answer_invitation(user, invitation, accept):
    """The invited person (only she) accepts or declines; accepting makes her a member."""
    if invitation.user_id != user.id or invitation.answered_at is not None:
        raise CohortError("not_allowed")
    if accept and invitation.role == "mentor" and not user.has_role("mentor"):
        raise CohortError("not_a_mentor")
    invitation.answered_at, invitation.accepted = utcnow(), bool(accept)
    if accept:
        return _enrol(invitation.cohort, user, invitation.role)
    return None


def remove(actor, cohort, user, role="learner"):
    """Take someone out of a cohort; her history stays."""
    _require(actor, cohort)
    member = membership(cohort, user, role)
    if member and member.left_at is None:
        member.left_at = utcnow()
        if role == "learner":
            _end_assignment(cohort, user.id)
        else:
            for assignment in current_assignments(cohort, mentor_id=user.id):
                assignment.ended_at = utcnow()


def current_assignments(cohort, mentor_id=None):
    query = db.select(MentorAssignment).filter_by(cohort_id=cohort.id).where(MentorAssignment.ended_at.is_(None))
    if mentor_id is not None:
        query = query.filter_by(mentor_id=mentor_id)
    return db.session.execute(query).scalars().all()


def _end_assignment(cohort, learner_id):
    for assignment in current_assignments(cohort):
        if assignment.learner_id == learner_id:
            assignment.ended_at = utcnow()


def assign_mentor(actor, cohort, learner, mentor):
    """Give a learner a mentor; the previous assignment is ended, not erased."""
    _require(actor, cohort)
    if not membership(cohort, learner) or membership(cohort, learner).left_at:
        raise CohortError("not_a_learner_here")
    if mentor is not None:
        member = membership(cohort, mentor, "mentor")
        if member is None or member.left_at:
            raise CohortError("not_a_mentor_here")
    current = next((a for a in current_assignments(cohort) if a.learner_id == learner.id), None)
    if current and mentor and current.mentor_id == mentor.id:
        return current
    _end_assignment(cohort, learner.id)
    if mentor is None:
        return None
    assignment = MentorAssignment(cohort_id=cohort.id, learner_id=learner.id, mentor_id=mentor.id,
                                  assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def active_members(cohort, role="learner"):
    return db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == role, Membership.left_at.is_(None))
        .order_by(User.display_name)).scalars().all()


def balance_mentors(actor, cohort):
    """Give every learner without a mentor the cohort mentor with the fewest mentees."""
    _require(actor, cohort)
    mentors, load, assigned = _least_loaded(cohort)
    if not mentors:
        raise CohortError("no_mentors")
    made = []
    by_id = {m.id: m for m in mentors}
    for learner in active_members(cohort, "learner"):
        if learner.id in assigned:
            continue
        mentor_id = _fewest(mentors, load)
        made.append(assign_mentor(actor, cohort, learner, by_id[mentor_id]))
        load[mentor_id] += 1
    return made


def set_pins(actor, cohort, learners=None, valid_days=None):
    """Give learner-only members a new 4-digit PIN for the shared-computer sign-in; return {user: pin}.

    Never for an account with another role: a PIN is a weak secret, fit only for learning.
    """
    _require(actor, cohort)
    expires = utcnow() + timedelta(days=valid_days) if valid_days else None
    pins = {}
    for learner in learners if learners is not None else active_members(cohort):
        if not learner.learner_only or not learner.active:
            continue
        pin = f"{secrets.randbelow(10000):04d}"
        member = membership(cohort, learner)
        member.pin_hash, member.pin_expires_at = accounts.hash_password(pin), expires
        pins[learner] = pin
    return pins


def pin_sign_in(cohort, user_id, pin, address):
    """Return the learner for this PIN in a cohort that allows PIN sign-in, or raise SignInRefused.

    Guessing is counted per learner, per address and per cohort (a sheet of 4-digit PINs falls
    quickly to someone who tries every name in turn).
    """
    keys = [("pin", f"{cohort.id}:{user_id}"), ("address", address or "unknown"), ("pin-cohort", str(cohort.id))]
    wait = throttle.seconds_to_wait(keys)
    if wait:
        raise accounts.SignInRefused(wait)
    member = db.session.execute(
        db.select(Membership).filter_by(cohort_id=cohort.id, user_id=user_id, role="learner")
        .where(Membership.left_at.is_(None))).scalar_one_or_none()
    ok = bool(cohort.pin_sign_in and member and member.pin_hash and member.user.active and member.user.learner_only
              and not (member.pin_expires_at and member.pin_expires_at < utcnow())
              and check_password_hash(member.pin_hash, pin or ""))
    if not ok:
        throttle.record_failure(keys)
        raise accounts.SignInRefused(0)
    throttle.clear(*keys[0])
    member.user.last_seen_at = utcnow()
    return member.user


def trainer_path_holders(user_ids):
    """Return those of these users who hold a valid training-of-trainers certificate (one query)."""
    return set(db.session.execute(
        db.select(Certificate.user_id).join(LearningPath, Certificate.path_id == LearningPath.id)
        .where(Certificate.user_id.in_(list(user_ids)), LearningPath.slug == TRAINER_PATH,
               Certificate.revoked_at.is_(None))).scalars())


def has_completed_trainer_path(learner):
    """True when she holds a valid certificate for the training-of-trainers path."""
    return learner.id in trainer_path_holders([learner.id])


def certify_trainer(actor, learner, cohort=None):
    """Make a learner who completed the training-of-trainers path a trainer and a mentor; record who certified her."""
    if not actor.has_role("admin") and not (cohort and can_manage_cohort(actor, cohort)
                                            and membership(cohort, learner)):
        raise CohortError("not_allowed")
    if learner.has_role("trainer"):
        raise CohortError("already_trainer")
    if not has_completed_trainer_path(learner):
        raise CohortError("path_not_completed")
    # A trainer reviews her cohorts' work and may join them as their mentor: the cascade goes on
    # without an administrator. Who granted both roles is the certification's certified_by.
    for role in ("trainer", "mentor"):
        if not learner.has_role(role):
            learner.role_rows.append(UserRole(role=role, granted_at=utcnow()))
    certification = TrainerCertification(user_id=learner.id, certified_by_id=actor.id,
                                         cohort_id=cohort.id if cohort else None)
    db.session.add(certification)
    db.session.flush()
    return certification
