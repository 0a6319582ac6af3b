"""Two centres and a hub, each its own app on its own instance folder (the hub on PostgreSQL when asked)."""
import shutil
import sqlite3

import pytest

from lms import create_app
from lms.accounts.models import User
from lms.catalogue.models import LearningPath, Lesson
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress import certificates, events
from lms.progress.models import Certificate
from tests import course_tree, factories
from tests.conftest import DATABASE_URL, base_config, reset_database


class Site:
    """One site: its app, its CLI, and helpers that run in its own app context."""

    def __init__(self, folder, role, courses):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        config = {**base_config(folder), "SITE_ROLE": role}
        if role == "centre" or not DATABASE_URL:
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder}/lms.sqlite3"
        self.app = create_app(config, instance_path=str(folder))
        with self.app.app_context():
            reset_database() if role == "hub" else db.create_all()
        self.cli(["import-courses", str(courses)])

    def cli(self, args, ok=True):
        result = self.app.test_cli_runner(mix_stderr=False).invoke(args=args) if _mix_stderr_supported() else \
            self.app.test_cli_runner().invoke(args=args)
        if ok:
            assert result.exit_code == 0, (result.output, getattr(result, "stderr", ""), result.exception)
        return result

    def run(self, function, *args, **kwargs):
        """Call function inside this site's app context, commit, and return its result."""
        with self.app.app_context():
            result = function(*args, **kwargs)
            db.session.commit()
            return result

    def count(self, model, **filters):
        with self.app.app_context():
            return db.session.execute(db.select(db.func.count()).select_from(model).filter_by(**filters)).scalar()

    def close(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def _mix_stderr_supported():
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


@pytest.fixture
def courses(tmp_path):
    return course_tree.native_tree_with_reading(tmp_path / "courses")


@pytest.fixture
def hub(tmp_path, courses):
    site = Site(tmp_path / "hub", "hub", courses)
    yield site
    site.close()


@pytest.fixture
def thies(tmp_path, hub):
    """A centre off the internet, registered with the hub by code, with its own plain course folder."""
    site = Site(tmp_path / "thies", "centre", course_tree.plain_tree(tmp_path / "local"))
    enrol(hub, site, "Thiès")
    yield site
    site.close()


@pytest.fixture
def make_centre(tmp_path, courses):
    made = []

    def build(name):
        site = Site(tmp_path / name, "centre", courses)
        made.append(site)
        return site

    yield build
    for site in made:
        site.close()


HUB_URL = "https://hub.example.org"


class Network:
    """Carries the centre's requests to the hub app; can be cut after a number of pushed parts."""

    def __init__(self, hub):
        self.hub, self.cut_after, self.pushes = hub, None, []

    def __call__(self, method, url, body, headers, timeout):
        assert timeout and url.startswith(HUB_URL)
        if method == "POST":
            if self.cut_after is not None and len(self.pushes) >= self.cut_after:
                raise ConnectionResetError("connection reset by peer")
            self.pushes.append(body)
        response = self.hub.app.test_client().open(url[len(HUB_URL):], method=method, data=body, headers=headers)
        return response.status_code, response.get_data()


@pytest.fixture
def network(hub):
    """The hub app's test client as the network between a centre and the hub."""
    return Network(hub)


def online(centre, network):
    centre.app.config.update(SYNC_HUB_URL=HUB_URL, SYNC_TRANSPORT=network)
    return centre


@pytest.fixture
def dakar(make_centre, hub, network):
    """A centre on the internet, registered with the hub, with a cohort whose learners opened a lesson (a test
    module may define its own Dakar)."""
    centre = online(make_centre("dakar"), network)
    enrol(hub, centre, "Dakar")
    centre.run(seed_cohort, "dk")
    return centre


def enrol(hub, centre, name):
    """A hub admin makes a code; the centre registers with it."""
    code = hub.cli(["sync", "enrol-code", "--name", name]).stdout.strip().splitlines()[0]
    centre.cli(["sync", "register", code, "--name", name])
    return code


def sync_by_usb(hub, centre, folder, name="bundle.lms"):
    """Export at the centre, import at the hub, import the acknowledgement at the centre; return the hub's output."""
    bundle = folder / name
    centre.cli(["sync", "export", "--to", str(bundle)])
    result = hub.cli(["sync", "import", str(bundle)])
    centre.cli(["sync", "import-ack", str(bundle) + ".ack"])
    return result.stdout


def seed_cohort(prefix, learners=2):
    """A trainer, a mentor and learners in a cohort on the course, each learner having opened a lesson."""
    trainer = factories.user(f"{prefix}-trainer", roles=("trainer",))
    mentor = factories.user(f"{prefix}-mentor", roles=("mentor",))
    people = [factories.user(f"{prefix}-learner{i}") for i in range(learners)]
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    factories.cohort(trainer, learners=people, mentors=[mentor], paths=[path], name=f"{prefix} cohort",
                     mentor_of={people[0]: mentor})
    for person in people:
        activity(person.username, "lesson_opened")
    return [p.username for p in people]


def activity(username, kind="lesson_opened", lesson="market-closing", data=None):
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
    found = db.session.execute(db.select(Lesson).filter_by(slug=lesson)).scalar_one()
    result = events.record_one(user, found, kind, data=data)
    db.session.commit()
    return result


def certify(username, code):
    """The centre certifies a learner on its path (run inside the centre's app context)."""
    learner = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    db.session.add(Certificate(code=code, user_id=learner.id, path_id=path.id, language="fr", completed_at=utcnow()))


def revoke_at_the_hub(code, reason):
    """A coordinator with a hub account revokes a certificate a centre sent (inside the hub's app context)."""
    coordinator = factories.user("coordinatrice", roles=("admin",))
    certificate = db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one()
    certificates.revoke(coordinator, certificate, reason)


def sqlite_copy(source, target):
    """Copy a live SQLite database consistently (what a backup does)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def restore_sqlite(site, backup):
    site.close()
    database = site.folder / "lms.sqlite3"
    for suffix in ("-wal", "-shm"):
        (site.folder / f"lms.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup, database)
