"""At 100 % without a certificate she reads what is missing; her timeline groups repeated events."""
import json
import uuid

from lms.extensions import db
from lms.mentoring import services as mentoring
from tests.functional.progress.test_certificates import complete_everything


def test_at_100_percent_she_reads_what_is_missing_each_linked(client, cohort, learner, mentor, course, sign_in):
    sign_in("mariam")
    complete_everything(client)
    page = client.get("/paths/market").get_data(as_text=True)
    assert "What is missing for your certificate" in page
    assert 'href="/lessons/market-stall?step=last#work">Your stall</a> —\n    practical work not sent yet' in page

    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    db.session.commit()
    assert "practical work waiting for review" in client.get("/paths/market").get_data(as_text=True)
    mentoring.review_work(mentor, submission, "changes_requested", "Les prix ?")
    db.session.commit()
    assert "practical work: changes requested" in client.get("/paths/market").get_data(as_text=True)


def test_nothing_is_said_missing_before_100_percent_or_with_the_certificate(client, cohort, learner, mentor,
                                                                            course, sign_in):
    sign_in("mariam")
    client.get("/lessons/market-stall")
    assert "What is missing" not in client.get("/paths/market").get_data(as_text=True)
    complete_everything(client)
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    mentoring.review_work(mentor, submission, "approved", "Bravo")
    db.session.commit()
    page = client.get("/paths/market").get_data(as_text=True)
    assert "What is missing" not in page and "See your certificate" in page


def test_a_failed_check_is_named(app, learner, course):
    from lms.progress import certificates, events

    events.record_one(learner, course["market-stall"], "quiz_answered",
                      data={"answers": {"q1": ["a2"]}, "language": "fr"})
    db.session.commit()
    missing = [(lesson.slug, reason) for lesson, reason in
               certificates.missing_for(learner, course["market-stall"].path)]
    assert missing == [("market-stall", "check_not_passed"), ("market-stall", "work_not_sent"),
                       ("market-prices", "not_done"), ("market-closing", "not_done")]


def test_the_timeline_groups_what_she_did_several_times_in_a_day(client, learner, course, sign_in):
    sign_in("mariam")
    events = [{"id": str(uuid.uuid4()), "type": "lesson_opened", "lesson": "market-closing",
               "at": f"2026-11-20T10:0{minute}:00Z"} for minute in range(3)]
    events.append({"id": str(uuid.uuid4()), "type": "lesson_opened", "lesson": "market-closing",
                   "at": "2026-11-21T09:00:00Z"})
    client.post("/api/v1/progress", data=json.dumps({"events": events}),
                headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token()})
    timeline = client.get("/my-learning").get_data(as_text=True).split("Recent activity")[1]
    assert timeline.count("opened 3 times") == 1
    assert timeline.count('href="/lessons/market-closing"') == 2  # one line for the 20th, one for the 21st
