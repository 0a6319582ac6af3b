"""Progress budgets: events applied per second (100,000 events in batches of 100, through the
real API on loopback) and the time to render "My learning" for a learner with history in all
five paths.

Run: .venv/bin/python benchmarks/bench_progress.py [--events N] [--clients C]
"""
import argparse
import json
import random
import re
import statistics
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from _server import ROOT, Browser, Server, lms

from lms import create_app
from lms.accounts.services import create_user
from lms.catalogue.models import Lesson
from lms.extensions import db

PASSWORD = "une phrase de passe"


def batches_for(lessons, learners, total, size=100, seed=3):
    rng = random.Random(seed)
    start = datetime(2026, 9, 1)
    for n in range(total // size):
        learner = learners[n % len(learners)]
        events = []
        for _ in range(size):
            lesson = rng.choice(lessons)
            at = (start + timedelta(minutes=rng.randrange(60 * 24 * 80))).isoformat() + "Z"
            roll = rng.random()
            if roll < 0.6:
                event = {"type": "lesson_opened"}
            elif roll < 0.85:
                event = {"type": "time_spent", "data": {"seconds": rng.randrange(30, 900)}}
            elif lesson["quiz"]:
                answers = {q["id"]: [rng.choice(q["answers"])] for q in lesson["quiz"]}
                event = {"type": "quiz_answered", "data": {"answers": answers, "language": "fr"}}
            else:
                event = {"type": "lesson_completed"}
            events.append({"id": str(uuid.uuid4()), "lesson": lesson["slug"], "at": at, **event})
        yield learner, events


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        lms(instance, "init")
        lms(instance, "import-courses", str(ROOT / "courses"))
        lms(instance, "create-user", "admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
        learners = [f"learner{i}" for i in range(50)]
        with create_app(instance_path=str(instance)).app_context():
            for name in learners:
                create_user(name, PASSWORD)
            db.session.commit()
            lessons = []
            for lesson in db.session.execute(db.select(Lesson)).scalars():
                text, _ = lesson.text("fr")
                quiz = [{"id": q["id"], "answers": [a["id"] for a in q["answers"] if a["correct"]] if not q["multiple"]
                         else [a["id"] for a in q["answers"]]} for q in (text.quiz or {}).get("questions", [])]
                lessons.append({"slug": lesson.slug, "quiz": quiz})

        server = Server(instance, threads=8)
        try:
            server.wait_ready()
            phones = {}
            for name in learners:
                phone = Browser(server.base)
                assert phone.sign_in(name, PASSWORD) == 302
                _, page = phone.get("/")
                phone.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
                phones[name] = phone
            work = list(batches_for(lessons, learners, args.events))

            def send(item):
                name, events = item
                phone = phones[name]
                request = urllib.request.Request(
                    server.base + "/api/v1/progress", data=json.dumps({"events": events}).encode(),
                    headers={"Content-Type": "application/json", "X-CSRFToken": phone.token})
                with phone.opener.open(request, timeout=120) as response:
                    body = json.load(response)
                return len(body["accepted"]), len(body["rejected"])

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(send, work))
            elapsed = time.perf_counter() - t0
            accepted = sum(a for a, _ in results)
            rejected = sum(r for _, r in results)
            print(f"{accepted:,} events applied in {elapsed:.1f} s: {accepted / elapsed:,.0f} events/s "
                  f"(batches of 100, {args.clients} clients, SQLite; {rejected} rejected)")

            # A learner with history in all five paths: learner0 got 1/50 of all events.
            phone = phones["learner0"]
            timings = []
            for _ in range(30):
                t0 = time.perf_counter()
                status, page = phone.get("/my-learning")
                timings.append(time.perf_counter() - t0)
                assert status == 200
            paths = page.count("<progress")
            print(f"'My learning' with history in {paths} paths: median {statistics.median(timings) * 1000:.1f} ms, "
                  f"slowest {max(timings) * 1000:.1f} ms (30 requests)")
            print(f"server memory: {server.rss_mb():.0f} MB resident")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
