"""The trainer's dashboard, the cascade's reach and the programme overview."""
import csv
import re
import io
import json
import uuid
from datetime import timedelta

from lms.cohorts import services as cohorts
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring import services as mentoring
from tests import factories


def post_events(client, events):
    client.post("/api/v1/progress", data=json.dumps({"events": events}),
                headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token()})


def event(kind, lesson, at, data=None):
    return {"id": str(uuid.uuid4()), "type": kind, "lesson": lesson, "at": at.isoformat() + "Z", "data": data or {}}


def test_dashboard_grid_needs_attention_chart_and_csv(app, client, cohort, learner, mentor, trainer, sign_in, course):
    quiet = factories.user("binta", display_name="Binta Sow")
    factories.join(cohort, quiet)
    old = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    old.submitted_at = utcnow() - timedelta(days=5)
    db.session.commit()
    sign_in("mariam")
    now = utcnow()
    wrong = {"answers": {"q1": ["a2"]}, "language": "fr"}
    post_events(client, [event("lesson_completed", "market-closing", now),
                         event("quiz_answered", "market-stall", now, wrong),
                         event("quiz_answered", "market-stall", now, wrong)])
    client.submit("/sign-out")
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert "Binta Sow" not in page.split('id="chart-heading"')[0]  # she joined today: not quiet yet
    assert re.search(r"Mariam Camara</a> —\s+“Your stall”, last try", page)
    assert re.search(r"Mariam Camara</a> —\s+“Your stall”, handed in", page)
    assert '<rect x="' in page and "<script>" not in page
    assert '<td class="d"><span class="visually-hidden">done</span>' in page
    assert '<td class="s ws"><span class="visually-hidden">in progress, work waiting for review, score</span> 0</td>' in page
    rows = list(csv.reader(io.StringIO(client.get(f"/cohorts/{cohort.id}/dashboard.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Name", "Username", "Mentor", "Completed (%)", "Last activity"]
    mariam = next(r for r in rows if r[1] == "mariam")
    assert mariam[2] == "Awa Koné" and mariam[3] == "33" and "in progress (0%)" in mariam


def test_the_cascade_reach_counts_learners_directly_and_through_certified_trainers(client, admin, trainer, sign_in,
                                                                                   course):
    from lms.cohorts.models import TrainerCertification

    new_trainer = factories.user("grace", roles=("trainer",), country="RW", display_name="Grace Uwase")
    db.session.add(TrainerCertification(user_id=new_trainer.id, certified_by_id=trainer.id))
    direct = [factories.user(f"sn{i}", country="SN") for i in range(2)]
    through = [factories.user(f"rw{i}", country="RW") for i in range(3)]
    factories.cohort(trainer, learners=direct, name="Dakar")
    factories.cohort(new_trainer, learners=through, name="Kigali")
    sign_in("fatou")
    page = client.get("/reports/reach").get_data(as_text=True)
    assert "Learners reached directly: 2 · through the trainers she certified: 3" in page
    rows = list(csv.reader(io.StringIO(client.get("/reports/reach.csv").get_data(as_text=True).lstrip("\ufeff"))))
    fatou_rows = [r for r in rows[1:] if r[1] == "fatou"]
    assert ["SN", "0", "2"] == [fatou_rows[0][3], fatou_rows[0][6], fatou_rows[0][5]] or \
        {(r[3], r[5], r[6]) for r in fatou_rows} == {("SN", "2", "0"), ("RW", "0", "3")}
    client.submit("/sign-out")
    sign_in("grace")  # she sees herself, not the trainer who certified her
    page = client.get("/reports/reach").get_data(as_text=True)
    assert "Grace" in page and "Fatou Ndiaye" not in page


def test_trainer_certifies_a_learner_who_completed_the_trainer_path(client, cohort, learner, trainer, sign_in):
    from lms.catalogue.models import LearningPath
    from lms.progress.models import Certificate

    sign_in("fatou")
    client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer")
    db.session.refresh(learner)
    assert "trainer" not in learner.roles  # not yet: the path is not completed
    path = LearningPath(slug="training-of-trainers", title={"en": "ToT"})
    db.session.add(path)
    db.session.flush()
    db.session.add(Certificate(code="AAAA-BBBB-CCCC", user_id=learner.id, path_id=path.id, language="en",
                               completed_at=utcnow()))
    db.session.commit()
    page = client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer",
                         follow_redirects=True).get_data(as_text=True)
    assert "is now a trainer" in page
    db.session.refresh(learner)
    assert "trainer" in learner.roles


def test_programme_overview_for_admins(client, admin, cohort, learner, sign_in):
    sign_in("mariam")
    post_events(client, [event("lesson_completed", "market-closing", utcnow())])
    client.submit("/sign-out")
    sign_in("amina")
    page = client.get("/reports/overview").get_data(as_text=True)
    assert "active in the last 30 days" in page and "Completion funnel" in page
    funnel = list(csv.reader(io.StringIO(client.get("/reports/overview/funnel.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert funnel[1:] == [["Registered", "1"], ["Started a lesson", "1"], ["Completed a lesson", "1"],
                          ["Completed half a path", "0"], ["Earned a certificate", "0"]]
    for table in ("countries", "cohorts", "paths"):
        assert client.get(f"/reports/overview/{table}.csv").status_code == 200
