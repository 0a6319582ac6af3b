"""Sync budgets: the hub's ingest rate from bundles (events/s) and a 40-learner cohort's daily bundle on the wire.

Run: .venv/bin/python benchmarks/bench_sync.py [--learners N] [--events N] [--hub-database URL]
A centre (SQLite) with N learners and their history sends one bundle to a hub (SQLite in a temporary folder,
or the PostgreSQL database at URL, which is EMPTIED first); then a cohort of 40 learners does a day's work
(each opens five lessons, spends time in them and finishes those without a check: 10-11 events each, sent through
the progress API's service) and the centre exports only that day: the bundle's bytes are what a USB sync carries.
Then the cohort does a second day's work and `lms sync now` sends it over HTTP (the hub app's test client as the
network): the bytes counted are every request and answer, bodies and HTTP headers, pull included.
"""
import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from _server import lms

from lms import create_app
from lms.accounts import services as accounts
from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson
from lms.cohorts import services as cohorts
from lms.extensions import db
from lms.progress import events as progress_events
from lms.progress.models import ProgressEvent
from lms.sync import client, inbox, outbox

BUDGET_EVENTS_PER_S = 5_000
BUDGET_DAILY_KB = 200


def register_and_export(hub, centre, bundle):
    """Register the centre with the hub (an enrolment code made there), then export its whole history:
    return (the export's summary, seconds the export took)."""
    with hub.app_context():
        code = inbox.make_enrolment_code("Benchmark")
        db.session.commit()
    with centre.app_context():
        outbox.register(code, "Benchmark")
        started = time.perf_counter()
        summary = outbox.export(bundle)
        db.session.commit()
        return summary, time.perf_counter() - started


def seed_history(app, learners, total, rng):
    """Learners and their events straight into the tables (the history a centre has when it first syncs)."""
    with app.app_context():
        lessons = db.session.execute(db.select(Lesson).where(Lesson.retired_at.is_(None))).scalars().all()
        now = datetime(2026, 11, 30)
        db.session.execute(User.__table__.insert(), [
            {"username": f"learner{n:04d}", "display_name": f"Apprenante {n}", "password_hash": "x",
             "must_change_password": False, "locale": "fr", "active": True, "created_at": now,
             "public_id": str(uuid.uuid4())} for n in range(learners)])
        ids = db.session.execute(db.select(User.id).where(User.username.like("learner%"))).scalars().all()
        db.session.execute(UserRole.__table__.insert(), [{"user_id": i, "role": "learner", "granted_at": now}
                                                         for i in ids])
        start = datetime(2026, 9, 1)
        for offset in range(0, total, 10_000):
            rows = []
            for _ in range(min(10_000, total - offset)):
                kind = rng.choice(("lesson_opened", "lesson_opened", "time_spent", "lesson_completed"))
                at = start + timedelta(minutes=rng.randrange(60 * 24 * 90))
                rows.append({"id": str(uuid.uuid4()), "user_id": rng.choice(ids), "lesson_id": rng.choice(lessons).id,
                             "type": kind, "occurred_at": at, "received_at": at,
                             "data": {"seconds": 120} if kind == "time_spent" else {}})
            db.session.execute(ProgressEvent.__table__.insert(), rows)
        db.session.commit()


def cohort_of_40(app):
    with app.app_context():
        trainer = accounts.create_user("formatrice", "correct horse battery", roles=("trainer",))
        mentors = [accounts.create_user(f"mentor{n}", "correct horse battery", roles=("mentor",)) for n in range(4)]
        path = db.session.execute(db.select(LearningPath).order_by(LearningPath.position)).scalars().first()
        cohort = cohorts.create_cohort(trainer, "Thiès — 40", [path])
        for mentor in mentors:
            cohorts.answer_invitation(mentor, cohorts.invite(trainer, cohort, mentor, "mentor"), accept=True)
        for n in range(40):
            learner = accounts.create_user(f"cohort{n:02d}", "correct horse battery")
            cohorts.join_with_code(learner, cohort.join_code)
        db.session.commit()


def a_day_of_work(app, day):
    """Each of the 40 learners opens 5 lessons, spends time in them and finishes those without a check."""
    with app.app_context():
        lessons = db.session.execute(db.select(Lesson).where(Lesson.retired_at.is_(None))
                                     .order_by(Lesson.id)).scalars().all()
        learners = db.session.execute(db.select(User).where(User.username.like("cohort%"))).scalars().all()
        count = 0
        for learner in learners:
            batch = []
            for n, lesson in enumerate(lessons[:5]):
                at = day + timedelta(minutes=10 * n)
                batch += [{"id": str(uuid.uuid4()), "type": "lesson_opened", "lesson": lesson.slug,
                           "at": at.isoformat() + "Z", "data": {}},
                          {"id": str(uuid.uuid4()), "type": "time_spent", "lesson": lesson.slug,
                           "at": (at + timedelta(minutes=8)).isoformat() + "Z", "data": {"seconds": 480}}]
                if n < 3 and not progress_events.has_check(lesson):
                    batch.append({"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson": lesson.slug,
                                  "at": (at + timedelta(minutes=9)).isoformat() + "Z", "data": {}})
            result = progress_events.record_events(learner, batch)
            count += len(result.accepted)
            db.session.commit()
        return count


class CountingNetwork:
    """The hub app's test client as the network, counting the bytes of each request and answer as HTTP/1.1 sends them."""

    def __init__(self, hub, base):
        self.hub, self.base, self.up, self.down, self.requests = hub, base, 0, 0, 0

    def __call__(self, method, url, body, headers, timeout):
        path = url[len(self.base):]
        sent = {**headers, "Host": self.base.split("://")[1], "Content-Length": str(len(body or b""))}
        self.up += len(f"{method} {path} HTTP/1.1\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in sent.items()) + 2
        self.up += len(body or b"")
        response = self.hub.test_client().open(path, method=method, data=body, headers=headers)
        data = response.get_data()
        self.down += len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in
                                                                   response.headers.items()) + 2 + len(data)
        self.requests += 1
        return response.status_code, data


def http_day(centre, hub, day):
    """A second day's work sent with `lms sync now` over the counting network; return (events, network)."""
    events = a_day_of_work(centre, day)
    network = CountingNetwork(hub, "https://hub.example.org")
    centre.config.update(SYNC_HUB_URL=network.base, SYNC_TRANSPORT=network)
    with centre.app_context():
        summary = client.sync_now()
    return events, summary, network


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--hub-database", default=None, help="a PostgreSQL URL for the hub (emptied first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        centre_dir, hub_dir = tmp / "centre", tmp / "hub"
        hub_env = {"LMS_SITE_ROLE": "hub"}
        if args.hub_database:
            hub_env["LMS_DATABASE_URL"] = args.hub_database
        for folder, env in ((centre_dir, {}), (hub_dir, hub_env)):
            lms(folder, "init", env=env)
            lms(folder, "import-courses", env=env)
        os.environ.pop("LMS_SITE_ROLE", None)
        centre = create_app(instance_path=str(centre_dir))
        saved = {k: os.environ.get(k) for k in hub_env}
        os.environ.update(hub_env)
        hub = create_app(instance_path=str(hub_dir))
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)

        seed_history(centre, args.learners, args.events, random.Random(7))
        first, export_s = register_and_export(hub, centre, tmp / "first.lms")
        print(f"centre: {args.learners} learners, {args.events:,} events exported in {export_s:.1f} s: "
              f"{first['records']:,} records, {first['bytes'] / 1e6:.1f} MB bundle "
              f"({first['bytes'] / max(args.events, 1):.0f} bytes an event)")
        with hub.app_context():
            started = time.perf_counter()
            summary = inbox.import_bundle(tmp / "first.lms", ack_to=tmp / "first.ack")
            ingest_s = time.perf_counter() - started
            stored = db.session.execute(db.select(db.func.count(ProgressEvent.id))).scalar()
        rate = args.events / ingest_s
        print(f"hub ({hub.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): applied {summary['applied']:,} records "
              f"in {ingest_s:.1f} s = {rate:,.0f} events/s with progress derived (budget {BUDGET_EVENTS_PER_S:,}); "
              f"{stored:,} events stored")
        with centre.app_context():
            outbox.import_ack(tmp / "first.ack")
            db.session.commit()

        cohort_of_40(centre)
        with centre.app_context():  # the cohort's accounts and memberships travel once, before the day's work
            outbox.export(tmp / "cohort.lms")
            db.session.commit()
        with hub.app_context():
            inbox.import_bundle(tmp / "cohort.lms", ack_to=tmp / "cohort.ack")
        with centre.app_context():
            outbox.import_ack(tmp / "cohort.ack")
            db.session.commit()
        day_events = a_day_of_work(centre, datetime(2026, 12, 1, 9))
        with centre.app_context():
            daily = outbox.export(tmp / "day.lms")
            db.session.commit()
        kb = daily["bytes"] / 1024
        print(f"a 40-learner cohort's day: {day_events:,} events, {daily['records']:,} records, {kb:.1f} KB on the "
              f"wire (budget {BUDGET_DAILY_KB} KB)")
        with centre.app_context():  # the USB day above is acknowledged as if imported, so HTTP sends the next day
            inbox_ack = tmp / "day.ack"
        with hub.app_context():
            inbox.import_bundle(tmp / "day.lms", ack_to=inbox_ack)
        with centre.app_context():
            outbox.import_ack(inbox_ack)
            db.session.commit()
        events, summary, network = http_day(centre, hub, datetime(2026, 12, 2, 9))
        total = (network.up + network.down) / 1024
        print(f"the next day over HTTP (lms sync now): {events:,} events, {summary['records']:,} records in "
              f"{summary['parts']} parts, {network.requests} requests: {network.up / 1024:.1f} KB sent + "
              f"{network.down / 1024:.1f} KB received = {total:.1f} KB on the wire, HTTP headers included "
              f"(budget {BUDGET_DAILY_KB} KB)")


if __name__ == "__main__":
    main()
