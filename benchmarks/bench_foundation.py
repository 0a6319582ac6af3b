"""Foundation budgets: start-up time, memory after 1,000 sign-in pages, 30 sign-ins at once.

Run: .venv/bin/python benchmarks/bench_foundation.py  (uses a temporary instance, loopback only)
"""
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _server import Browser, Server, lms

from lms import create_app
from lms.accounts.services import create_user
from lms.extensions import db

PASSWORD = "une phrase de passe"
LEARNERS = 30


def main():
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        lms(instance, "init")
        lms(instance, "create-user", "admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
        with create_app(instance_path=str(instance)).app_context():
            for i in range(LEARNERS):
                create_user(f"learner{i}", PASSWORD)
            db.session.commit()

        server = Server(instance)
        try:
            startup = server.wait_ready("/sign-in")
            print(f"start-up: {startup:.2f} s from `lms serve` to the first 200")

            browser = Browser(server.base)
            for _ in range(1000):
                status, _page = browser.get("/sign-in")
                assert status == 200, status
            rss = server.rss_mb()
            print(f"memory after 1,000 sign-in pages: {rss:.1f} MB resident (budget < 80 MB)"
                  f" {'OK' if rss < 80 else 'OVER BUDGET'}")

            barrier = threading.Barrier(LEARNERS)
            timings = []

            def one(i):
                phone = Browser(server.base)
                barrier.wait()
                t0 = time.perf_counter()
                status = phone.sign_in(f"learner{i}", PASSWORD)
                timings.append(time.perf_counter() - t0)
                return status

            t0 = time.perf_counter()
            with ThreadPoolExecutor(LEARNERS) as pool:
                statuses = list(pool.map(one, range(LEARNERS)))
            total = time.perf_counter() - t0
            failed = sum(1 for s in statuses if s != 302)
            if failed:
                print("statuses:", sorted(set(statuses)))
            print(f"{LEARNERS} sign-ins at once: all answered in {total:.2f} s "
                  f"(median {statistics.median(timings):.2f} s, slowest {max(timings):.2f} s), "
                  f"{failed} failed (budget: within 10 s, none failed) "
                  f"{'OK' if total < 10 and not failed else 'OVER BUDGET'}")
            print(f"memory after the sign-ins: {server.rss_mb():.1f} MB resident")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
