"""Backup budgets: a centre of 500 learners and 100,000 events backed up (time, size) and restored (time), and the
size of the offline wheelhouse for this machine.

Run: .venv/bin/python benchmarks/bench_backup.py [--learners N] [--events N] [--wheelhouse DIR]
(--wheelhouse measures an existing folder made by `make wheelhouse`; without it, this machine's wheels are
downloaded into a temporary folder when the package index answers, else the figure is skipped.)
"""
import argparse
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from _server import ROOT, lms

from lms import create_app
from lms.accounts.models import User, UserRole
from lms.catalogue.models import Lesson
from lms.extensions import db
from lms.progress import events as progress_events
from lms.progress.models import ProgressEvent

BUDGET_WHEELHOUSE_MB = 60


def folder_mb(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 1e6


def seed(app, learners, total, rng):
    """Insert the learners and their events straight into the tables, then derive progress as the API would."""
    with app.app_context():
        lessons = db.session.execute(db.select(Lesson).where(Lesson.retired_at.is_(None))).scalars().all()
        now = datetime(2026, 11, 30)
        users = [{"username": f"learner{n:03d}", "display_name": f"Apprenante {n}", "password_hash": "x",
                  "must_change_password": False, "locale": "fr", "active": True, "created_at": now}
                 for n in range(learners)]
        db.session.execute(User.__table__.insert(), users)
        ids = db.session.execute(db.select(User.id).where(User.username.like("learner%"))).scalars().all()
        db.session.execute(UserRole.__table__.insert(), [{"user_id": i, "role": "learner", "granted_at": now}
                                                         for i in ids])
        start = datetime(2026, 9, 1)
        for offset in range(0, total, 10_000):
            rows = []
            for _ in range(min(10_000, total - offset)):
                kind = rng.choice(("lesson_opened", "lesson_opened", "time_spent", "lesson_completed"))
                at = start + timedelta(minutes=rng.randrange(60 * 24 * 90))
                rows.append({"id": str(uuid.uuid4()), "user_id": rng.choice(ids),
                             "lesson_id": rng.choice(lessons).id, "type": kind, "occurred_at": at,
                             "received_at": at, "data": {"seconds": 120} if kind == "time_spent" else {}})
            db.session.execute(ProgressEvent.__table__.insert(), rows)
        db.session.commit()
        for user_id in ids:
            progress_events.recompute(user_id, lessons)
        db.session.commit()


def wheelhouse_mb(existing):
    if existing:
        return folder_mb(existing), existing
    with tempfile.TemporaryDirectory() as house:
        done = subprocess.run(["make", "-s", "wheelhouse", f"WHEELHOUSE_DIR={house}", "WHEEL_PLATFORMS="],
                              cwd=ROOT, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return None, "no package index reachable"
        return folder_mb(house), "this machine's wheels"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--wheelhouse", default=None)
    args = parser.parse_args()
    size, what = wheelhouse_mb(args.wheelhouse)
    if size is None:
        print(f"wheelhouse: skipped ({what})")
    else:
        print(f"wheelhouse ({what}): {size:.1f} MB (budget {BUDGET_WHEELHOUSE_MB} MB)")

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "centre"
        lms(instance, "init")
        lms(instance, "import-courses")
        app = create_app(instance_path=str(instance))
        started = time.perf_counter()
        seed(app, args.learners, args.events, random.Random(7))
        print(f"seeded {args.learners} learners and {args.events:,} events in {time.perf_counter() - started:.1f} s")
        database_mb = (instance / "lms.sqlite3").stat().st_size / 1e6

        from lms.operations import backup, restore

        with app.app_context():
            started = time.perf_counter()
            made = backup.make_backup(to=Path(tmp) / "usb")
            backup_s = time.perf_counter() - started
        print(f"backup: {backup_s:.2f} s, {made.size / 1e6:.1f} MB archive (database {database_mb:.1f} MB), "
              f"{len(made.manifest['files'])} files, verified")

        target = Path(tmp) / "elsewhere"
        target.mkdir()
        other = create_app(instance_path=str(target))
        with other.app_context():
            started = time.perf_counter()
            restore.restore(made.path)
            restore_s = time.perf_counter() - started
            db.engine.dispose()
            count = db.session.execute(db.select(db.func.count(ProgressEvent.id))).scalar()
        print(f"restore: {restore_s:.2f} s, {count:,} events back")
        if count < args.events:
            sys.exit("restore lost events")


if __name__ == "__main__":
    main()
