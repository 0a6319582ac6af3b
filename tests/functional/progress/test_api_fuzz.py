"""Fuzzing POST /api/v1/progress: odd values in any field are rejected one by one, never a 500 or a lost batch."""
import io
import json
import math
import uuid

import pytest

from lms.extensions import db
from lms.progress.models import ProgressEvent

HUGE = "HUGE-INTEGER"  # replaced in the raw JSON by a 5,000-digit number, more than Python's int() takes
ODD = [[], ["x"], ["market-closing"], {}, {"a": 1}, None, True, False, 0, -1, 10**30, HUGE, 1.5, -0.0,
       float("nan"), float("inf"), float("-inf"), "NaN", "Infinity", "", " ", "x" * 50_000, "not-a-uuid",
       "é丶😀", "\x00", "\u202e", "0" * 40, "2026-11-20T10:00:00Z"]
ODD_DATES = ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01", "9999-12-31T23:59:59",
             "2026-13-01T00:00:00", "2026-11-20T10:00:00+25:00", "2026-11-20T25:00:00", "19-11-2026",
             "2026-11-20T10:00:00.123456789Z", "2019-12-31T23:59:59Z"]
QUIZ = {"lesson": "market-stall", "type": "quiz_answered"}


def event(**fields):
    base = {"id": str(uuid.uuid4()), "type": "lesson_opened", "lesson": "market-closing",
            "at": "2026-11-20T10:00:00Z", "data": {}}
    return {**base, **fields}


def post(client, batch):
    raw = json.dumps({"events": batch}).replace(f'"{HUGE}"', "9" * 5000)
    return client.post("/api/v1/progress", data=raw,
                       headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf_token()})


@pytest.fixture
def learner_client(client, learner, sign_in, course):
    sign_in("mariam")
    return client


def odd_events():
    """Yield (event, whether it must be rejected): every field, and quiz and time data, given odd values."""
    for value in ODD:
        yield event(id=value), True
        yield event(type=value), True
        yield event(lesson=value), True
        yield event(at=value), value != "2026-11-20T10:00:00Z"
        yield event(data=value), bool(value) and not isinstance(value, dict)  # no data at all is fine
        yield event(**QUIZ, data={"answers": value, "language": "fr"}), value != {}  # nothing answered: all wrong
        yield event(**QUIZ, data={"answers": {"q1": value}, "language": "fr"}), value != []  # none chosen: wrong
        yield event(**QUIZ, data={"answers": {"q1": ["a1"]}, "language": value}), not (
            value in ("", None, False, 0, -0.0, []) or value == {} or isinstance(value, str) and len(value) <= 16)
        yield event(type="time_spent", data={"seconds": value}), not (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0)
    for value in ODD_DATES:
        yield event(at=value), value.startswith(("0001-01-01T", "2026-13", "2026-11-20T10:00:00+25", "2026-11-20T25",
                                                 "19-", "2019"))
    for answers in ({"q1": ["a1", "a1"]}, {"q1": [["a1"]]}, {"q1": {"a1": True}}, {"": []}, {"q1": ["a9" * 1000]},
                    {"q" * 100_000: ["a1"]}, {"q1": ["a1"] * 1000}):
        yield event(**QUIZ, data={"answers": answers, "language": "fr"}), True


def strict(constant):
    raise AssertionError(f"{constant} is not JSON")


def test_odd_values_in_any_field_are_rejected_one_by_one(learner_client, learner):
    cases = list(odd_events())
    good = [event(), event(type="lesson_completed"), event(**QUIZ, data={"answers": {"q1": ["a1"]}, "language": "fr"})]
    for start in range(0, len(cases), 40):
        chunk = cases[start:start + 40]
        response = post(learner_client, [good[0]] + [e for e, _ in chunk] + good[1:])
        assert response.status_code == 200, chunk
        body = response.get_json()
        assert set(good_ids := [e["id"] for e in good]) <= set(body["accepted"] + body["duplicates"])
        assert len(body["accepted"]) + len(body["duplicates"]) + len(body["rejected"]) == len(chunk) + len(good)
        rejected = {r["id"]: r["error"] for r in body["rejected"]}
        for odd, must_reject in chunk:
            if must_reject and isinstance(odd["id"], str) and len(odd["id"]) == 36:
                assert odd["id"] in rejected, json.dumps(odd)[:300]
            if isinstance(odd["id"], str) and odd["id"] in rejected:
                assert isinstance(rejected[odd["id"]], str) and 0 < len(rejected[odd["id"]]) < 200
        assert all(r["id"] is None or isinstance(r["id"], str) and len(r["id"]) <= 64 for r in body["rejected"])
        json.loads(response.get_data(), parse_constant=strict)  # the answer is strict JSON for the phone's parser
    db.session.rollback()
    owners = db.session.execute(db.select(ProgressEvent.user_id)).scalars().all()
    assert set(owners) == {learner.id} and len(owners) >= len(good_ids)


@pytest.mark.parametrize("at", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_a_date_off_the_calendar_is_one_clear_rejection(learner_client, at):
    kept, odd = event(), event(at=at)
    body = post(learner_client, [kept, odd]).get_json()
    assert body["accepted"] == [kept["id"]]
    assert body["rejected"] == [{"id": odd["id"], "error": "'at' is out of range"}]


@pytest.mark.parametrize("lesson", [["x"], {"slug": "market-closing"}, 7, None])
def test_a_lesson_that_is_not_a_string_is_one_clear_rejection(learner_client, lesson):
    kept, odd = event(), event(lesson=lesson)
    body = post(learner_client, [kept, odd]).get_json()
    assert body["accepted"] == [kept["id"]]
    assert body["rejected"] == [{"id": odd["id"], "error": "'lesson' must be a lesson id"}]


@pytest.mark.parametrize("seconds", ["Infinity", "NaN", "1e400", "9" * 5000])
def test_time_spent_must_be_a_finite_number(learner_client, seconds):
    kept, odd = event(), event(type="time_spent", data={"seconds": "SECONDS"})
    raw = json.dumps({"events": [kept, odd]}).replace('"SECONDS"', seconds)
    response = learner_client.post("/api/v1/progress", data=raw, headers={
        "Content-Type": "application/json", "X-CSRFToken": learner_client.csrf_token()})
    body = response.get_json()
    assert body["accepted"] == [kept["id"]]
    assert body["rejected"] == [{"id": odd["id"], "error": "data.seconds must be a positive number"}]


def test_an_id_that_is_not_a_uuid_string_is_not_echoed_back(learner_client):
    body = post(learner_client, [event(id=float("nan")), event(id="x" * 10_000), event(id=12345678123456781234567812345678)])
    assert body.status_code == 200
    assert body.get_json()["rejected"] == [{"id": None, "error": "'id' must be a UUID"}] * 3


def test_bodies_the_parser_cannot_read_get_a_400(learner_client):
    headers = {"Content-Type": "application/json", "X-CSRFToken": learner_client.csrf_token()}
    for raw in ("[" * 100_000, b"\xff\xfe\x00garbage", '{"events": [' + "{" * 5000):
        response = learner_client.post("/api/v1/progress", data=raw, headers=headers)
        assert response.status_code == 400
        assert '{"events": [' in response.get_json()["error"]


def test_a_body_without_a_length_is_read_no_further_than_the_limit(learner_client):
    body = b'{"events": [' + b'{"pad": "' + b"x" * 600_000 + b'"}]}'
    response = learner_client.post("/api/v1/progress", input_stream=io.BytesIO(body),
                                   environ_overrides={"wsgi.input_terminated": True}, headers={
        "Content-Type": "application/json", "Transfer-Encoding": "chunked", "X-CSRFToken": learner_client.csrf_token()})
    assert response.status_code == 413
