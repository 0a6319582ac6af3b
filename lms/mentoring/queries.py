"""Read mentoring: a mentor's mentees and queue, a learner's work and feedback, the log."""
from lms.accounts.models import User
from lms.catalogue.models import Lesson
from lms.cohorts.models import Cohort, MentorAssignment
from lms.extensions import db
from lms.mentoring.models import MentoringNote, Review, Submission
from lms.progress.models import LessonProgress


def mentees(mentor_id):
    """Return [(learner, cohort)] she currently mentors, by name."""
    return db.session.execute(
        db.select(User, Cohort).join(MentorAssignment, MentorAssignment.learner_id == User.id)
        .join(Cohort, Cohort.id == MentorAssignment.cohort_id)
        .where(MentorAssignment.mentor_id == mentor_id, MentorAssignment.ended_at.is_(None))
        .order_by(User.display_name)).all()


def _waiting(mentor_id):
    return (db.select(Submission).join(MentorAssignment, MentorAssignment.learner_id == Submission.user_id)
            .where(MentorAssignment.mentor_id == mentor_id, MentorAssignment.ended_at.is_(None),
                   Submission.status == "submitted"))


def review_queue(mentor_id):
    """Submissions of her mentees waiting for review, oldest first."""
    return db.session.execute(_waiting(mentor_id).order_by(Submission.submitted_at)).scalars().unique().all()


def count_review_queue(mentor_id):
    waiting = _waiting(mentor_id).subquery()
    return db.session.execute(db.select(db.func.count(db.distinct(waiting.c.id)))).scalar()


def submissions_of(user_id, lesson_id=None):
    query = db.select(Submission).filter_by(user_id=user_id)
    if lesson_id is not None:
        query = query.filter_by(lesson_id=lesson_id)
    return db.session.execute(query.order_by(Submission.submitted_at.desc(), Submission.round.desc())).scalars().all()


def recent_feedback(user_id, limit=5):
    return db.session.execute(
        db.select(Review).join(Submission).where(Submission.user_id == user_id)
        .order_by(Review.created_at.desc()).limit(limit)).scalars().all()


def notes_of(learner_id):
    return db.session.execute(
        db.select(MentoringNote).filter_by(learner_id=learner_id)
        .order_by(MentoringNote.met_on.desc(), MentoringNote.id.desc())).scalars().all()


def mentee_summaries(mentor_id):
    """For each mentee: lessons completed, last activity, work waiting for review."""
    rows = mentees(mentor_id)
    ids = [learner.id for learner, _ in rows]
    done, last = {}, {}
    if ids:
        for user_id, completed, activity in db.session.execute(
                db.select(LessonProgress.user_id, LessonProgress.completed_at, LessonProgress.last_activity_at)
                .where(LessonProgress.user_id.in_(ids))):
            done[user_id] = done.get(user_id, 0) + (completed is not None)
            if activity and (user_id not in last or activity > last[user_id]):
                last[user_id] = activity
    waiting = dict(db.session.execute(
        db.select(Submission.user_id, db.func.count(Submission.id))
        .where(Submission.user_id.in_(ids), Submission.status == "submitted").group_by(Submission.user_id)).all()) if ids else {}
    return [{"learner": learner, "cohort": cohort, "done": done.get(learner.id, 0), "last": last.get(learner.id),
             "waiting": waiting.get(learner.id, 0)} for learner, cohort in rows]


def lesson_of(submission):
    return db.session.get(Lesson, submission.lesson_id)
