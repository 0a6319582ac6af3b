"""POST /api/v1/progress: the offline queue's batches are applied exactly once."""
import json
import uuid

import pytest

from lms.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent, QuizAttempt


def event(kind="lesson_opened", lesson="market-closing", at="2026-11-20T10:00:00Z", data=None, id=None):
    return {"id": id or str(uuid.uuid4()), "type": kind, "lesson": lesson, "at": at, "data": data or {}}


def post(client, events, token=True, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-CSRFToken"] = client.csrf_token()
    return client.post("/api/v1/progress", data=raw if raw is not None else json.dumps({"events": events}),
                       headers=headers)


def state(user, lesson):
    db.session.rollback()
    return db.session.execute(db.select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id)).scalar_one()


@pytest.fixture
def learner_client(client, learner, sign_in, course):
    sign_in("mariam")
    return client


def test_a_batch_is_accepted(learner_client, learner, course):
    batch = [event("lesson_opened"), event("lesson_completed", at="2026-11-20T10:12:00Z")]
    response = post(learner_client, batch)
    assert response.status_code == 200
    assert response.get_json() == {"accepted": [e["id"] for e in batch], "duplicates": [], "rejected": []}
    progress = state(learner, course["market-closing"])
    assert progress.completed_at.isoformat() == "2026-11-20T10:12:00"


def test_the_same_batch_twice_gives_one_state(learner_client, learner, course):
    batch = [event("lesson_opened"), event("time_spent", data={"seconds": 300}),
             event("lesson_completed", at="2026-11-20T10:12:00Z")]
    post(learner_client, batch)
    before = state(learner, course["market-closing"])
    snapshot = (before.first_opened_at, before.completed_at, before.time_spent_seconds)
    response = post(learner_client, batch).get_json()
    assert response["accepted"] == [] and response["duplicates"] == [e["id"] for e in batch]
    after = state(learner, course["market-closing"])
    assert (after.first_opened_at, after.completed_at, after.time_spent_seconds) == snapshot
    assert snapshot[2] == 300
    assert db.session.execute(db.select(db.func.count(ProgressEvent.id))).scalar() == 3


def test_out_of_order_events_give_the_same_state_as_in_order(learner_client, learner, course):
    answers = {"q1": ["a1"]}
    in_order = [
        event("lesson_opened", "market-stall", "2026-11-20T09:00:00Z"),
        event("quiz_answered", "market-stall", "2026-11-20T09:10:00Z", {"answers": {"q1": ["a2"]}, "language": "fr"}),
        event("quiz_answered", "market-stall", "2026-11-20T09:15:00Z", {"answers": answers, "language": "fr"}),
        event("lesson_opened", "market-stall", "2026-11-21T08:00:00Z"),
    ]
    post(learner_client, list(reversed(in_order[2:])))
    post(learner_client, list(reversed(in_order[:2])))
    late = state(learner, course["market-stall"])
    got = (late.first_opened_at, late.last_opened_at, late.completed_at, late.attempts, late.failed_attempts, late.best_score)
    assert got == (in_order_time("09:00", 20), in_order_time("08:00", 21), in_order_time("09:15", 20), 2, 1, 100)


def in_order_time(hhmm, day):
    from datetime import datetime
    return datetime.fromisoformat(f"2026-11-{day}T{hhmm}:00")


def test_good_events_are_kept_when_others_in_the_batch_are_bad(learner_client, learner, course):
    good = event("lesson_opened")
    batch = [
        good,
        {"id": "not-a-uuid", "type": "lesson_opened", "lesson": "market-closing", "at": "2026-11-20T10:00:00Z"},
        event("lesson_danced"),
        event(lesson="no-such-lesson"),
        event(at="yesterday"),
        event("quiz_answered", "market-stall", data={"answers": {"q9": ["a1"]}}),
        event("quiz_answered", "market-closing", data={"answers": {}}),
        "not even an object",
    ]
    body = post(learner_client, batch).get_json()
    assert body["accepted"] == [good["id"]]
    errors = [r["error"] for r in body["rejected"]]
    assert errors == ["'id' must be a UUID", "'type' must be one of lesson_opened, lesson_completed, quiz_answered, "
                      "time_spent", "unknown lesson", "'at' must be an ISO 8601 date and time",
                      "unknown question: q9", "this lesson has no knowledge check", "an event must be an object"]
    assert state(learner, course["market-closing"]).first_opened_at is not None


def test_a_body_that_is_not_such_json_gets_a_400(learner_client):
    for raw in ("not json", json.dumps([1, 2]), json.dumps({"events": "nope"})):
        response = post(learner_client, None, raw=raw)
        assert response.status_code == 400
        assert '{"events": [' in response.get_json()["error"]


def test_an_oversize_batch_gets_a_413(learner_client):
    response = post(learner_client, [event() for _ in range(501)])
    assert response.status_code == 413
    assert "at most 500 events" in response.get_json()["error"]
    huge = json.dumps({"events": [event(data={"pad": "x" * 600_000})]})
    assert post(learner_client, None, raw=huge).status_code == 413


def test_a_signed_out_caller_gets_a_401_not_a_redirect(client, course):
    response = client.post("/api/v1/progress", json={"events": []})
    assert response.status_code == 401
    assert response.get_json() == {"error": "authentication required"}
    assert client.get("/api/v1/progress").status_code == 401


def test_the_csrf_header_is_required(learner_client):
    response = post(learner_client, [event()], token=False)
    assert response.status_code == 400


def test_events_are_always_the_signed_in_learners_own(client, learner, sign_in, course):
    from tests import factories

    other = factories.user("binta")
    sign_in("binta")
    shared_id = str(uuid.uuid4())
    post(client, [event(id=shared_id)])
    client.submit("/sign-out")
    sign_in("mariam")
    body = post(client, [event(id=shared_id, data={"user_id": other.id})]).get_json()
    assert body["rejected"] == [{"id": shared_id, "error": "this id is already used"}]
    db.session.rollback()
    owners = db.session.execute(db.select(ProgressEvent.user_id)).scalars().all()
    assert owners == [other.id]


def test_a_quiz_answered_offline_is_graded_on_the_server(learner_client, learner, course):
    right = event("quiz_answered", "market-prices", data={"answers": {"q1": ["a1", "a2"]}, "language": "fr"})
    post(learner_client, [right])
    db.session.rollback()
    attempt = db.session.execute(db.select(QuizAttempt)).scalar_one()
    assert attempt.score == 100 and attempt.passed and attempt.results["q1"]["correct"]
    assert state(learner, course["market-prices"]).completed_at is not None


def test_completing_a_lesson_that_has_a_check_needs_the_check(learner_client, learner, course):
    post(learner_client, [event("lesson_completed", "market-stall")])
    assert state(learner, course["market-stall"]).completed_at is None


def test_get_returns_her_own_state(learner_client, course):
    post(learner_client, [event("lesson_completed")])
    lessons = learner_client.get("/api/v1/progress").get_json()["lessons"]
    assert lessons["market-closing"]["state"] == "done"
