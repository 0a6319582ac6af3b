"""Attacks on event ids: a learner must not claim the ids of another learner's forms, nor count for her."""
import json
import re
import uuid

import pytest

from lms.extensions import db
from lms.progress import events as progress_events
from lms.progress.models import LessonProgress, ProgressEvent, QuizAttempt
from tests import factories


def form_ids(page):
    return re.findall(r'name="event_id" value="([^"]+)"', page)


def post(client, batch):
    return client.post("/api/v1/progress", data=json.dumps({"events": batch}),
                       headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token()}).get_json()


def event(event_id, kind="lesson_completed", lesson="market-closing", data=None):
    return {"id": event_id, "type": kind, "lesson": lesson, "at": "2026-11-20T10:00:00Z", "data": data or {}}


def old_formula(user_id, lesson_id, purpose):
    """How form ids used to be made: anyone knowing two small numbers could compute them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lms:{user_id}:{lesson_id}:{purpose}"))


def progress_of(user, lesson):
    db.session.rollback()
    return db.session.execute(db.select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id)).scalar_one_or_none()


@pytest.fixture
def binta(app, admin):
    return factories.user("binta", display_name="Binta Sow")


def test_another_learner_cannot_pre_claim_her_form_ids(client, learner, binta, sign_in, course):
    sign_in("binta")
    seen_by_binta = []
    for slug in course:
        seen_by_binta += form_ids(client.get(f"/lessons/{slug}").get_data(as_text=True))
    assert seen_by_binta
    guessed = []
    for lesson in course.values():
        purposes = ["done"] + [f"quiz-{n}" for n in range(4)]
        for purpose in purposes:
            guessed.append(old_formula(learner.id, lesson.id, purpose))
            guessed.append(str(uuid.uuid5(uuid.NAMESPACE_URL, guessed[-1] + "/time")))
    claimed = seen_by_binta + guessed
    post(client, [event(i, "time_spent", data={"seconds": 60}) for i in claimed])
    client.submit("/sign-out")

    sign_in("mariam")
    page = client.get("/lessons/market-closing").get_data(as_text=True)
    assert not set(form_ids(page)) & set(claimed)
    done = client.post("/lessons/market-closing/done", data={"csrf_token": client.csrf_token(),
                                                             "event_id": form_ids(page)[0]}, follow_redirects=True)
    assert "Lesson completed. Well done!" in done.get_data(as_text=True)
    assert progress_of(learner, course["market-closing"]).completed_at is not None

    for answer, verdict in (("a2", "0% right"), ("a1", "Well done: 100% right")):
        page = client.get("/lessons/market-stall").get_data(as_text=True)
        [quiz_id] = form_ids(page)
        assert quiz_id not in claimed
        page = client.post("/lessons/market-stall/check", data={"csrf_token": client.csrf_token(),
                                                                 "event_id": quiz_id, "q1": answer},
                           follow_redirects=True).get_data(as_text=True)
        assert verdict in page
    stall = progress_of(learner, course["market-stall"])
    assert stall.completed_at is not None and stall.attempts == 2

    hers = db.session.execute(db.select(ProgressEvent.id, ProgressEvent.user_id)).all()
    assert all(user_id == binta.id for event_id, user_id in hers if event_id in claimed)
    # Binta claimed a minute per id; Mariam's own reading between page and form takes seconds.
    assert all(progress.time_spent_seconds < 60 for progress in db.session.execute(
        db.select(LessonProgress).filter_by(user_id=learner.id)).scalars())


def test_an_id_belongs_to_whoever_sent_it_first(client, learner, binta, sign_in, course):
    sign_in("mariam")
    done_id = form_ids(client.get("/lessons/market-closing").get_data(as_text=True))[0]
    quiz_id = form_ids(client.get("/lessons/market-stall").get_data(as_text=True))[0]
    client.post("/lessons/market-closing/done", data={"csrf_token": client.csrf_token(), "event_id": done_id})
    client.post("/lessons/market-stall/check", data={"csrf_token": client.csrf_token(), "event_id": quiz_id, "q1": "a2"})
    client.submit("/sign-out")

    sign_in("binta")  # she read Mariam's ids over her shoulder
    attack = [event(done_id), event(done_id, lesson="market-prices"), event(done_id, "time_spent", data={"seconds": 999}),
              event(quiz_id, "quiz_answered", "market-stall", {"answers": {"q1": ["a1"]}, "language": "fr"}),
              event(quiz_id, "lesson_opened", "market-prices")]
    body = post(client, attack[:1]), post(client, attack[1:2]), post(client, attack[2:])
    for answer in body:
        assert answer["accepted"] == [] and answer["duplicates"] == []
        assert {r["error"] for r in answer["rejected"]} == {"this id is already used"}

    db.session.rollback()
    rows = db.session.execute(db.select(ProgressEvent.id, ProgressEvent.user_id, ProgressEvent.type,
                                        ProgressEvent.data)).all()
    by_id = {row.id: row for row in rows}
    assert (by_id[done_id].user_id, by_id[done_id].type) == (learner.id, "lesson_completed")
    assert (by_id[quiz_id].user_id, by_id[quiz_id].data["answers"]) == (learner.id, {"q1": ["a2"]})
    assert all(row.user_id == learner.id for row in rows if row.type != "lesson_opened")
    attempts = db.session.execute(db.select(QuizAttempt.user_id, QuizAttempt.passed)).all()
    assert attempts == [(learner.id, False)]
    assert progress_of(binta, course["market-closing"]) is None
    assert progress_of(learner, course["market-stall"]).completed_at is None
    assert progress_of(learner, course["market-closing"]).time_spent_seconds < 999  # her seconds, not Binta's 999


def test_her_lesson_page_stays_a_304_with_unguessable_ids(client, learner, sign_in, course):
    sign_in("mariam")
    first = client.get("/lessons/market-closing")
    again = client.get("/lessons/market-closing", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    [done_id] = form_ids(first.get_data(as_text=True))
    assert done_id != old_formula(learner.id, course["market-closing"].id, "done")


def test_form_ids_are_keyed_with_the_sites_secret(app, make_app):
    ids = {progress_events.form_event_id(1, 2, "done")}
    assert progress_events.form_event_id(1, 2, "done") in ids  # stable
    for other in ((2, 2, "done"), (1, 3, "done"), (1, 2, "quiz-0")):
        ids.add(progress_events.form_event_id(*other))
    ids.add(progress_events.time_event_id(1, progress_events.form_event_id(1, 2, "done")))
    ids.add(progress_events.time_event_id(2, progress_events.form_event_id(1, 2, "done")))
    with make_app(SECRET_KEY="another-site").app_context():
        ids.add(progress_events.form_event_id(1, 2, "done"))
    assert len(ids) == 7
    assert all(uuid.UUID(i).version == 4 for i in ids)
