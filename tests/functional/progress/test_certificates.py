"""Completing a path earns a certificate anyone can verify; a trainer can revoke it."""
import json
import re
import uuid

import pytest

from lms.extensions import db
from lms.progress.models import Certificate


def complete_everything(client):
    events = [
        {"id": str(uuid.uuid4()), "type": "quiz_answered", "lesson": "market-stall", "at": "2026-11-20T10:00:00Z",
         "data": {"answers": {"q1": ["a1"]}, "language": "fr"}},
        {"id": str(uuid.uuid4()), "type": "quiz_answered", "lesson": "market-prices", "at": "2026-11-21T10:00:00Z",
         "data": {"answers": {"q1": ["a1", "a2"]}, "language": "fr"}},
        {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson": "market-closing", "at": "2026-11-19T10:00:00Z"},
    ]
    client.post("/api/v1/progress", data=json.dumps({"events": events}),
                headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token()})


def approve_practical_work(learner, mentor, trainer, course):
    from lms.mentoring import services as mentoring
    from tests import factories

    factories.cohort(trainer, learners=[learner], mentors=[mentor], mentor_of={learner: mentor})
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal, rangé ce matin.")
    mentoring.review_work(mentor, submission, "approved", "Très bien.")
    db.session.commit()


@pytest.fixture
def certificate(client, learner, mentor, trainer, sign_in, course):
    approve_practical_work(learner, mentor, trainer, course)
    sign_in("mariam")
    complete_everything(client)
    db.session.rollback()
    return db.session.execute(db.select(Certificate)).scalar_one()


def test_no_certificate_while_practical_work_is_not_approved(client, learner, mentor, trainer, sign_in, course):
    sign_in("mariam")
    complete_everything(client)
    db.session.rollback()
    assert db.session.execute(db.select(Certificate)).first() is None
    approve_practical_work(learner, mentor, trainer, course)  # approval completes the path
    assert db.session.execute(db.select(Certificate)).scalar_one().user_id == learner.id


def test_no_certificate_before_the_path_is_complete(client, learner, sign_in, course):
    sign_in("mariam")
    client.get("/lessons/market-stall")
    assert db.session.execute(db.select(Certificate)).first() is None


def test_completing_the_path_issues_a_certificate_dated_by_the_last_lesson(certificate):
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)
    assert certificate.completed_at.isoformat() == "2026-11-21T10:00:00"


def test_the_learner_sees_and_prints_her_certificate(client, certificate):
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "Certificate of completion" in page and "Mariam Camara" in page and certificate.code in page
    assert "Save as PDF" in page
    assert f"/certificates/{certificate.code}" in client.get("/paths/market").get_data(as_text=True)


def test_the_certificate_is_in_her_language(client, learner, certificate):
    learner.locale = "fr"
    db.session.commit()
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "Certificat de réussite" in page and "Vendre au marché" in page


def test_anyone_can_verify_a_code_without_an_account(app, certificate):
    visitor = app.test_client()
    page = visitor.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate is valid." in page and "Mariam Camara" in page
    typed = certificate.code.replace("-", "").lower()
    assert "This certificate is valid." in visitor.get(f"/verify?code={typed}").get_data(as_text=True)
    response = visitor.get("/verify/AAAA-BBBB-CCCC")
    assert response.status_code == 404 and "No certificate has this code" in response.get_data(as_text=True)


def test_other_learners_cannot_open_her_certificate_page(app, certificate):
    from tests import factories

    factories.user("binta")
    other = app.test_client()
    other.submit("/sign-in", {"username": "binta", "password": factories.PASSWORD})
    assert other.get(f"/certificates/{certificate.code}").status_code == 403
    assert other.submit(f"/certificates/{certificate.code}/revoke", {"reason": "x"}).status_code == 403


def test_a_trainer_revokes_it_and_it_stays_on_record(app, trainer, certificate):
    """Her trainer (she is in her cohort) may revoke it."""
    from tests import factories

    client = app.test_client()
    client.submit("/sign-in", {"username": "fatou", "password": factories.PASSWORD})
    client.submit(f"/certificates/{certificate.code}/revoke", {"reason": "Copied the answers"})
    db.session.rollback()
    kept = db.session.get(Certificate, certificate.id)
    assert kept.revoked_at is not None and kept.revoked_by_id == trainer.id
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate was revoked on" in page


def test_a_learner_cannot_revoke_her_own(client, certificate):
    assert client.submit(f"/certificates/{certificate.code}/revoke", {"reason": "x"}).status_code == 403


def test_the_same_events_again_do_not_issue_a_second_certificate(client, certificate):
    complete_everything(client)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Certificate.id))).scalar() == 1
