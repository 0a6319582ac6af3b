"""Read mentoring: a mentor's mentees and queue, a learner's work and feedback, the log."""
from lms.accounts.models import User
from lms.catalogue.models import Lesson
from lms.cohorts.models import Cohort, MentorAssignment
from lms.extensions import db
from lms.mentoring import policy
from lms.mentoring.models import MentoringNote, Review, Submission
from lms.progress.models import LessonProgress


def mentees(mentor_id):
    """Return [(learner, cohort)] she currently mentors, by name."""
    return db.session.execute(
        db.select(User, Cohort).join(MentorAssignment, MentorAssignment.learner_id == User.id)
        .join(Cohort, Cohort.id == MentorAssignment.cohort_id)
        .where(MentorAssignment.mentor_id == mentor_id, MentorAssignment.ended_at.is_(None))
        .order_by(User.display_name)).all()


def _candidates(actor_id):
    """Work waiting whose reviewer she may be: her current mentees', and her cohorts' current learners'."""
    from lms.cohorts.models import Membership

    mine = db.select(MentorAssignment.learner_id).where(MentorAssignment.mentor_id == actor_id,
                                                        MentorAssignment.ended_at.is_(None))
    trained = (db.select(Membership.user_id).join(Cohort, Cohort.id == Membership.cohort_id)
               .where(Cohort.trainer_id == actor_id, Membership.role == "learner", Membership.left_at.is_(None)))
    return db.session.execute(
        db.select(Submission, Lesson.path_id).join(Lesson, Lesson.id == Submission.lesson_id)
        .where(Submission.status == "submitted", Submission.user_id != actor_id,
               db.or_(Submission.user_id.in_(mine), Submission.user_id.in_(trained)))
        .order_by(Submission.submitted_at, Submission.id)).all()


def review_queue(actor_id):
    """Work waiting for her review (she is its reviewer_for: mentor, or trainer of a learner without one), oldest first."""
    rows = _candidates(actor_id)
    reviewers = policy.reviewers_for((s.user_id, path_id) for s, path_id in rows)
    return [s for s, path_id in rows
            if reviewers[s.user_id, path_id] is not None and reviewers[s.user_id, path_id].user.id == actor_id]


def count_review_queue(actor_id):
    return len(review_queue(actor_id))


def next_to_review(actor_id):
    """The oldest work waiting for her review, or None."""
    queue = review_queue(actor_id)
    return queue[0] if queue else None


def submissions_of(user_id, lesson_id=None):
    query = db.select(Submission).filter_by(user_id=user_id)
    if lesson_id is not None:
        query = query.filter_by(lesson_id=lesson_id)
    return db.session.execute(query.order_by(Submission.submitted_at.desc(), Submission.round.desc())).scalars().all()


def open_work(user_id):
    """Her latest round per lesson when it is not approved yet (waiting for review or changes requested)."""
    latest = {}
    for submission in submissions_of(user_id):  # newest first
        latest.setdefault(submission.lesson_id, submission)
    return [s for s in latest.values() if s.status != "approved"]


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
