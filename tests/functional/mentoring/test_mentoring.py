"""A learner hands in practical work; her mentor reviews it; both keep a log of their meetings."""
import io

from PIL import Image

from lms.extensions import db
from lms.mentoring.models import MentoringNote, Submission
from tests import factories


def photo_bytes(size=(800, 600), exif_gps=True):
    img = Image.new("RGB", size, (180, 90, 30))
    buffer = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x8825] = {1: "N", 2: (14.0, 41.0, 0.0)}  # GPSInfo: Dakar
        exif[0x010F] = "PhoneMaker"
    img.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def send_work(client, data, slug="market-stall"):
    return client.submit(f"/lessons/{slug}/work", data, content_type="multipart/form-data", follow_redirects=True)


def test_learner_sends_text_and_photo_and_the_location_is_stripped(app, client, cohort, learner, sign_in):
    from pathlib import Path

    sign_in("mariam")
    page = send_work(client, {"text": "Mon étal ce matin.", "photo": (io.BytesIO(photo_bytes()), "etal.jpg")})
    assert "Your work is sent to Awa Koné." in page.get_data(as_text=True)
    submission = db.session.execute(db.select(Submission)).scalar_one()
    stored = Image.open(Path(app.instance_path) / "uploads" / submission.photo)
    assert not stored.getexif() and "exif" not in stored.info
    assert client.get(f"/uploads/{submission.photo}").status_code == 200


def test_oversize_or_invalid_photos_are_refused_with_a_clear_message(client, cohort, sign_in):
    sign_in("mariam")
    page = send_work(client, {"photo": (io.BytesIO(b"not an image at all"), "x.jpg")}).get_data(as_text=True)
    assert "This file is not a photo we can read" in page
    big = io.BytesIO(b"\xff\xd8" + b"0" * (7 * 1024 * 1024))
    page = send_work(client, {"photo": (big, "big.jpg")}).get_data(as_text=True)
    assert "This photo is too large" in page
    assert db.session.execute(db.select(Submission)).first() is None


def test_empty_work_is_refused(client, cohort, sign_in):
    sign_in("mariam")
    assert "Add a text or a photo." in send_work(client, {"text": "  "}).get_data(as_text=True)  # what it asks for


def test_mentor_reviews_oldest_first_asks_for_changes_then_approves(app, client, cohort, learner, mentor, sign_in):
    sign_in("mariam")
    send_work(client, {"text": "Première version."})
    client.submit("/sign-out")
    sign_in("awa")
    assert "1 practical work is waiting for your review." in client.get("/").get_data(as_text=True)
    queue = client.get("/mentoring").get_data(as_text=True)
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert f"/mentoring/submissions/{submission.id}" in queue and "Mariam Camara" in queue
    page = client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "changes_requested", "feedback": ""})
    assert "Tell her what to change." in page.get_data(as_text=True)
    client.submit(f"/mentoring/submissions/{submission.id}", {
        "decision": "changes_requested", "feedback": "Ajoutez vos **prix**.<script>alert(1)</script>"})
    client.submit("/sign-out")

    sign_in("mariam")
    lesson_page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "Ajoutez vos <strong>prix</strong>." in lesson_page and "<script>alert" not in lesson_page
    assert "Latest feedback" in client.get("/").get_data(as_text=True)
    send_work(client, {"text": "Deuxième version, avec les prix."})
    client.submit("/sign-out")

    sign_in("awa")
    second = db.session.execute(db.select(Submission).filter_by(round=2)).scalar_one()
    client.submit(f"/mentoring/submissions/{second.id}", {"decision": "approved", "feedback": "Parfait."})
    rounds = db.session.execute(db.select(Submission).order_by(Submission.round)).scalars().all()
    assert [(s.round, s.status) for s in rounds] == [(1, "changes_requested"), (2, "approved")]


def test_a_second_round_waits_for_the_review_of_the_first(client, cohort, sign_in):
    sign_in("mariam")
    send_work(client, {"text": "Version 1"})
    assert "Your last work has not been reviewed yet." in send_work(client, {"text": "Version 2"}).get_data(as_text=True)


def test_mentoring_log_is_seen_by_the_mentee_and_the_cohort_trainer(app, client, cohort, learner, mentor, sign_in):
    sign_in("awa")
    client.submit(f"/mentoring/mentees/{learner.id}", {"met_on": "2026-11-20", "notes": "Plan du site revu.",
                                                       "next_steps": "Photographier trois plats."})
    assert db.session.execute(db.select(MentoringNote)).scalar_one().next_steps == "Photographier trois plats."
    client.submit("/sign-out")
    sign_in("mariam")
    assert "Photographier trois plats." in client.get("/my-mentoring", follow_redirects=True).get_data(as_text=True)
    assert client.submit(f"/mentoring/mentees/{learner.id}", {"met_on": "2026-11-21", "notes": "x"}).status_code == 403
    client.submit("/sign-out")
    sign_in("fatou")
    assert "Plan du site revu." in client.get(f"/mentoring/mentees/{learner.id}").get_data(as_text=True)


def test_a_mentor_sees_only_her_mentees(client, cohort, learner, sign_in):
    other_mentor = factories.user("coumba", roles=("mentor",))
    sign_in("mariam")
    send_work(client, {"text": "Mon travail"})
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit("/sign-out")
    sign_in(other_mentor.username)
    assert "Mariam" not in client.get("/mentoring").get_data(as_text=True)
    assert client.get(f"/mentoring/submissions/{submission.id}").status_code == 403
    assert client.get(f"/mentoring/mentees/{learner.id}").status_code == 403
    assert client.get(f"/learners/{learner.id}/progress").status_code == 403
    assert client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "approved"}).status_code == 403


def test_reassigning_the_mentor_moves_the_review_right(client, cohort, learner, trainer, sign_in):
    from lms.cohorts import services as cohorts

    new_mentor = factories.user("coumba", roles=("mentor",))
    factories.join(cohort, new_mentor, "mentor")
    cohorts.assign_mentor(trainer, cohort, learner, new_mentor)
    db.session.commit()
    sign_in("awa")
    assert client.get(f"/mentoring/mentees/{learner.id}").status_code == 403
    client.submit("/sign-out")
    sign_in("coumba")
    assert client.get(f"/mentoring/mentees/{learner.id}").status_code == 200


def test_a_meeting_dated_years_ahead_or_with_nothing_written_is_said_by_its_field(client, cohort, learner, mentor,
                                                                                sign_in):
    sign_in("awa")
    future = client.submit(f"/mentoring/mentees/{learner.id}", {"met_on": "2030-01-01", "notes": "Plan du site."})
    html = future.get_data(as_text=True)
    assert 'id="met_on-error"' in html and "This date is still to come: write the day you met." in html
    assert "Plan du site." in html  # what she wrote is kept
    empty = client.submit(f"/mentoring/mentees/{learner.id}", {"met_on": "2026-11-20", "notes": " "})
    assert "Write what you talked about, or the next steps." in empty.get_data(as_text=True)
    assert db.session.execute(db.select(MentoringNote)).first() is None


def test_a_link_typed_without_https_is_taken_as_she_meant_it(client, cohort, learner, sign_in):
    sign_in("mariam")
    send_work(client, {"link": "facebook.com/awa.plats"})
    assert db.session.execute(db.select(Submission.link)).scalar_one() == "https://facebook.com/awa.plats"


def test_a_link_that_is_no_address_is_still_refused(client, cohort, learner, sign_in):
    sign_in("mariam")
    assert "Type a full address, starting with https://" in send_work(client, {"link": "ma page"}).get_data(
        as_text=True)
