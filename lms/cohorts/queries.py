"""Read cohorts: a trainer's own, a learner's, and what an overview page shows."""
from lms.cohorts.models import Cohort, Invitation, MentorAssignment, Membership, cohort_paths
from lms.extensions import db

TRAINER_PATH = "training-of-trainers"  # the path whose certificate makes a trainer


def list_cohorts_for(actor):
    """Admins see every cohort, a trainer those she runs."""
    query = db.select(Cohort).order_by(Cohort.archived_at.is_not(None), Cohort.starts_on.desc(), Cohort.name)
    if not actor.has_role("admin"):
        query = query.where(Cohort.trainer_id == actor.id)
    return db.session.execute(query).scalars().all()


def cohorts_of_member(user_id, role="learner"):
    return db.session.execute(
        db.select(Cohort).join(Membership).where(Membership.user_id == user_id, Membership.role == role,
                                                 Membership.left_at.is_(None))
        .order_by(Cohort.name)).scalars().all()


def get_by_join_code(code):
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    return db.session.execute(
        db.select(Cohort).filter_by(join_code=code).where(Cohort.archived_at.is_(None))).scalar_one_or_none()


def mentor_of(cohort_id):
    """Return {learner id: mentor} for the cohort's current assignments."""
    return {a.learner_id: a.mentor for a in db.session.execute(
        db.select(MentorAssignment).filter_by(cohort_id=cohort_id).where(MentorAssignment.ended_at.is_(None))
    ).scalars()}


def unassigned_learners(cohort_id):
    """Current learners of the cohort with no current mentor there: their trainer reviews their work."""
    from lms.accounts.models import User

    assigned = db.select(MentorAssignment.learner_id).where(MentorAssignment.cohort_id == cohort_id,
                                                             MentorAssignment.ended_at.is_(None))
    return db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "learner", Membership.left_at.is_(None),
               User.id.not_in(assigned))
        .order_by(User.display_name)).scalars().all()


def certifiable_learners(trainer_id=None, cohort_id=None):
    """Return [(learner, cohort)]: current learners of her cohorts who hold a valid Training of trainers
    certificate and are not trainers yet, for the prompt to certify them."""
    from lms.accounts.models import User, UserRole
    from lms.catalogue.models import LearningPath
    from lms.progress.models import Certificate

    query = (db.select(User, Cohort).join(Membership, Membership.user_id == User.id)
             .join(Cohort, Cohort.id == Membership.cohort_id)
             .join(Certificate, Certificate.user_id == User.id)
             .join(LearningPath, LearningPath.id == Certificate.path_id)
             .where(Membership.role == "learner", Membership.left_at.is_(None),
                    LearningPath.slug == TRAINER_PATH, Certificate.revoked_at.is_(None),
                    User.id.not_in(db.select(UserRole.user_id).where(UserRole.role == "trainer")))
             .order_by(Certificate.issued_at.desc(), User.display_name))
    if trainer_id is not None:
        query = query.where(Cohort.trainer_id == trainer_id)
    if cohort_id is not None:
        query = query.where(Cohort.id == cohort_id)
    return db.session.execute(query).all()


def assignment_history(cohort_id):
    return db.session.execute(
        db.select(MentorAssignment).filter_by(cohort_id=cohort_id)
        .order_by(MentorAssignment.assigned_at.desc(), MentorAssignment.id.desc())).scalars().all()


def pin_learners(cohort):
    """Learners who can sign in with a PIN, for the shared computer's list."""
    from lms.accounts.models import User

    from lms.core.database import utcnow

    return db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == "learner", Membership.left_at.is_(None),
               Membership.pin_hash.is_not(None), User.active.is_(True),
               db.or_(Membership.pin_expires_at.is_(None), Membership.pin_expires_at > utcnow()))
        .order_by(User.display_name)).scalars().all()


def pending_invitations(user_id):
    """Invitations she has not answered yet, for cohorts still open."""
    return db.session.execute(
        db.select(Invitation).join(Cohort).where(Invitation.user_id == user_id, Invitation.answered_at.is_(None),
                                                 Cohort.archived_at.is_(None))
        .order_by(Invitation.created_at)).scalars().all()


def pending_invitations_to(cohort_id):
    return db.session.execute(
        db.select(Invitation).where(Invitation.cohort_id == cohort_id, Invitation.answered_at.is_(None))
        .order_by(Invitation.created_at)).scalars().all()


def completion_of(cohort):
    """Return {learner id: % of the cohort's current lessons she completed}, in two queries."""
    from lms.catalogue.models import Lesson
    from lms.progress.models import LessonProgress

    lessons = db.select(Lesson.id).join(cohort_paths, cohort_paths.c.path_id == Lesson.path_id) \
        .where(cohort_paths.c.cohort_id == cohort.id, Lesson.retired_at.is_(None))
    total = db.session.scalar(db.select(db.func.count()).select_from(lessons.subquery()))
    if not total:
        return {}
    members = db.select(Membership.user_id).where(Membership.cohort_id == cohort.id, Membership.role == "learner",
                                                  Membership.left_at.is_(None))
    return {user_id: round(100 * done / total) for user_id, done in db.session.execute(
        db.select(LessonProgress.user_id, db.func.count(LessonProgress.id))
        .where(LessonProgress.user_id.in_(members), LessonProgress.lesson_id.in_(lessons),
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.user_id))}
