"""Every community, session and attendance page and action, for every role of two cohorts: allowed or refused."""
from datetime import timedelta
from pathlib import Path

import pytest

from lms.cohorts import sessions
from lms.community import circles, conversations, directory, queries
from lms.core.database import utcnow
from lms.extensions import db
from lms.media.voice_notes import StoredVoice
from tests import factories
from tests.functional.community.conftest import thread_of

ROLES = ("visitor", "learner", "other_learner", "mentor", "other_mentor", "trainer", "other_trainer", "admin")
USERS = {"learner": "mariam", "other_learner": "binta", "mentor": "awa", "other_mentor": "coumba.m",
         "trainer": "fatou", "other_trainer": "ramata", "admin": "amina"}


def as_user(app, username):
    client = app.test_client()
    assert client.submit("/sign-in", {"username": username, "password": factories.PASSWORD}).status_code == 302
    return client


@pytest.fixture
def world(app, two_cohorts, learner, trainer, course):
    cohort = two_cohorts["cohort"]
    thread = thread_of(learner)
    post, _ = conversations.add_post(learner, thread, "Bonjour le cercle", photo="a" * 32 + ".jpg")
    folder = Path(app.instance_path) / "uploads" / "community"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / post.photo).write_bytes(b"\xff\xd8\xff\xd9")
    # Voice notes on her circle post's neighbour and on her question: heard exactly by those who read them.
    voiced, _ = conversations.add_post(learner, thread, "", voice=StoredVoice("c" * 32 + ".ogg", 3, 2000))
    question, _ = conversations.ask_question(learner, course["market-stall"], "Quel prix ?",
                                             voice=StoredVoice("d" * 32 + ".ogg", 4, 2500))
    for name in (voiced.voice_note, question.voice_note):
        (folder / name).write_bytes(b"OggS" + bytes(1000))
    session = sessions.create_session(trainer, cohort, utcnow() + timedelta(hours=1), "Fixer ses prix")
    pairs = circles.make_week_pairs(trainer, cohort)
    mine = next(m for p in pairs for m in p.members if m.user_id == learner.id)
    directory.save_profile(learner, business_name="Mariam Couture", trade="Couture", town="Dakar")
    db.session.commit()
    return {"cohort": cohort.id, "circle_thread": thread.public_id, "post": post.public_id, "photo": post.photo,
            "cohort_thread": queries.cohort_thread(cohort.id).public_id, "question": question.thread.public_id,
            "voice": voiced.voice_note, "question_voice": question.voice_note,
            "session": session.id, "pair_member": mine.public_id, "learner": learner.id}


MEMBERS = {"learner", "mentor", "trainer", "admin"}
MANAGERS = {"trainer", "admin"}
SIGNED_IN = set(ROLES) - {"visitor"}

PAGES = {
    "/community": SIGNED_IN,
    "/community/circle": SIGNED_IN,
    "/community/whats-new": SIGNED_IN,
    "/community/directory": SIGNED_IN,
    "/community/directory/me": SIGNED_IN,
    "/community/threads/{circle_thread}": MEMBERS,
    "/community/threads/{cohort_thread}": MEMBERS,
    "/community/threads/{question}": MEMBERS,
    "/community/photos/{photo}": MEMBERS,
    "/community/voice-notes/{voice}": MEMBERS,
    "/community/voice-notes/{question_voice}": MEMBERS,
    "/community/cohorts/{cohort}/circles": MANAGERS,
    "/cohorts/{cohort}/sessions": MANAGERS,
    "/cohorts/{cohort}/sessions/{session}": MANAGERS,
    "/cohorts/{cohort}/attendance.csv": MANAGERS,
    "/check-in": SIGNED_IN,
}
POSTS = {
    "/community/threads/{circle_thread}": ({"body": "Salut"}, MEMBERS),
    "/community/threads/{cohort_thread}": ({"body": "Salut"}, MEMBERS),
    "/community/threads/{question}": ({"body": "Regarde le marché"}, MEMBERS),
    "/community/posts/{post}/report": ({"reason": "spam"}, MEMBERS),
    "/community/posts/{post}/hide": ({"reason": "hors sujet"}, {"mentor", "trainer", "admin"}),
    "/community/pairs/{pair_member}/talked": ({"learned": "Les prix"}, {"learner"}),
    "/community/cohorts/{cohort}/pairs": ({}, MANAGERS),
    "/community/cohorts/{cohort}/circles/move": ({"user_id": "{learner}", "circle_id": "0"}, MANAGERS),
    "/community/cohorts/{cohort}/circles/split": ({}, MANAGERS),
    "/cohorts/{cohort}/sessions/{session}": ({"present": "{learner}"}, MANAGERS),
    "/cohorts/{cohort}/sessions": ({"day": "2026-12-10", "time": "09:00", "topic": "Vendre en ligne"}, MANAGERS),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_which_page(app, world, role):
    client = as_user(app, USERS[role]) if role != "visitor" else app.test_client()
    for pattern, allowed in PAGES.items():
        url = pattern.format(**world)
        status = client.get(url).status_code
        if role == "visitor":
            assert status == 302, url
        elif role in allowed:
            assert status == 200, (role, url, status)
        else:
            assert status in (403, 404), (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_what(app, world, role):
    for pattern, (data, allowed) in POSTS.items():
        client = as_user(app, USERS[role]) if role != "visitor" else app.test_client()
        url = pattern.format(**world)
        status = client.submit(url, {k: v.format(**world) for k, v in data.items()}).status_code
        if role == "visitor":
            assert status == 302 and "/sign-in" in client.post(url).headers.get("Location", "/sign-in"), url
        elif role in allowed:
            assert status in (200, 302), (role, url, status)
        else:
            assert status in (403, 404), (role, url, status)


def test_nothing_of_one_cohort_reaches_the_members_of_the_other(app, world, two_cohorts):
    """Crawl every community page as members of the second cohort: no name or message of the first appears."""
    secrets = ["Bonjour le cercle", "Quel prix ?", "Mariam", "Fixer ses prix", "Aicha"]
    for username in ("binta", "coumba.m", "ramata", "ndeye"):
        client = as_user(app, username)
        for url in ("/", "/community", "/community/circle", "/community/whats-new", "/lessons/market-stall",
                    "/check-in"):
            html = client.get(url).get_data(as_text=True)
            for secret in secrets:
                assert secret not in html, (username, url, secret)
