"""Cohort dashboard: render time and SQL query count for 500 learners × 40 lessons with realistic
progress, on SQLite and (when reachable) on PostgreSQL. The query count must not grow with learners.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""
import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta

from sqlalchemy import event

from lms import create_app
from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.cohorts.models import Cohort, Membership, cohort_paths
from lms.config import normalise_database_url
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import LessonProgress

QUIZ = {"questions": [{"id": "q1", "multiple": False, "answers": [{"id": "a1", "correct": True}]}]}


def seed(learners, lessons_count=40, seed=11):
    """Bulk-insert a cohort of learners with realistic progress (fast, not through the API)."""
    rng = random.Random(seed)
    now = utcnow()
    trainer = User(username="trainer", display_name="Trainer", password_hash="x")
    db.session.add(trainer)
    db.session.flush()
    db.session.add(UserRole(user_id=trainer.id, role="trainer"))
    paths = []
    for p in range(4):
        path = LearningPath(slug=f"path-{p}", position=p, title={"fr": f"Parcours {p}", "en": f"Path {p}"})
        db.session.add(path)
        paths.append(path)
    db.session.flush()
    lessons = []
    for i in range(lessons_count):
        lesson = Lesson(slug=f"lesson-{i}", path_id=paths[i // 10].id, position=i % 10)
        db.session.add(lesson)
        lessons.append(lesson)
    db.session.flush()
    db.session.execute(db.insert(LessonText), [
        {"lesson_id": l.id, "language": lang, "title": f"Leçon {l.position}", "quiz": QUIZ if l.position % 2 else None}
        for l in lessons for lang in ("fr", "en")])
    cohort = Cohort(name="Big cohort", join_code="BIG001", trainer_id=trainer.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.execute(db.insert(cohort_paths), [{"cohort_id": cohort.id, "path_id": p.id} for p in paths])
    users = [{"username": f"l{i}", "display_name": f"Learner {i:03d}", "password_hash": "x", "locale": "fr",
              "must_change_password": False, "active": True, "created_at": now} for i in range(learners)]
    db.session.execute(db.insert(User), users)
    ids = db.session.execute(db.select(User.id).where(User.username.like("l%"))).scalars().all()
    db.session.execute(db.insert(Membership), [{"cohort_id": cohort.id, "user_id": i, "role": "learner",
                                                "joined_at": now} for i in ids])
    rows = []
    for user_id in ids:
        reached = rng.randint(0, lessons_count)
        quiet = rng.random() < 0.15
        for index, lesson in enumerate(lessons[:reached]):
            done = index < reached - 1 or rng.random() < 0.5
            at = now - timedelta(days=rng.randint(8, 40) if quiet else rng.randint(0, 6))
            failed = rng.random() < 0.05
            rows.append({"user_id": user_id, "lesson_id": lesson.id, "first_opened_at": at, "last_opened_at": at,
                         "last_activity_at": at, "completed_at": at if done and not failed else None,
                         "time_spent_seconds": rng.randint(60, 1800), "attempts": 2 if failed else 1,
                         "failed_attempts": 2 if failed else 0, "best_score": 50 if failed else 100,
                         "passed_at": None if failed else at})
    for start in range(0, len(rows), 5000):
        db.session.execute(db.insert(LessonProgress), rows[start:start + 5000])
    db.session.commit()
    return cohort.id, trainer.id, len(rows)


def measure(url, label, learners):
    tmp = tempfile.mkdtemp()
    config = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp}/lms.sqlite3",
              "WTF_CSRF_ENABLED": False}
    app = create_app(config, instance_path=tmp)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()
        cohort_id, trainer_id, cells = seed(learners)
        counter = {"n": 0}

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args):
            counter["n"] += 1

        app.extensions["lms.admin_exists"] = True
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(trainer_id)
            session["_fresh"] = True
        timings, queries = [], []
        for _ in range(7):
            counter["n"] = 0
            t0 = time.perf_counter()
            response = client.get(f"/cohorts/{cohort_id}/dashboard")
            timings.append(time.perf_counter() - t0)
            queries.append(counter["n"])
            assert response.status_code == 200, response.status_code
        print(f"{label:10} {learners:4d} learners × 40 lessons ({cells:,} progress rows): "
              f"render median {statistics.median(timings) * 1000:.0f} ms, {queries[-1]} SQL queries, "
              f"{len(response.data) / 1024:.0f} KB of HTML")
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    for learners in (50, 500):
        measure(None, "SQLite", learners)
    try:
        import psycopg

        psycopg.connect(args.postgres.replace("postgresql+psycopg", "postgresql"), connect_timeout=3).close()
    except Exception as exc:  # PostgreSQL is optional on a user's machine
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}): skipped")
        return
    for learners in (50, 500):
        measure(normalise_database_url(args.postgres), "PostgreSQL", learners)


if __name__ == "__main__":
    main()
