"""A real server (`lms serve`, waitress) on a loopback port, and Debian's Chromium driven by Playwright.

The server always runs on its own SQLite instance, even when LMS_TEST_DATABASE_URL
points to PostgreSQL: it is another process, and the shared test database is
emptied by the other tests while it runs.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lms import create_app
from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.extensions import db
from lms.progress.models import ProgressEvent, QuizAttempt
from tests import course_tree
from tests.browser.helpers import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LMS = str(Path(sys.executable).parent / "lms")
LEARNERS = {"mariam": "Mariam Camara", "awa": "Awa Koné", "aicha": "Aïcha Traoré", "binta": "Binta Sow",
            "coumba": "Coumba Diop", "dior": "Dior Fall", "khady": "Khady Ba",
            "fanta": "Fanta Cissé", "ndeye": "Ndèye Sarr", "rama": "Rama Gueye"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The running site, and a direct look at its database to check what it recorded."""

    serve_args = ()  # more options for `lms serve`

    def __init__(self, instance):
        self.instance = instance
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/lms.sqlite3",
                               "PASSWORD_METHOD": "scrypt:1024:8:1"}, instance_path=str(instance))
        self.env = {name: value for name, value in os.environ.items()
                    if name != "DATABASE_URL" and not name.startswith("LMS_")}
        self.env.update(LMS_INSTANCE_PATH=str(instance), LMS_PASSWORD_METHOD="scrypt:1024:8:1")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def prepare(self):
        """Create the schema, import the small test course and the people of the stories."""
        subprocess.run([LMS, "init"], env=self.env, check=True, capture_output=True)
        courses = course_tree.native_tree_with_reading(self.instance / "courses")
        subprocess.run([LMS, "import-courses", str(courses)], env=self.env, check=True, capture_output=True)
        with self.app.app_context():
            accounts.create_user("amina", PASSWORD, roles=("admin", "trainer"), display_name="Amina Diallo",
                                 locale="en")
            for username, name in LEARNERS.items():
                accounts.create_user(username, PASSWORD, roles=("learner",), display_name=name, locale="en")
            saver = accounts.create_user("sokhna", PASSWORD, roles=("learner",), display_name="Sokhna Mbaye",
                                         locale="en")
            accounts.update_profile(saver, save_data=True)
            db.session.commit()

    def start(self):
        self.process = subprocess.Popen(
            [LMS, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", "4", *self.serve_args],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        with self.app.app_context():
            db.engine.dispose()

    def events(self, username, kind, lesson_slug=None):
        """Return how many events of this kind the server recorded for her."""
        from lms.catalogue.models import Lesson

        with self.app.app_context():
            query = db.select(db.func.count(ProgressEvent.id)).join(User, User.id == ProgressEvent.user_id) \
                .where(User.username == username, ProgressEvent.type == kind)
            if lesson_slug:
                query = query.join(Lesson, Lesson.id == ProgressEvent.lesson_id).where(Lesson.slug == lesson_slug)
            return db.session.execute(query).scalar_one()

    def attempts(self, username):
        with self.app.app_context():
            return db.session.execute(db.select(db.func.count(QuizAttempt.event_id))
                                      .join(User, User.id == QuizAttempt.user_id)
                                      .where(User.username == username)).scalar_one()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory):
    site = Server(tmp_path_factory.mktemp("browser-site"))
    site.prepare()
    site.start()
    yield site
    site.stop()


@pytest.fixture
def context(browser, server):
    """One phone: its own cookies, caches, service worker and storage."""
    context = browser.new_context(base_url=server.base, locale="en-US")
    context.set_default_timeout(15000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def pytest_collection_modifyitems(items):
    """Every test in this folder drives Chromium: mark it, so that `-m 'not browser'` leaves them all out."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
