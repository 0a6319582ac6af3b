"""Fixtures: an app on a temporary instance folder, a client, users of each role.

Set LMS_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to
run the whole suite on PostgreSQL instead of a fresh SQLite file per test.
"""
import os
import re

import pytest
from flask.testing import FlaskClient

from lms import create_app
from lms.config import normalise_database_url
from lms.extensions import db
from tests import factories

DATABASE_URL = os.environ.get("LMS_TEST_DATABASE_URL")
_pg_schema_ready = False


def base_config(instance_path):
    url = normalise_database_url(DATABASE_URL) if DATABASE_URL else f"sqlite:///{instance_path}/lms.sqlite3"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_METHOD": "scrypt:1024:8:1",  # cheap in tests; production uses 32768
        "SERVER_NAME": None,
    }


def reset_database():
    """Give the test an empty schema: created once on PostgreSQL, then emptied."""
    global _pg_schema_ready
    if db.engine.dialect.name != "postgresql":
        db.create_all()
        return
    if not _pg_schema_ready:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()
        _pg_schema_ready = True
    else:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def mark_schema_changed():
    """Tell the fixtures that a test rebuilt the PostgreSQL schema itself."""
    global _pg_schema_ready
    _pg_schema_ready = False


class Client(FlaskClient):
    """A test client that knows how to post forms with their CSRF token.

    Each request runs in its own app context, as in production: the test's own
    context (and its database session and `g`) must not leak into requests.
    Afterwards the test's session starts a new transaction, so it sees what the
    request stored.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # tests ask for French explicitly

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response

    def csrf_token(self):
        html = self.get("/", follow_redirects=True).get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)

    def submit(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def make_app(tmp_path):
    """Build apps on the test's instance folder with extra config."""
    apps = []

    def build(**config):
        app = create_app({**base_config(tmp_path), **config}, instance_path=str(tmp_path))
        app.test_client_class = Client
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def admin(app):
    return factories.user("amina", roles=("admin", "trainer"), display_name="Amina Diallo")


@pytest.fixture
def trainer(app, admin):
    return factories.user("fatou", roles=("trainer",), display_name="Fatou Ndiaye")


@pytest.fixture
def mentor(app, admin):
    return factories.user("awa", roles=("mentor",), display_name="Awa Koné")


@pytest.fixture
def learner(app, admin):
    return factories.user("mariam", roles=("learner",), display_name="Mariam Camara")


@pytest.fixture
def sign_in(client):
    """Sign a user in through the real form; returns the response."""
    def do(username, password=factories.PASSWORD, **extra):
        return client.submit("/sign-in", {"username": username, "password": password, **extra})
    return do
