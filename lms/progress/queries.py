"""Where learners stand: per lesson, per path, what to do next, what they did lately."""
from lms.accounts import visibility
from lms.catalogue.models import LearningPath, Lesson
from lms.extensions import db
from lms.progress.models import Certificate, LessonProgress, ProgressEvent, QuizAttempt


def can_view_progress(actor, learner):
    """Herself, admins, and whoever the visibility rules allow (her trainer, her mentor)."""
    return visibility.can_see(actor, learner)


def progress_by_lesson(user_id, lesson_ids=None):
    """Return {lesson id: LessonProgress} for this learner."""
    query = db.select(LessonProgress).filter_by(user_id=user_id)
    if lesson_ids is not None:
        query = query.where(LessonProgress.lesson_id.in_(list(lesson_ids)))
    return {p.lesson_id: p for p in db.session.execute(query).scalars()}


def lesson_state(progress):
    if progress is None or (progress.first_opened_at is None and progress.last_activity_at is None):
        return None
    return "done" if progress.completed_at else "started"


def path_percentages(user_id, paths):
    """Return {path id: percent of its active lessons completed} for paths she has started."""
    lesson_ids = {l.id: p.id for p in paths for l in p.lessons if l.retired_at is None}
    totals = {}
    for path_id in lesson_ids.values():
        totals[path_id] = totals.get(path_id, 0) + 1
    done, started = {}, set()
    for progress in progress_by_lesson(user_id, lesson_ids).values():
        path_id = lesson_ids[progress.lesson_id]
        started.add(path_id)
        if progress.completed_at:
            done[path_id] = done.get(path_id, 0) + 1
    return {path_id: round(100 * done.get(path_id, 0) / totals[path_id]) for path_id in started}


def next_lesson(user_id):
    """Return the lesson to continue with: the last one she worked on, or the one after it."""
    latest = db.session.execute(
        db.select(LessonProgress).join(Lesson).where(
            LessonProgress.user_id == user_id, Lesson.retired_at.is_(None),
            LessonProgress.last_activity_at.is_not(None))
        .order_by(LessonProgress.last_activity_at.desc()).limit(1)).scalar_one_or_none()
    if latest is None:
        return None
    lesson = latest.lesson
    if not latest.completed_at:
        return lesson
    lessons = [l for l in lesson.path.lessons if l.retired_at is None]
    done = progress_by_lesson(user_id, [l.id for l in lessons])
    after = lessons[lessons.index(lesson) + 1:] + lessons[:lessons.index(lesson)]
    return next((l for l in after if not (done.get(l.id) and done[l.id].completed_at)), None)


def first_unfinished(user_id, paths):
    """Return the first lesson of these paths (in their order) she has not completed, or None."""
    lessons = [l for p in paths if p.retired_at is None for l in p.lessons if l.retired_at is None]
    done = progress_by_lesson(user_id, [l.id for l in lessons])
    return next((l for l in lessons if not (done.get(l.id) and done[l.id].completed_at)), None)


def recent_certificates(user_id, since):
    """Her valid certificates issued since this time, newest first."""
    return db.session.execute(
        db.select(Certificate).where(Certificate.user_id == user_id, Certificate.issued_at >= since,
                                     Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at.desc())).scalars().all()


def followed_paths(user_id):
    """Return the active paths in which she has done anything, in catalogue order."""
    return db.session.execute(
        db.select(LearningPath).where(LearningPath.retired_at.is_(None), LearningPath.id.in_(
            db.select(Lesson.path_id).join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(LessonProgress.user_id == user_id)))
        .order_by(LearningPath.position)).scalars().all()


def activity_timeline(user_id, limit=15):
    """Return her latest activity with repeats grouped: what she did to a lesson on one day counts once.

    Each item is a dict: type, lesson, titles ({language: title}), count, first and last (times).
    Three "opened" in a minute read as "opened 3 times", not as three lines.
    """
    rows = db.session.execute(
        db.select(ProgressEvent.type, ProgressEvent.occurred_at, Lesson)
        .join(Lesson, ProgressEvent.lesson_id == Lesson.id)
        .where(ProgressEvent.user_id == user_id, ProgressEvent.type != "time_spent")
        .order_by(ProgressEvent.occurred_at.desc()).limit(limit * 20)).all()
    groups = {}
    for kind, occurred_at, lesson in rows:
        key = (occurred_at.date(), lesson.id, kind)
        group = groups.get(key)
        if group is None:
            if len(groups) == limit:
                break
            groups[key] = {"type": kind, "lesson": lesson, "count": 1, "first": occurred_at, "last": occurred_at,
                           "titles": {text.language: text.title for text in lesson.texts}}
        else:
            group["count"] += 1
            group["first"] = occurred_at
    return list(groups.values())


def latest_attempt(user_id, lesson_id):
    return db.session.execute(
        db.select(QuizAttempt).filter_by(user_id=user_id, lesson_id=lesson_id)
        .order_by(QuizAttempt.occurred_at.desc(), QuizAttempt.id.desc()).limit(1)).scalar_one_or_none()


def certificates_of(user_id):
    return db.session.execute(
        db.select(Certificate).filter_by(user_id=user_id).order_by(Certificate.issued_at.desc())).scalars().all()
