"""Learners know where they are: their cohort, the next lesson, their work, a new certificate."""
from datetime import timedelta

from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring import services as mentoring
from lms.progress.models import Certificate
from tests import factories


def test_visitors_can_create_an_account_or_use_a_code(client, admin):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/register">Create an account' in page and 'href="/join">I have a code' in page


def test_without_open_registration_the_code_stays(app, admin):
    app.config["REGISTRATION_OPEN"] = False
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Create an account" not in page and "I have a code" in page


def test_her_cohort_card_gives_the_next_lesson_her_work_and_feedback(client, cohort, learner, mentor, course,
                                                                    sign_in):
    sign_in("mariam")
    home = client.get("/").get_data(as_text=True)
    assert "My cohort: Dakar — Médina" in home and "Trainer: Fatou Ndiaye" in home
    assert "Your mentor: Awa Koné" in home
    assert 'href="/lessons/market-stall">Next lesson: Your stall' in home

    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    db.session.commit()
    assert 'href="/lessons/market-stall?step=last#work">Waiting for review: Your stall' in client.get("/").get_data(as_text=True)
    mentoring.review_work(mentor, submission, "changes_requested", "Ajoutez les **prix**.")
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/lessons/market-stall?step=last#work">Changes requested: Your stall' in home
    assert "Latest feedback" in home and "Ajoutez les <strong>prix</strong>." in home


def test_a_new_certificate_is_celebrated_until_she_hides_it(client, cohort, learner, course, sign_in):
    path = course["market-stall"].path
    certificate = Certificate(code="ABCD-EFGH-JKLM", user_id=learner.id, path_id=path.id, language="en",
                              completed_at=utcnow())
    db.session.add(certificate)
    db.session.commit()
    sign_in("mariam")
    home = client.get("/").get_data(as_text=True)
    assert "Congratulations! You earned your certificate" in home
    assert 'href="/certificates/ABCD-EFGH-JKLM"' in home
    client.submit(f"/celebrations/{certificate.id}/dismiss")
    assert "Congratulations!" not in client.get("/").get_data(as_text=True)


def test_the_celebration_ends_after_two_weeks(client, cohort, learner, course, sign_in):
    path = course["market-stall"].path
    db.session.add(Certificate(code="ABCD-EFGH-JKLM", user_id=learner.id, path_id=path.id, language="en",
                               completed_at=utcnow(), issued_at=utcnow() - timedelta(days=15)))
    db.session.commit()
    sign_in("mariam")
    assert "Congratulations!" not in client.get("/").get_data(as_text=True)


def test_she_cannot_dismiss_someone_elses_celebration(client, learner, course, sign_in):
    path = course["market-stall"].path
    certificate = Certificate(code="ABCD-EFGH-JKLM", user_id=learner.id, path_id=path.id, language="en",
                              completed_at=utcnow())
    db.session.add(certificate)
    db.session.commit()
    factories.user("binta")
    sign_in("binta")
    assert client.submit(f"/celebrations/{certificate.id}/dismiss").status_code == 404
