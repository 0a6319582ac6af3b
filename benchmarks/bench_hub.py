"""Hub budgets on PostgreSQL: ingest from a centre's bundle (events/s) and the programme overview's render time.

Run: .venv/bin/python benchmarks/bench_hub.py [--database URL] [--learners N] [--events N] [--only ingest|overview]
                                             [--ingest-learners N] [--ingest-events N]
URL (default postgresql://postgres@127.0.0.1:5432/bench_hub) is a PostgreSQL database that is EMPTIED first;
never point it at a database whose data you want.

1. Ingest: a centre (SQLite) with --ingest-learners learners and --ingest-events events in their history exports
   one bundle; the hub imports it (signature checks, records applied chunk by chunk, progress derived at the
   end) and the events per second are printed (budget 5,000).
2. Overview: the hub's tables are filled with bulk SQL (generate_series) to --learners learners in 10 centres
   and 10 countries, ~40 learners a cohort, and --events events; lesson progress is derived from the events by
   one GROUP BY (what recompute gives for lessons without a check) and summed per path (what
   progress.events.summarise_paths keeps), certificates for those who completed a whole path. The time to
   generate is printed. Then the programme admin opens /programme/ (all centres, then one centre, then one
   path) and the cascade page through the app; each render is timed (budget 1 s). --reuse renders over the
   data a previous run left in the database, after bringing its schema up to date (new indexes).
"""
import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from _server import lms
from bench_sync import register_and_export, seed_history

from lms import create_app
from lms.accounts import services as accounts
from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson
from lms.cohorts.models import Cohort, Membership, TrainerCertification, cohort_paths
from lms.extensions import db
from lms.progress.models import ProgressEvent
from lms.sync import inbox
from lms.sync.models import SyncCentre

BUDGET_EVENTS_PER_S = 5_000
BUDGET_OVERVIEW_S = 1.0
COUNTRIES = ("SN", "ML", "CI", "BF", "NE", "TG", "BJ", "GN", "CM", "CD")
PER_COHORT = 40


def _run(folder, *args, env=None):
    """Run an lms command, printing its error output when it fails."""
    import subprocess

    try:
        return lms(folder, *args, env=env)
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"lms {' '.join(args)} failed:\n{error.stderr}") from None


def make_hub(folder, url):
    env = {"LMS_SITE_ROLE": "hub", "DATABASE_URL": url}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SITE_ROLE": "hub", "WTF_CSRF_ENABLED": False,
                      "PASSWORD_METHOD": "scrypt:1024:8:1", "SECRET_KEY": "bench"}, instance_path=str(folder))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.engine.dispose()
    lms(folder, "init", env=env)
    _run(folder, "import-courses", env=env)
    return app


def bring_schema_up_to_date(app):
    """Apply the migrations the data of a previous run (--reuse) has not had yet, as `lms init` does."""
    from flask_migrate import upgrade

    from lms.core.migrations import init_migrations

    init_migrations(app)
    upgrade(directory=app.config["MIGRATIONS_DIR"])


def ingest(hub, tmp, learners, events):
    centre_dir = tmp / "centre"
    lms(centre_dir, "init")
    _run(centre_dir, "import-courses")
    centre = create_app(instance_path=str(centre_dir))
    started = time.perf_counter()
    seed_history(centre, learners, events, random.Random(7))
    print(f"centre: {learners:,} learners and {events:,} events generated in {time.perf_counter() - started:.1f} s")
    summary, seconds = register_and_export(hub, centre, tmp / "history.lms")
    print(f"centre: exported in {seconds:.1f} s, {summary['records']:,} records, {summary['bytes'] / 1e6:.1f} MB")
    with hub.app_context():
        started = time.perf_counter()
        result = inbox.import_bundle(tmp / "history.lms")
        seconds = time.perf_counter() - started
        stored = db.session.execute(db.select(db.func.count()).select_from(ProgressEvent)).scalar()
    print(f"hub (postgresql) ingest: {result['applied']:,} records applied in {seconds:.1f} s = "
          f"{events / seconds:,.0f} events/s with progress derived (budget {BUDGET_EVENTS_PER_S:,}); "
          f"{stored:,} events stored")


def generate(hub, learners, events):
    """Fill the hub with a programme: bulk inserts for accounts and cohorts, generate_series for events."""
    started = time.perf_counter()
    with hub.app_context():
        now = datetime(2026, 12, 1)
        centres = [str(uuid.uuid4()) for _ in COUNTRIES]
        db.session.execute(SyncCentre.__table__.insert(), [
            {"centre_id": c, "name": f"Centre {n}", "country": COUNTRIES[n], "public_key": "x" * 43,
             "registered_at": now, "acked_seq": 0, "chunks_done": 0} for n, c in enumerate(centres)])
        cohorts = max(1, learners // PER_COHORT)

        def person(n, prefix):
            return {"username": f"{prefix}{n:05d}", "display_name": f"{prefix} {n}", "password_hash": "x",
                    "public_id": str(uuid.uuid4()), "origin": centres[n % 10], "country": COUNTRIES[n % 10],
                    "created_at": now}
        db.session.execute(User.__table__.insert(), [person(n, "t") for n in range(cohorts)])
        db.session.execute(User.__table__.insert(), [person(n, "l") for n in range(learners)])
        trainers = db.session.execute(db.select(User.id).where(User.username.like("t%")).order_by(User.id)) \
            .scalars().all()
        pupils = db.session.execute(db.select(User.id).where(User.username.like("l%")).order_by(User.id)) \
            .scalars().all()
        db.session.execute(UserRole.__table__.insert(), [{"user_id": i, "role": "trainer", "granted_at": now}
                                                         for i in trainers] +
                           [{"user_id": i, "role": "learner", "granted_at": now} for i in pupils])
        # The cascade: each trainer certified by one of the first ten.
        db.session.execute(TrainerCertification.__table__.insert(), [
            {"user_id": t, "certified_by_id": trainers[n % 10], "certified_at": now, "public_id": str(uuid.uuid4()),
             "origin": centres[n % 10]} for n, t in enumerate(trainers[10:])])
        paths = db.session.execute(db.select(LearningPath.id).order_by(LearningPath.id)).scalars().all()
        db.session.execute(Cohort.__table__.insert(), [
            {"name": f"Cohorte {n}", "join_code": f"C{n:07d}", "trainer_id": trainers[n], "language": "fr",
             "public_id": str(uuid.uuid4()), "origin": centres[n % 10], "created_at": now} for n in range(cohorts)])
        cohort_ids = db.session.execute(db.select(Cohort.id).order_by(Cohort.id)).scalars().all()
        db.session.execute(cohort_paths.insert(), [{"cohort_id": c, "path_id": paths[n % len(paths)]}
                                                   for n, c in enumerate(cohort_ids)])
        db.session.execute(Membership.__table__.insert(), [
            {"cohort_id": cohort_ids[min(n // PER_COHORT, cohorts - 1)], "user_id": u, "role": "learner",
             "joined_at": now, "public_id": str(uuid.uuid4())} for n, u in enumerate(pupils)])
        lessons = db.session.execute(db.select(Lesson.id).where(Lesson.retired_at.is_(None)).order_by(Lesson.id)) \
            .scalars().all()
        db.session.commit()
        print(f"  accounts, cohorts and memberships: {time.perf_counter() - started:.1f} s")
        step = time.perf_counter()
        # Events: learner g % N, lesson chosen per (learner, round), four kinds in turn, over the last 90 days.
        db.session.execute(db.text("""
            INSERT INTO progress_events (id, origin, user_id, lesson_id, type, occurred_at, received_at, data)
            SELECT md5(g::text || 'ev')::uuid::text, NULL, :first + (g % :n),
                   (:lessons)[1 + ((g / :n) * 7 + g % 13) % :lesson_count],
                   (ARRAY['lesson_opened','time_spent','lesson_completed','lesson_opened'])[1 + (g / :n) % 4],
                   TIMESTAMP '2026-09-01' + (g % 129600) * INTERVAL '1 minute', TIMESTAMP '2026-12-01',
                   CASE WHEN (g / :n) % 4 = 1 THEN '{"seconds": 300}'::json ELSE '{}'::json END
            FROM generate_series(0, :events - 1) AS g"""),
            {"first": pupils[0], "n": learners, "lessons": lessons, "lesson_count": len(lessons), "events": events})
        db.session.commit()
        print(f"  {events:,} events: {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        db.session.execute(db.text("""
            INSERT INTO lesson_progress (user_id, lesson_id, first_opened_at, last_opened_at, last_activity_at,
                                         completed_at, time_spent_seconds, attempts, failed_attempts)
            SELECT user_id, lesson_id, min(occurred_at), max(occurred_at) FILTER (WHERE type = 'lesson_opened'),
                   max(occurred_at), min(occurred_at) FILTER (WHERE type = 'lesson_completed'),
                   coalesce(sum(300) FILTER (WHERE type = 'time_spent'), 0), 0, 0
            FROM progress_events GROUP BY user_id, lesson_id"""))
        db.session.execute(db.text("""
            INSERT INTO path_progress (user_id, path_id, lessons_started, lessons_completed, last_activity_at)
            SELECT p.user_id, l.path_id, count(*), count(p.completed_at), max(p.last_activity_at)
            FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id WHERE l.retired_at IS NULL
            GROUP BY p.user_id, l.path_id"""))
        db.session.execute(db.text("""
            INSERT INTO certificates (public_id, code, user_id, path_id, language, completed_at, issued_at)
            SELECT md5(p.user_id::text || '-' || l.path_id)::uuid::text,
                   substr(md5(p.user_id::text || 'c' || l.path_id), 1, 14), p.user_id, l.path_id, 'fr',
                   max(p.completed_at), max(p.completed_at)
            FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
            GROUP BY p.user_id, l.path_id
            HAVING count(p.completed_at) = (SELECT count(*) FROM lessons m
                                            WHERE m.path_id = l.path_id AND m.retired_at IS NULL)"""))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
        counts = {name: db.session.execute(db.text(f"SELECT count(*) FROM {name}")).scalar()
                  for name in ("users", "progress_events", "lesson_progress", "certificates", "cohorts")}
        print(f"  lesson progress and certificates: {time.perf_counter() - step:.1f} s")
        accounts.create_user("coordinator", "correct horse battery", roles=("admin",))
        db.session.commit()
        centre = centres[3]
        path = db.session.execute(db.select(LearningPath.slug).order_by(LearningPath.id)).scalars().first()
    print(f"generated in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return centre, path


def render(hub, centre, path):
    client = hub.test_client()
    response = client.post("/sign-in", data={"username": "coordinator", "password": "correct horse battery"})
    assert response.status_code == 302, response.status_code
    pages = (("overview, all centres", "/programme/"), ("overview, one centre", f"/programme/?centre={centre}"),
             ("overview, one path", f"/programme/?path={path}"), ("cascade, all centres", "/programme/cascade"))
    for label, url in pages:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label}: {url}: median {statistics.median(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)} "
              f"(budget {BUDGET_OVERVIEW_S:.0f} s), {len(response.data) / 1024:.0f} KB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/bench_hub")
    parser.add_argument("--learners", type=int, default=30_000)
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--ingest-learners", type=int, default=2_000)
    parser.add_argument("--ingest-events", type=int, default=200_000)
    parser.add_argument("--only", choices=("ingest", "overview"), help="measure one budget only")
    parser.add_argument("--reuse", action="store_true",
                        help="render the overview over the data a previous run generated (no new data)")
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        parser.error("the hub's budgets are for PostgreSQL: give --database postgresql://…")
    os.environ.pop("LMS_SITE_ROLE", None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.only != "overview":
            hub = make_hub(tmp / "hub", args.database)
            ingest(hub, tmp, args.ingest_learners, args.ingest_events)
        if args.only != "ingest":
            if args.reuse:
                hub = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "SITE_ROLE": "hub", "SECRET_KEY": "bench",
                                  "WTF_CSRF_ENABLED": False}, instance_path=str(tmp / "hub2"))
                with hub.app_context():
                    bring_schema_up_to_date(hub)  # data generated by an older release lacks the newer indexes
                    centre = db.session.execute(db.select(SyncCentre.centre_id).order_by(SyncCentre.id)
                                                .offset(3)).scalars().first()
                    path = db.session.execute(db.select(LearningPath.slug).order_by(LearningPath.id)) \
                        .scalars().first()
            else:
                hub = make_hub(tmp / "hub2", args.database)
                centre, path = generate(hub, args.learners, args.events)
            render(hub, centre, path)
        with hub.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
