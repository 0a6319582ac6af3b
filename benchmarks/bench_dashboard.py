"""Cohort dashboard: render time, SQL query count and HTML bytes (raw, and as the app compresses them
for a browser that accepts brotli, or only gzip) for 50 and 500 learners × 40 lessons with realistic
progress, on SQLite and, when asked, on PostgreSQL. The query count must not grow with learners.
Budgets for 500 learners: 300 ms on SQLite, 100 KB compressed.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--postgres postgresql://postgres@127.0.0.1:5432/bench]
(--postgres empties the public schema of that database: never point it at a database in use.)
"""
import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta

from sqlalchemy import event

from lms import create_app
from lms.accounts import sessions
from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.cohorts.models import Cohort, MentorAssignment, Membership, cohort_paths
from lms.config import normalise_database_url
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring.models import Submission
from lms.progress.models import LessonProgress

BUDGET_MS = 300  # 500 learners on SQLite
BUDGET_BYTES = 100 * 1024  # 500 learners, compressed
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
    # They joined a month ago, in a cohort that started then: the dashboard flags what it would flag in the field.
    cohort.starts_on = (now - timedelta(days=30)).date()
    db.session.execute(db.insert(Membership), [{"cohort_id": cohort.id, "user_id": i, "role": "learner",
                                                "joined_at": now - timedelta(days=30)} for i in ids])
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
    # Practical work on every fifth lesson reached, in every state; ten mentors for 80% of the learners.
    work = [{"user_id": r["user_id"], "lesson_id": r["lesson_id"], "text": "x",
             "status": rng.choice(("submitted", "changes_requested", "approved", "approved")),
             "submitted_at": r["last_activity_at"]} for r in rows if r["lesson_id"] % 5 == 0]
    db.session.execute(db.insert(Submission), work)
    db.session.execute(db.insert(User), [{"username": f"m{i}", "display_name": f"Mentor {i}", "password_hash": "x",
                                          "created_at": now} for i in range(10)])
    mentors = db.session.execute(db.select(User.id).where(User.username.like("m%"))).scalars().all()
    db.session.execute(db.insert(Membership), [{"cohort_id": cohort.id, "user_id": m, "role": "mentor",
                                                "joined_at": now} for m in mentors])
    db.session.execute(db.insert(MentorAssignment), [
        {"cohort_id": cohort.id, "learner_id": user_id, "mentor_id": mentors[i % 10], "assigned_by_id": trainer.id,
         "assigned_at": now} for i, user_id in enumerate(ids) if rng.random() < 0.8])
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
        token = sessions.start(db.session.get(User, trainer_id))
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = f"{trainer_id}:{token}"
            session["_fresh"] = True
        url = f"/cohorts/{cohort_id}/dashboard"
        timings, queries = [], []
        for _ in range(7):
            counter["n"] = 0
            t0 = time.perf_counter()
            response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
            timings.append(time.perf_counter() - t0)
            queries.append(counter["n"])
            assert response.status_code == 200, response.status_code
        sizes = {name: len(client.get(url, headers={"Accept-Encoding": accept}).data)
                 for name, accept in (("raw", "identity"), ("br", "br"), ("gzip", "gzip"))}
        last_page = client.get(url + "?page=99&sort=activity")
        assert last_page.status_code == 200
        median = statistics.median(timings) * 1000
        within = learners < 500 or (median <= BUDGET_MS or label != "SQLite") and sizes["br"] <= BUDGET_BYTES
        print(f"{label:10} {learners:4d} learners × 40 lessons ({cells:,} progress rows): "
              f"render median {median:.0f} ms (with compression), {queries[-1]} SQL queries, "
              f"HTML {sizes['raw'] / 1024:.0f} KB raw, {sizes['br'] / 1024:.1f} KB brotli, "
              f"{sizes['gzip'] / 1024:.1f} KB gzip{'' if within else '  OVER BUDGET'}")
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (its schema is emptied)")
    args = parser.parse_args()
    for learners in (50, 500):
        measure(None, "SQLite", learners)
    if not args.postgres:
        return
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
