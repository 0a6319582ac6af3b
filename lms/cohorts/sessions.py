"""A cohort's sessions and their attendance: the trainer's one-form register, and check-in by code."""
from datetime import timedelta

from lms.cohorts.models import Cohort, Membership
from lms.cohorts.policy import can_manage_cohort
from lms.cohorts.services import CohortError
from lms.cohorts.sessions_models import Attendance, CohortSession
from lms.core.codes import readable_code
from lms.core.database import utcnow
from lms.extensions import db

TOPIC_MAX, PLACE_MAX = 200, 160
CHECK_IN_BEFORE = timedelta(hours=2)  # the code works from a little before the session…
CHECK_IN_AFTER = timedelta(hours=12)  # …until the end of its day


def _require(actor, cohort):
    if not can_manage_cohort(actor, cohort):
        raise CohortError("not_allowed")


def new_check_in_code():
    while True:
        code = readable_code(1, size=5)
        if not db.session.execute(db.select(CohortSession.id).filter_by(check_in_code=code)).first():
            return code


def create_session(actor, cohort, starts_at, topic, place=None, lessons=()):
    """Plan a session of the cohort; lessons must belong to the cohort's paths."""
    _require(actor, cohort)
    topic, place = (topic or "").strip(), (place or "").strip()
    if not topic or starts_at is None:
        raise CohortError("session_incomplete")
    if len(topic) > TOPIC_MAX or len(place) > PLACE_MAX:
        raise CohortError("too_long")
    path_ids = {p.id for p in cohort.paths}
    if any(lesson.path_id not in path_ids for lesson in lessons):
        raise CohortError("not_in_cohort")
    session = CohortSession(cohort_id=cohort.id, starts_at=starts_at, topic=topic, place=place or None,
                            check_in_code=new_check_in_code(), created_by_id=actor.id, lessons=list(lessons))
    db.session.add(session)
    db.session.flush()
    return session


def learners_of(cohort):
    from lms.accounts.models import User

    return db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == "learner", Membership.left_at.is_(None))
        .order_by(User.display_name, User.id)).scalars().all()


def take_attendance(actor, session, present_ids):
    """Record the whole register in one go: the learners listed are present, every other current learner absent.

    A learner who checked in with the code stays present: she was there, whatever the box said.
    """
    _require(actor, session.cohort)
    if not register_open(session):
        raise CohortError("not_started")  # a register filled days ahead would count everyone present
    present_ids = set(present_ids)
    learners = {u.id for u in learners_of(session.cohort)}
    if present_ids - learners:
        raise CohortError("not_in_cohort")
    rows = {a.user_id: a for a in db.session.execute(
        db.select(Attendance).where(Attendance.session_id == session.id)).scalars()}
    now = utcnow()
    for user_id in learners:
        row = rows.get(user_id)
        present = user_id in present_ids or (row is not None and row.source == "code" and row.present)
        if row is None:
            db.session.add(Attendance(session_id=session.id, user_id=user_id, present=present, source="trainer",
                                      recorded_by_id=actor.id, recorded_at=now))
        elif row.present != present:
            row.present, row.recorded_by_id, row.recorded_at = present, actor.id, now
    db.session.flush()


def register_open(session, now=None):
    """The register can be taken from the time check-in opens (two hours before the session), never earlier."""
    return (now or utcnow()) >= session.starts_at - CHECK_IN_BEFORE


def check_in(user, code):
    """She checks in with the code shown at the session; return the session."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    session = db.session.execute(db.select(CohortSession).filter_by(check_in_code=code)).scalar_one_or_none()
    if session is None or not code:
        raise CohortError("unknown_code")
    member = db.session.execute(db.select(Membership.id).where(
        Membership.cohort_id == session.cohort_id, Membership.user_id == user.id, Membership.role == "learner",
        Membership.left_at.is_(None))).first()
    if member is None:
        raise CohortError("unknown_code")  # the same answer as a wrong code: a code says nothing of other cohorts
    now = utcnow()
    if not session.starts_at - CHECK_IN_BEFORE <= now <= session.starts_at + CHECK_IN_AFTER:
        raise CohortError("check_in_closed")
    row = db.session.execute(db.select(Attendance).where(Attendance.session_id == session.id,
                                                         Attendance.user_id == user.id)).scalar_one_or_none()
    if row is None:
        db.session.add(Attendance(session_id=session.id, user_id=user.id, present=True, source="code",
                                  recorded_by_id=user.id, recorded_at=now))
    elif not row.present:
        row.present, row.source, row.recorded_by_id, row.recorded_at = True, "code", user.id, now
    db.session.flush()
    return session


def sessions_of(cohort_id):
    return db.session.execute(db.select(CohortSession).where(CohortSession.cohort_id == cohort_id)
                              .order_by(CohortSession.starts_at.desc())).scalars().all()


def register(session):
    """Return {user id: Attendance} for a session."""
    return {a.user_id: a for a in db.session.execute(
        db.select(Attendance).where(Attendance.session_id == session.id)).scalars()}


def attendance_grid(cohort):
    """Return (sessions oldest first, learners, {(session id, user id): present}) for the cohort."""
    sessions = list(reversed(sessions_of(cohort.id)))
    marks = {(a.session_id, a.user_id): a.present for a in db.session.execute(
        db.select(Attendance).join(CohortSession).where(CohortSession.cohort_id == cohort.id)).scalars()}
    return sessions, learners_of(cohort), marks


def attendance_of(user_id):
    """Return [(session, present or None)] for the sessions of her current cohorts, latest first."""
    rows = db.session.execute(
        db.select(CohortSession, Attendance.present)
        .join(Membership, db.and_(Membership.cohort_id == CohortSession.cohort_id, Membership.user_id == user_id,
                                  Membership.role == "learner", Membership.left_at.is_(None)))
        .outerjoin(Attendance, db.and_(Attendance.session_id == CohortSession.id, Attendance.user_id == user_id))
        .order_by(CohortSession.starts_at.desc())).all()
    return [(session, present) for session, present in rows]


def next_session(user_id):
    """The next session of one of her current cohorts (as learner or mentor), or None."""
    return db.session.execute(
        db.select(CohortSession).join(Membership, Membership.cohort_id == CohortSession.cohort_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(Membership.user_id == user_id, Membership.left_at.is_(None), Cohort.archived_at.is_(None),
               CohortSession.starts_at >= utcnow() - timedelta(hours=3))
        .order_by(CohortSession.starts_at).limit(1)).scalars().first()
