"""`lms demo` seeds a believable programme so a newcomer sees every screen populated."""
import json
from pathlib import Path

from lms.accounts.models import User
from lms.cohorts.models import Cohort, TrainerCertification
from lms.extensions import db
from lms.mentoring.models import MentoringNote, Submission
from lms.progress.models import Certificate

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_demo_seeds_every_screen_and_prints_its_accounts(app, runner):
    assert runner.invoke(args=["import-courses", str(COURSES)]).exit_code == 0
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    accounts = json.loads(result.stdout)["accounts"]
    assert {"trainer", "mentor", "learner"} <= {role for a in accounts for role in a["roles"]}
    assert all(a["password"] and a["username"] for a in accounts)
    assert db.session.execute(db.select(db.func.count(Cohort.id))).scalar() == 2
    assert {s.status for s in db.session.execute(db.select(Submission)).scalars()} == {
        "submitted", "changes_requested", "approved"}
    assert db.session.execute(db.select(MentoringNote)).first() is not None
    certificate = db.session.execute(db.select(Certificate)).scalars().first()
    assert certificate.path.slug == "training-of-trainers"
    certified = db.session.execute(db.select(TrainerCertification)).scalar_one()
    assert certified.user.has_role("trainer") and certified.user_id == certificate.user_id

    # The accounts work: the certified trainer signs in with the printed password, and her printed
    # roles are the ones she holds now, not the ones she started with.
    grace = next(a for a in accounts if a["username"] == "grace.uwase")
    assert "trainer" in grace["roles"]
    codes = {c["name"]: c["join_code"] for c in json.loads(result.stdout)["cohorts"]}
    assert set(codes.values()) == {c.join_code for c in db.session.execute(db.select(Cohort)).scalars()}
    client = app.test_client()
    assert client.submit("/sign-in", {"username": "grace.uwase", "password": grace["password"]}).status_code == 302
    assert "Kigali" in client.get("/cohorts").get_data(as_text=True)
    # On a fresh site the demo also makes the programme's administrator.
    assert any(a["roles"] == ["admin"] for a in accounts)


def test_demo_adds_no_administrator_when_the_site_has_one(app, runner, admin):
    runner.invoke(args=["import-courses", str(COURSES)])
    accounts = json.loads(runner.invoke(args=["demo", "--json"]).stdout)["accounts"]
    assert not any("admin" in a["roles"] for a in accounts)


def test_demo_runs_once_and_needs_the_courses(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "import the courses first" in result.output
    assert db.session.execute(db.select(User)).first() is None
    runner.invoke(args=["import-courses", str(COURSES)])
    assert runner.invoke(args=["demo"]).exit_code == 0
    before = db.session.execute(db.select(db.func.count(User.id))).scalar()
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "already here" in again.output
    assert db.session.execute(db.select(db.func.count(User.id))).scalar() == before
