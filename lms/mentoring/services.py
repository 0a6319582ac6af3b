"""Operations on practical work and mentoring. They take the actor and plain data; the caller commits."""
from datetime import timedelta

from lms.core.database import utcnow
from lms.core.i18n import writing_language
from lms.core.markdown import render_user_text
from lms.extensions import db
from lms.media.voice_notes import voice_columns
from lms.mentoring.models import MentoringNote, Review, Submission
from lms.mentoring.policy import can_mentor, can_review
from lms.mentoring.signals import submission_reviewed
from lms.progress import certificates


class MentoringError(ValueError):
    """A rule about mentoring was broken; the message names which."""


def latest_submission(user_id, lesson_id):
    return db.session.execute(
        db.select(Submission).filter_by(user_id=user_id, lesson_id=lesson_id)
        .order_by(Submission.round.desc()).limit(1)).scalar_one_or_none()


def submit_work(learner, lesson, text=None, link=None, photo=None, voice=None):
    """Hand in a new round of work for a lesson's assignment; voice: a stored voice note (voice_notes.StoredVoice)."""
    assignment = next((t.assignment for t in lesson.texts if t.assignment), None)
    if assignment is None:
        raise MentoringError("no_assignment")
    text, link = (text or "").strip() or None, (link or "").strip() or None
    if not (text or link or photo or voice):
        raise MentoringError("empty")
    previous = latest_submission(learner.id, lesson.id)
    if previous and previous.status == "approved":
        raise MentoringError("already_approved")
    if previous and previous.status == "submitted":
        raise MentoringError("waiting_for_review")
    submission = Submission(user_id=learner.id, lesson_id=lesson.id, round=(previous.round + 1 if previous else 1),
                            text=text, link=link, photo=photo, language=writing_language(learner),
                            **voice_columns(voice))
    db.session.add(submission)
    db.session.flush()
    return submission


def review_work(mentor, submission, decision, feedback, voice=None):
    """Approve the work or ask for changes, with feedback in Markdown (sanitised) and/or a stored voice note."""
    if not can_review(mentor, submission):
        raise MentoringError("not_allowed")
    if decision not in ("approved", "changes_requested"):
        raise MentoringError("bad_decision")
    if submission.status != "submitted":
        raise MentoringError("already_reviewed")
    feedback = (feedback or "").strip()
    if decision == "changes_requested" and not (feedback or voice):
        raise MentoringError("feedback_needed")
    html = render_user_text(feedback)
    review = Review(submission=submission, mentor_id=mentor.id, decision=decision, feedback=feedback,
                    feedback_html=html, language=writing_language(mentor), **voice_columns(voice))
    submission.status = decision
    db.session.add(review)
    db.session.flush()
    if decision == "approved":
        certificates.issue_completed(submission.user, {submission.lesson.path_id})
    submission_reviewed.send(None, submission=submission, review=review)
    return review


def add_note(mentor, learner, met_on, notes, next_steps):
    """Write down a mentoring meeting."""
    if not can_mentor(mentor, learner.id):
        raise MentoringError("not_allowed")
    if not (notes or "").strip() and not (next_steps or "").strip():
        raise MentoringError("note_empty")
    if met_on > utcnow().date() + timedelta(days=1):  # a day's grace: the server keeps UTC, she her own time
        raise MentoringError("met_in_future")
    note = MentoringNote(learner_id=learner.id, mentor_id=mentor.id, met_on=met_on,
                         notes=(notes or "").strip(), next_steps=(next_steps or "").strip(),
                         language=writing_language(mentor))
    db.session.add(note)
    db.session.flush()
    return note


def assignments_missing(user, path, lessons):
    """Completion rule: every lesson with practical work has an approved submission; return those without."""
    needing = [l for l in lessons if any(t.assignment for t in l.texts)]
    if not needing:
        return []
    latest = {}
    for lesson_id, status in db.session.execute(
            db.select(Submission.lesson_id, Submission.status)
            .where(Submission.user_id == user.id, Submission.lesson_id.in_([l.id for l in needing]))
            .order_by(Submission.round)):
        latest[lesson_id] = status if latest.get(lesson_id) != "approved" else "approved"
    reasons = {None: "work_not_sent", "submitted": "work_waiting", "changes_requested": "work_changes_requested"}
    return [(l, reasons[latest.get(l.id)]) for l in needing if latest.get(l.id) != "approved"]


certificates.COMPLETION_RULES.append(assignments_missing)
