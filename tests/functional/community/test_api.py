"""POST /api/v1/posts: the offline queue's posts are stored exactly once; each bad one gets its own error."""
import uuid

from lms.community.models import Post, Thread
from lms.extensions import db
from tests.functional.community.conftest import thread_of


def send(client, posts, token=True):
    headers = {"X-CSRFToken": client.csrf_token()} if token else {}
    return client.post("/api/v1/posts", json={"posts": posts}, headers=headers)


def test_a_post_sent_twice_is_stored_once(client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    sign_in("mariam")
    item = {"id": str(uuid.uuid4()), "thread": thread.public_id, "body": "Écrit sans réseau",
            "at": "2026-11-30T10:00:00Z"}
    first = send(client, [item]).get_json()
    again = send(client, [item]).get_json()
    assert first["accepted"] == [item["id"]] and again["duplicates"] == [item["id"]]
    posts = db.session.execute(db.select(Post).filter_by(public_id=item["id"])).scalars().all()
    assert len(posts) == 1 and posts[0].body == "Écrit sans réseau"


def test_each_bad_post_is_refused_on_its_own(client, sign_in, two_cohorts, learner, course):
    mine = thread_of(learner)
    theirs = thread_of(two_cohorts["others"][0])
    sign_in("mariam")
    good = {"id": str(uuid.uuid4()), "thread": mine.public_id, "body": "ok"}
    question = {"id": str(uuid.uuid4()), "lesson": "market-stall", "body": "Une question hors ligne"}
    bad = [{"id": "not-a-uuid", "thread": mine.public_id, "body": "x"},
           {"id": str(uuid.uuid4()), "thread": mine.public_id, "body": ""},
           {"id": str(uuid.uuid4()), "thread": mine.public_id, "body": "x" * 2001},
           {"id": str(uuid.uuid4()), "thread": theirs.public_id, "body": "intrusion"},
           {"id": str(uuid.uuid4()), "thread": mine.public_id, "body": "x", "reply_to": str(uuid.uuid4())},
           "not an object"]
    result = send(client, [good, question] + bad).get_json()
    assert sorted(result["accepted"]) == sorted([good["id"], question["id"]])
    assert [r["error"] for r in result["rejected"]] == ["bad_id", "empty", "too_long", "not_found", "not_found",
                                                       "bad_id"]
    assert db.session.execute(db.select(db.func.count(Post.id))).scalar() == 2
    assert db.session.execute(db.select(Thread).filter_by(kind="question")).scalar_one().lesson.slug == "market-stall"


def test_without_the_csrf_header_or_signed_out_nothing_is_stored(app, client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    item = {"id": str(uuid.uuid4()), "thread": thread.public_id, "body": "x"}
    assert app.test_client().post("/api/v1/posts", json={"posts": [item]}).status_code == 401
    sign_in("mariam")
    assert send(client, [item], token=False).status_code == 400
    assert client.post("/api/v1/posts", data="nope", headers={"X-CSRFToken": client.csrf_token()}).status_code == 400
    assert db.session.execute(db.select(Post)).first() is None
