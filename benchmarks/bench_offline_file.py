"""The downloadable path file: its size for each path of courses/ (French and English) and the time to build it.

Run: .venv/bin/python benchmarks/bench_offline_file.py
Budget: under 150 KB per file without images.
"""
import gzip
import statistics
import tempfile
import time
from pathlib import Path

import brotli
from _server import ROOT, lms

BUDGET = 150 * 1024
ACTION = "http://192.168.1.10/offline/progress"


def timed(function, runs=5):
    """Return (result, seconds of the first run, median seconds of the others)."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - t0)
    return result, times[0], statistics.median(times[1:])


def main():
    from flask_login import login_user

    from lms import create_app
    from lms.accounts import services as accounts
    from lms.catalogue import queries as catalogue
    from lms.extensions import db
    from lms.offline import build

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        lms(instance, "init")
        lms(instance, "import-courses", str(ROOT / "courses"))
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/lms.sqlite3"}, instance_path=str(instance))
        with app.test_request_context("/", base_url="http://192.168.1.10"):
            user = accounts.create_user("mariam", "une phrase de passe", roles=("learner",),
                                        display_name="Mariam Camara")
            db.session.commit()
            login_user(user)
            print(f"{'file':42} {'size':>9} {'gzip':>8} {'brotli':>8} {'build (first, again)':>21}  budget {BUDGET // 1024} KB")
            worst = 0
            for path in catalogue.list_paths():
                for language in ("fr", "en"):
                    made, first, again = timed(lambda: build.build_file(user, path, language, ACTION))
                    body = made.html.encode()
                    worst = max(worst, len(body))
                    print(f"{made.name:42} {len(body) / 1024:7.1f} KB {len(gzip.compress(body, 6)) / 1024:5.1f} KB "
                          f"{len(brotli.compress(body, quality=5)) / 1024:5.1f} KB {first * 1000:6.1f} ms, {again * 1000:5.1f} ms"
                          f"  {'ok' if len(body) < BUDGET else 'OVER'}")
            path = catalogue.list_paths()[0]
            build.file_size(user, path, "fr", lambda: ACTION)
            _size, _first, cached = timed(lambda: build.file_size(user, path, "fr", lambda: ACTION), runs=100)
            print(f"largest file: {worst / 1024:.1f} KB (budget {BUDGET // 1024} KB); "
                  f"the size on the path page once cached: {cached * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
