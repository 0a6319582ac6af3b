"""The cohort dashboard: counts, who needs attention and a learners × lessons grid, in a fixed number of queries.

Counts, groups and the chart need every learner: they come from SQL aggregates. The grid
needs one page of learners: only their cells are read (load_cells). Plain rows throughout,
no ORM object per progress row.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from lms.accounts.models import User
from lms.catalogue.models import Lesson, LessonText
from lms.cohorts.models import MentorAssignment, Membership
from lms.cohorts.sessions_models import Attendance, CohortSession
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.mentoring.models import Submission
from lms.progress.models import LessonProgress

INACTIVE_DAYS = 7
REVIEW_DAYS = 3
PAGE_SIZE = 50
KINDS = ("quiet", "failing", "waiting", "no_mentor")  # the order of the groups on the page
SORTS = ("name", "progress", "activity")


@dataclass(frozen=True)
class Learner:
    """The little the dashboard shows of a learner (500 of them are read as plain rows)."""

    id: int
    display_name: str
    username: str


@dataclass
class Column:
    """A lesson of the grid: its number in its path and its title in the reader's language."""

    id: int
    path_id: int
    number: int
    title: str
    slug: str


@dataclass
class Cell:
    state: str  # done, started, none
    score: int | None = None
    work: str | None = None  # the latest round of practical work: submitted, changes_requested, approved


@dataclass
class Flag:
    """One reason a learner needs attention; `since` orders the group (oldest is the most urgent)."""

    kind: str
    learner: Learner
    since: datetime | None
    detail: list = field(default_factory=list)  # [(Column, since)] for failing and waiting, oldest first


@dataclass
class Dashboard:
    cohort: object
    paths: list  # [(LearningPath, [Column])] in the cohort's order
    lessons: list  # [Column] in grid order
    learners: list  # every current learner, by name
    cells: dict  # (user id, lesson id) -> Cell, for the learners given to load_cells()
    started: bool  # False before the cohort's start date: nothing is flagged then
    learner_done: dict = field(default_factory=dict)
    learner_last: dict = field(default_factory=dict)
    lesson_done: dict = field(default_factory=dict)
    mentors: dict = field(default_factory=dict)  # learner id -> her current mentor's name
    attended: dict = field(default_factory=dict)  # learner id -> sessions she was present at
    sessions_taken: int = 0  # sessions of the cohort whose attendance was taken
    member_ids: object = None  # the select of her current learners' ids
    flags: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def state(self, user_id, lesson_id):
        cell = self.cells.get((user_id, lesson_id))
        return cell.state if cell else "none"

    def cell(self, user_id, lesson_id):
        return self.cells.get((user_id, lesson_id)) or NO_CELL

    def learner_percent(self, user_id):
        return round(100 * self.learner_done.get(user_id, 0) / len(self.lessons)) if self.lessons else 0

    def lesson_percent(self, lesson_id):
        return round(100 * self.lesson_done.get(lesson_id, 0) / len(self.learners)) if self.learners else 0

    def active_since(self, moment):
        return sum(1 for last in self.learner_last.values() if last >= moment)

    @property
    def completed(self):
        """Learners who completed every lesson of the cohort's paths."""
        return sum(1 for done in self.learner_done.values() if self.lessons and done >= len(self.lessons))

    def flagged(self, kind):
        return {flag.learner.id for flag in self.flags[kind]}


NO_CELL = Cell("none")


def build(cohort, language, now=None):
    """Gather everything the dashboard shows for a cohort, titles in this language."""
    now = now or trusted_now()
    paths = list(cohort.paths)
    columns = _columns(paths, language)
    lessons = [c for _path, cs in columns for c in cs]
    lesson_ids = [c.id for c in lessons]
    members = db.select(Membership.user_id).where(Membership.cohort_id == cohort.id, Membership.role == "learner",
                                                  Membership.left_at.is_(None))
    rows = db.session.execute(
        db.select(User.id, User.display_name, User.username, Membership.joined_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == "learner", Membership.left_at.is_(None))
        .order_by(User.display_name, User.id)).all()
    # By name as people read it ("Aïcha" before "Awa"), which a database's binary order is not.
    learners = sorted((Learner(user_id, name, username) for user_id, name, username, _joined in rows),
                      key=lambda l: (fold(l.display_name), l.id))
    joined = {row[0]: row[3] for row in rows}
    board = Dashboard(cohort, columns, lessons, learners, {}, started=_started(cohort, now))
    board.member_ids, failing, waiting = members, [], []
    if lesson_ids:
        # Counts and flags come from SQL aggregates: no Python loop over every progress row.
        progress = db.and_(LessonProgress.user_id.in_(members), LessonProgress.lesson_id.in_(lesson_ids),
                           LessonProgress.last_activity_at.is_not(None))
        for user_id, done, last in _rows(
                db.select(LessonProgress.user_id, db.func.count(LessonProgress.completed_at),
                          db.func.max(LessonProgress.last_activity_at)).where(progress)
                .group_by(LessonProgress.user_id)):
            board.learner_last[user_id] = last
            if done:
                board.learner_done[user_id] = done
        board.lesson_done = dict(_rows(
            db.select(LessonProgress.lesson_id, db.func.count(LessonProgress.id))
            .where(progress, LessonProgress.completed_at.is_not(None)).group_by(LessonProgress.lesson_id)))
        failing = _rows(db.select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.last_activity_at)
                        .where(progress, LessonProgress.failed_attempts >= 2, LessonProgress.passed_at.is_(None)))
        waiting = _rows(db.select(Submission.user_id, Submission.lesson_id, Submission.submitted_at)
                        .where(Submission.user_id.in_(members), Submission.lesson_id.in_(lesson_ids),
                               Submission.status == "submitted"))
    board.mentors = dict(db.session.execute(
        db.select(MentorAssignment.learner_id, User.display_name).join(User, User.id == MentorAssignment.mentor_id)
        .where(MentorAssignment.cohort_id == cohort.id, MentorAssignment.ended_at.is_(None))).all())
    _attendance(board, cohort)
    if board.started:
        _flag(board, joined, failing, waiting, now)
    return board


def _attendance(board, cohort):
    """Sessions each learner attended, out of those whose attendance was taken: two aggregates for the cohort."""
    taken = db.select(Attendance.session_id).join(CohortSession).where(CohortSession.cohort_id == cohort.id)
    board.sessions_taken = db.session.execute(
        db.select(db.func.count(db.distinct(Attendance.session_id))).where(Attendance.session_id.in_(taken))
    ).scalar_one()
    if board.sessions_taken:
        board.attended = dict(_rows(
            db.select(Attendance.user_id, db.func.count(Attendance.id))
            .where(Attendance.session_id.in_(taken), Attendance.present.is_(True),
                   Attendance.user_id.in_(board.member_ids)).group_by(Attendance.user_id)))


def _columns(paths, language):
    """Return [(path, [Column])]: titles are read alone, not with the lessons' whole texts."""
    path_ids = [p.id for p in paths]
    if not path_ids:
        return []
    rows = db.session.execute(
        db.select(Lesson.id, Lesson.path_id, Lesson.slug)
        .where(Lesson.path_id.in_(path_ids), Lesson.retired_at.is_(None))
        .order_by(Lesson.path_id, Lesson.position, Lesson.id)).all()
    titles = {}
    for lesson_id, lang, title in db.session.execute(
            db.select(LessonText.lesson_id, LessonText.language, LessonText.title)
            .where(LessonText.lesson_id.in_([r[0] for r in rows]))):
        titles.setdefault(lesson_id, {})[lang] = title
    by_path = {p: [] for p in path_ids}
    for lesson_id, path_id, slug in rows:
        found = titles.get(lesson_id, {})
        title = found.get(language) or found.get("fr") or found.get("en") or next(iter(found.values()), slug)
        by_path[path_id].append(Column(lesson_id, path_id, len(by_path[path_id]) + 1, title, slug))
    return [(p, by_path[p.id]) for p in paths if by_path[p.id]]


def _started(cohort, now):
    return cohort.starts_on is None or cohort.starts_on <= now.date()


def _rows(statement):
    """Run a select of plain columns without the ORM's per-row work (thousands of rows here)."""
    return db.session.connection().execute(statement).all()


def load_cells(board, learners):
    """Read the cells of these learners only (a page of the grid, or everyone for the CSV): their
    progress, and the state of the latest round of their practical work."""
    ids = [l.id for l in learners]
    lesson_ids = [c.id for c in board.lessons]
    if not ids or not lesson_ids:
        return board
    chunks = [ids[i:i + 500] for i in range(0, len(ids), 500)]  # bounded IN lists
    for chunk in chunks:
        for user_id, lesson_id, completed, score in _rows(
                db.select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.completed_at,
                          LessonProgress.best_score)
                .where(LessonProgress.user_id.in_(chunk), LessonProgress.lesson_id.in_(lesson_ids),
                       LessonProgress.last_activity_at.is_not(None))):
            board.cells[(user_id, lesson_id)] = Cell("done" if completed else "started", score)
        for user_id, lesson_id, status in _rows(
                db.select(Submission.user_id, Submission.lesson_id, Submission.status)
                .where(Submission.user_id.in_(chunk), Submission.lesson_id.in_(lesson_ids))
                .order_by(Submission.round, Submission.submitted_at, Submission.id)):
            cell = board.cells.get((user_id, lesson_id))
            if cell is None:
                cell = board.cells[(user_id, lesson_id)] = Cell("started")
            cell.work = status  # the latest round comes last
    return board


def _flag(board, joined, failing, waiting, now):
    """Fill the groups, most urgent first. A learner is quiet once she has been in the cohort
    (since its start, or since she joined if later) for a week without any activity."""
    users = {l.id: l for l in board.learners}
    columns = {c.id: c for c in board.lessons}
    start = datetime.combine(board.cohort.starts_on, time()) if board.cohort.starts_on else None
    quiet_before = now - timedelta(days=INACTIVE_DAYS)
    for learner in board.learners:
        since = max(d for d in (start, joined[learner.id]) if d is not None)
        last = board.learner_last.get(learner.id)
        if (last or since) < quiet_before:
            board.flags["quiet"].append(Flag("quiet", learner, last))
        if learner.id not in board.mentors:
            board.flags["no_mentor"].append(Flag("no_mentor", learner, since))
    _per_learner(board, "failing", users, columns, failing)
    review_before = now - timedelta(days=REVIEW_DAYS)
    _per_learner(board, "waiting", users, columns, [w for w in waiting if w[2] < review_before])
    for kind in KINDS:  # never active comes first among the quiet, then the longest silence
        board.flags[kind].sort(key=lambda f: (f.since is not None, f.since or datetime.min, f.learner.display_name))


def _per_learner(board, kind, users, columns, found):
    """One flag per learner: the lessons concerned, oldest first; she ranks by her oldest."""
    lessons = {}
    for user_id, lesson_id, since in sorted(found, key=lambda f: f[2]):
        lessons.setdefault(user_id, []).append((columns[lesson_id], since))
    for user_id, items in lessons.items():
        board.flags[kind].append(Flag(kind, users[user_id], items[0][1], items))


def fold(text):
    """Lower-case without accents, so that "aicha" finds "Aïcha"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass
class Selection:
    """The grid's page of learners for a name search, a status, a sort order and a page number."""

    learners: list
    total: int
    page: int
    pages: int
    q: str
    status: str
    sort: str
    size: int

    @property
    def first(self):
        """The position of the page's first learner, counting from 1."""
        return (self.page - 1) * self.size + 1


def select(board, q="", status="", sort="", page=1, size=PAGE_SIZE):
    """Filter, sort and cut the learners for one page of the grid; unknown values fall back to defaults.

    Without a sort, learners come by name, or most urgent first when a status is chosen.
    """
    q = (q or "").strip()[:80]
    status = status if status in KINDS else ""
    sort = sort if sort in SORTS else ""
    learners = board.learners
    if status:
        urgent = [f.learner for f in board.flags[status]]
        learners = list(dict.fromkeys(urgent))  # urgency order, each learner once
    if q:
        needle = fold(q)
        learners = [l for l in learners if needle in fold(l.display_name) or needle in l.username.casefold()]
    if sort == "name" and status:
        learners = sorted(learners, key=lambda l: (fold(l.display_name), l.id))
    elif sort == "progress":
        learners = sorted(learners, key=lambda l: (board.learner_done.get(l.id, 0), l.display_name))
    elif sort == "activity":
        last = board.learner_last
        learners = sorted(learners, key=lambda l: (l.id in last, last.get(l.id, datetime.min), fold(l.display_name)))
    pages = max(1, -(-len(learners) // size))
    page = min(max(1, page), pages)
    return Selection(learners[(page - 1) * size:page * size], len(learners), page, pages, q, status, sort, size)
