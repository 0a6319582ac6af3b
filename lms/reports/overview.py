"""The programme overview for admins: learners, activity, completions and certificates, and the funnel."""
from collections import defaultdict
from datetime import timedelta

from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson
from lms.cohorts.models import Cohort, Membership
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.progress.models import Certificate, LessonProgress

ACTIVE_DAYS = 30


def build(now=None):
    now = now or trusted_now()
    learner_ids = db.select(UserRole.user_id).where(UserRole.role == "learner")
    learners = db.session.execute(db.select(User.id, User.country).where(User.id.in_(learner_ids))).all()
    country = {user_id: code or "—" for user_id, code in learners}
    active = set(db.session.execute(
        db.select(LessonProgress.user_id).where(LessonProgress.last_activity_at >= now - timedelta(days=ACTIVE_DAYS),
                                                LessonProgress.user_id.in_(learner_ids)).distinct()).scalars())
    lesson_path = dict(db.session.execute(db.select(Lesson.id, Lesson.path_id).where(Lesson.retired_at.is_(None))).all())
    path_size = defaultdict(int)
    for path_id in lesson_path.values():
        path_size[path_id] += 1
    started, done = set(), defaultdict(lambda: defaultdict(int))  # done[user][path] = lessons completed
    completions = defaultdict(int)  # (dimension, key) -> lesson completions
    cohorts_of = defaultdict(set)
    for user_id, cohort_name in db.session.execute(
            db.select(Membership.user_id, Cohort.name).join(Cohort).where(Membership.role == "learner")):
        cohorts_of[user_id].add(cohort_name)
    for user_id, lesson_id, completed_at in db.session.execute(
            db.select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.completed_at)
            .where(LessonProgress.user_id.in_(learner_ids))):
        if lesson_id not in lesson_path:
            continue
        started.add(user_id)
        if completed_at:
            path_id = lesson_path[lesson_id]
            done[user_id][path_id] += 1
            completions[("country", country.get(user_id, "—"))] += 1
            completions[("path", path_id)] += 1
            for name in cohorts_of.get(user_id, ()):
                completions[("cohort", name)] += 1
    certificates = defaultdict(int)
    certified = set()
    for user_id, path_id in db.session.execute(
            db.select(Certificate.user_id, Certificate.path_id).where(Certificate.revoked_at.is_(None))):
        certified.add(user_id)
        certificates[("country", country.get(user_id, "—"))] += 1
        certificates[("path", path_id)] += 1
        for name in cohorts_of.get(user_id, ()):
            certificates[("cohort", name)] += 1
    paths = {p.id: p for p in db.session.execute(db.select(LearningPath)).scalars()}
    half = {u for u, per_path in done.items() if any(n * 2 >= path_size[p] for p, n in per_path.items())}

    def table(dimension, keys, label):
        return [(label(key), completions[(dimension, key)], certificates[(dimension, key)]) for key in keys]

    learners_by_country = defaultdict(int)
    for user_id in country:
        learners_by_country[country[user_id]] += 1
    return {
        "learners": len(country),
        "active": len(active),
        "by_country": [(code, learners_by_country[code], completions[("country", code)],
                        certificates[("country", code)]) for code in sorted(learners_by_country)],
        "by_cohort": table("cohort", sorted({n for names in cohorts_of.values() for n in names}), lambda k: k),
        "by_path": table("path", sorted(paths, key=lambda i: paths[i].position), lambda k: paths[k]),
        "funnel": [("registered", len(country)), ("started", len(started)),
                   ("completed_one", sum(1 for u in done if sum(done[u].values()))),
                   ("half_a_path", len(half)), ("certificate", len(certified & set(country)))],
    }
