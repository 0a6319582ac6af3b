"""The hub as the README lays it out, run from outside as real processes on loopback: two `lms serve` processes
(SITE_ROLE=hub) on one database behind a reverse proxy, and two centres, each its own instance folder on SQLite,
that enrol with codes made through the hub's CLI, record their learners' progress and sync through the proxy.

The hub's database is a SQLite file, or, when LMS_TEST_DATABASE_URL points to PostgreSQL (CI's second pass), a
PostgreSQL database of its own that this test creates on that server and drops afterwards: the shared test
database is never touched (its tables are emptied by other tests while the servers run).
"""
import csv
import io
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import make_url

from tests import course_tree
from tests.conftest import DATABASE_URL
from tests.functional.sync.processes import Browser, RoundRobinProxy, Site

PASSWORD = "Un-mot-de-passe-2026"


@pytest.fixture
def hub_database(tmp_path):
    """None (the hub keeps a SQLite file in its instance folder), or the URL of a fresh PostgreSQL database."""
    if not DATABASE_URL or not DATABASE_URL.startswith("postgresql"):
        yield None
        return
    import psycopg

    server = make_url(DATABASE_URL).set(drivername="postgresql")
    name = f"lms_hub_test_{secrets.token_hex(4)}"
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def layout(tmp_path, hub_database):
    """The hub's instance prepared by its admin, its two processes and the proxy in front; stopped afterwards."""
    courses = course_tree.native_tree_with_reading(tmp_path / "courses")
    hub = Site(tmp_path / "hub", role="hub", database_url=hub_database)
    hub.lms("init")
    hub.lms("import-courses", str(courses))
    hub.lms("create-user", "coordinatrice", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    hub.env["LMS_PROXY_FIX"] = "1"
    backends = [hub.serve(), hub.serve()]
    proxy = RoundRobinProxy(backends)
    centres = []
    try:
        yield hub, proxy, courses, centres
    finally:
        proxy.close()
        for site in [hub, *centres]:
            site.stop()


def open_centre(hub, proxy, courses, folder, name, country, learners):
    """A centre's admin sets it up, registers it with a code from the hub's admin and makes her learners' accounts."""
    code = hub.lms("sync", "enrol-code", "--name", name, "--country", country).stdout.strip().splitlines()[0]
    centre = Site(folder)
    centre.lms("init")
    centre.lms("import-courses", str(courses))
    centre.configure(SYNC_HUB_URL=proxy.base)
    centre.lms("sync", "register", code, "--name", name, "--country", country)
    for username in [f"admin-{folder.name}", *learners]:
        role = "admin" if username.startswith("admin-") else "learner"
        centre.lms("create-user", username, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
    return centre


def both_at_once(*steps):
    """Two centres do the same thing at the same time (and the test waits half as long); return what each gave."""
    with ThreadPoolExecutor(len(steps)) as pool:
        return [future.result() for future in [pool.submit(step) for step in steps]]


def study(centre, learners):
    """Each learner signs in at her centre and reads the lesson; the first one also marks it done."""
    address = centre.serve()
    for number, username in enumerate(learners):
        browser = Browser(f"http://{address[0]}:{address[1]}")
        browser.sign_in(username, PASSWORD)
        browser.get("/lessons/market-closing")
        if number == 0:
            browser.post("/lessons/market-closing/done", {}, token_from="/lessons/market-closing")


def programme_by_centre(proxy):
    """The programme's coordinator reads the hub's overview and its table by centre (CSV) through the proxy."""
    browser = Browser(proxy.base)
    browser.sign_in("coordinatrice", PASSWORD)
    assert "Dakar" in browser.get("/programme/") and "Thiès" in browser.get("/programme/")
    rows = list(csv.reader(io.StringIO(browser.get("/programme/centres.csv").lstrip("\ufeff"))))
    return {row[0]: {"learners": int(row[2]), "completed": int(row[5])} for row in rows[1:]}


def test_two_centres_sync_through_the_proxy_to_a_hub_of_two_processes_on_one_database(layout, tmp_path):
    hub, proxy, courses, centres = layout
    dakar_learners, thies_learners = ["awa", "binta"], ["dior"]
    dakar, thies = both_at_once(
        lambda: open_centre(hub, proxy, courses, tmp_path / "dakar", "Dakar", "SN", dakar_learners),
        lambda: open_centre(hub, proxy, courses, tmp_path / "thies", "Thiès", "SN", thies_learners))
    centres += [dakar, thies]
    both_at_once(lambda: study(dakar, dakar_learners), lambda: study(thies, thies_learners))

    for said in both_at_once(lambda: dakar.lms("sync", "now").stdout, lambda: thies.lms("sync", "now").stdout):
        assert said.startswith("sent ") and not said.startswith("sent 0 "), said  # both at once, as it happens

    backends_used = {backend for backend, _method, _path in proxy.served}
    assert len(backends_used) == 2  # both hub processes served the centres
    by_centre = programme_by_centre(proxy)
    assert by_centre["Dakar"] == {"learners": 2, "completed": 1}
    assert by_centre["Thiès"] == {"learners": 1, "completed": 1}

    before = len(proxy.served)
    for said in both_at_once(lambda: dakar.lms("sync", "now").stdout, lambda: thies.lms("sync", "now").stdout):
        assert said.startswith("sent 0 records in 0 parts"), said
    assert proxy.requests_since(before, "POST", "/sync/push") == []  # the second sync only asked the hub
    assert len(proxy.requests_since(before, "GET", "/sync/pull")) == 2
    assert programme_by_centre(proxy) == by_centre
