"""The cohort dashboard: a learners × lessons grid built with a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import timedelta

from lms.accounts.models import User
from lms.catalogue.models import Lesson
from lms.cohorts.models import MentorAssignment, Membership
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.mentoring.models import Submission
from lms.progress.models import LessonProgress

INACTIVE_DAYS = 7
REVIEW_DAYS = 3


@dataclass
class Dashboard:
    cohort: object
    lessons: list
    learners: list
    cells: dict  # (user id, lesson id) -> LessonProgress
    learner_done: dict = field(default_factory=dict)
    learner_last: dict = field(default_factory=dict)
    lesson_done: dict = field(default_factory=dict)
    attention: list = field(default_factory=list)  # (kind, learner, detail)
    mentors: dict = field(default_factory=dict)

    def state(self, user_id, lesson_id):
        progress = self.cells.get((user_id, lesson_id))
        if progress is None or progress.last_activity_at is None:
            return "none"
        return "done" if progress.completed_at else "started"

    def row(self, user_id):
        """Return the learner's cells as (state, mark, score or '') in lesson order."""
        marks = {"done": "✓", "started": "…", "none": "·"}
        cells = []
        for lesson in self.lessons:
            progress = self.cells.get((user_id, lesson.id))
            state = self.state(user_id, lesson.id)
            score = progress.best_score if progress is not None and progress.best_score is not None else ""
            cells.append((state, marks[state], score))
        return cells

    def learner_percent(self, user_id):
        return round(100 * self.learner_done.get(user_id, 0) / len(self.lessons)) if self.lessons else 0

    def lesson_percent(self, lesson_id):
        return round(100 * self.lesson_done.get(lesson_id, 0) / len(self.learners)) if self.learners else 0


def build(cohort, now=None):
    """Gather everything the dashboard shows for a cohort."""
    now = now or trusted_now()
    path_ids = [p.id for p in cohort.paths]
    lessons = db.session.execute(
        db.select(Lesson).where(Lesson.path_id.in_(path_ids), Lesson.retired_at.is_(None))
        .order_by(Lesson.path_id, Lesson.position)).scalars().all() if path_ids else []
    order = {pid: i for i, pid in enumerate(path_ids)}
    lessons.sort(key=lambda l: (order[l.path_id], l.position))
    members = db.select(Membership.user_id).where(Membership.cohort_id == cohort.id, Membership.role == "learner",
                                                  Membership.left_at.is_(None))
    learners = db.session.execute(
        db.select(User).where(User.id.in_(members)).order_by(User.display_name)).scalars().all()
    lesson_ids = {l.id for l in lessons}
    cells = {}
    for progress in db.session.execute(
            db.select(LessonProgress).where(LessonProgress.user_id.in_(members),
                                            LessonProgress.lesson_id.in_(lesson_ids))).scalars():
        cells[(progress.user_id, progress.lesson_id)] = progress
    board = Dashboard(cohort, lessons, learners, cells)
    for (user_id, lesson_id), progress in cells.items():
        if progress.completed_at:
            board.learner_done[user_id] = board.learner_done.get(user_id, 0) + 1
            board.lesson_done[lesson_id] = board.lesson_done.get(lesson_id, 0) + 1
        if progress.last_activity_at and progress.last_activity_at > board.learner_last.get(user_id, progress.last_activity_at.min):
            board.learner_last[user_id] = progress.last_activity_at
    board.mentors = {a.learner_id: a.mentor for a in db.session.execute(
        db.select(MentorAssignment).filter_by(cohort_id=cohort.id).where(MentorAssignment.ended_at.is_(None))).scalars()}
    _needs_attention(board, members, lesson_ids, now)
    return board


def _needs_attention(board, members, lesson_ids, now):
    by_id = {l.id: l for l in board.learners}
    lessons = {l.id: l for l in board.lessons}
    quiet_since = now - timedelta(days=INACTIVE_DAYS)
    for learner in board.learners:
        last = board.learner_last.get(learner.id)
        if last is None or last < quiet_since:
            board.attention.append(("inactive", learner, last))
    for (user_id, lesson_id), progress in sorted(board.cells.items()):
        if progress.failed_attempts >= 2 and progress.passed_at is None:
            board.attention.append(("failed_check", by_id[user_id], lessons[lesson_id]))
    waiting_since = now - timedelta(days=REVIEW_DAYS)
    for submission in db.session.execute(
            db.select(Submission).where(Submission.user_id.in_(members), Submission.lesson_id.in_(lesson_ids),
                                        Submission.status == "submitted", Submission.submitted_at < waiting_since)
            .order_by(Submission.submitted_at)).scalars():
        board.attention.append(("waiting_review", by_id[submission.user_id], submission))
