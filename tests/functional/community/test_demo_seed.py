"""`lms demo` makes the community alive: circles, conversations, pairs that met, sessions with attendance, profiles."""
import json
from pathlib import Path

from lms.cohorts.sessions_models import Attendance, CohortSession
from lms.community.models import Circle, DirectoryProfile, PairMember, Post, Thread
from lms.extensions import db

COURSES = Path(__file__).resolve().parents[3] / "courses"


def count(model, *where):
    return db.session.execute(db.select(db.func.count(model.id)).where(*where)).scalar()


def test_the_demo_seeds_the_community(app, runner):
    assert runner.invoke(args=["import-courses", str(COURSES)]).exit_code == 0
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    assert count(Circle) == 2
    assert count(Post) >= 8
    assert count(Thread, Thread.kind == "question") == 1
    assert count(Post, Post.helpful_at.is_not(None)) == 1
    assert count(PairMember, PairMember.met_at.is_not(None)) >= 2
    assert count(CohortSession) == 3
    assert count(Attendance, Attendance.present.is_(False)) == 1
    assert count(DirectoryProfile) == 7
    password = {a["username"]: a["password"] for a in json.loads(result.stdout)["accounts"]}["awa.ndiaye"]
    client = app.test_client()
    client.submit("/sign-in", {"username": "awa.ndiaye", "password": password})
    home = client.get("/").get_data(as_text=True)
    assert "Mon cercle" in home and "Cette semaine\u202f: parlez avec" in home.replace("&#8239;", "\u202f") \
        or "Cette semaine : parlez avec" in home  # Awa reads French
