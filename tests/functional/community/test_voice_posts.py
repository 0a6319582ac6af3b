"""Voice notes in conversations: she speaks in her circle or asks a lesson's question aloud, with or without
JavaScript or network, and only those who read the post can hear it."""
import io
import re
import uuid
from pathlib import Path

import pytest

from lms.community import conversations
from lms.community.models import Post
from lms.extensions import db
from tests.audio_samples import tone
from tests.functional.community.conftest import thread_of
from tests.functional.community.test_matrix import as_user


def kept(app):
    folder = Path(app.instance_path) / "uploads" / "community"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def speak(client, url, voice, name="note.m4a", **fields):
    data = {"voice_note": (io.BytesIO(voice), name), **fields}
    return client.submit(url, data, content_type="multipart/form-data")


def test_she_speaks_in_her_circle_without_typing_and_her_circle_hears_it(app, client, sign_in, two_cohorts,
                                                                         learner):
    thread = thread_of(learner)
    sign_in("mariam")
    form = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    field = re.search(r'<input [^>]*name="voice_note"[^>]*>', form).group(0)
    assert 'type="file"' in field and 'accept="audio/*"' in field and " capture" in field
    assert speak(client, f"/community/threads/{thread.public_id}", tone("m4a", seconds=4)).status_code == 302
    post = db.session.execute(db.select(Post)).scalar_one()
    assert post.body == "" and post.voice_seconds == 4 and 0 < post.voice_bytes < 20_000
    assert kept(app) == [post.voice_note]

    aicha = as_user(app, "aicha")  # in Mariam's circle
    page = aicha.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert f'<audio controls preload="none" src="/community/voice-notes/{post.voice_note}"' in page
    assert "Voice note, 0:04," in page
    played = aicha.get(f"/community/voice-notes/{post.voice_note}")
    assert played.status_code == 200 and played.mimetype == "audio/ogg" and played.data[:4] == b"OggS"
    assert "private" in played.headers["Cache-Control"]


def test_she_asks_a_question_on_a_lesson_aloud(app, client, sign_in, two_cohorts, learner, course):
    sign_in("mariam")
    lesson = client.get("/lessons/market-stall").get_data(as_text=True)
    assert re.search(r'<input [^>]*name="voice_note"[^>]*>', lesson[lesson.index('id="questions"'):])
    # Beside the practical work's own voice note field: each field keeps its own id and label.
    assert lesson.count('id="voice_note"') == 1 and lesson.count('id="question_voice_note"') == 1
    post_id = str(uuid.uuid4())
    response = speak(client, "/community/lessons/market-stall/questions", tone("ogg", seconds=3), "q.ogg",
                     post_id=post_id, body="")
    assert response.status_code == 302
    post = conversations.get_post(post_id)
    assert post.thread.kind == "question" and post.voice_seconds == 3
    assert "A question asked aloud" in as_user(app, "aicha").get("/lessons/market-stall").get_data(as_text=True)
    assert as_user(app, "awa").get(f"/community/voice-notes/{post.voice_note}").status_code == 200
    # The same form sent again (a double tap) is one question, and its second copy of the sound is not kept.
    speak(client, "/community/lessons/market-stall/questions", tone("ogg", seconds=3), "q.ogg", post_id=post_id)
    assert db.session.execute(db.select(db.func.count(Post.id))).scalar() == 1 and kept(app) == [post.voice_note]


def test_what_is_not_a_voice_note_is_refused_beside_its_field_and_her_text_is_kept(app, client, sign_in,
                                                                                    two_cohorts, learner):
    thread = thread_of(learner)
    sign_in("mariam")
    response = speak(client, f"/community/threads/{thread.public_id}", b"Bonjour, pas un son", body="Mon texte")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "This file is not a voice note we can play." in page
    assert 'id="voice_note-error"' in page and "Mon texte" in page
    too_long = speak(client, f"/community/threads/{thread.public_id}", tone("wav", seconds=185), "long.wav")
    assert "This voice note is too long (3 minutes at most)." in too_long.get_data(as_text=True)
    nothing = client.submit(f"/community/threads/{thread.public_id}", {"body": " "})
    assert nothing.status_code == 400 and "Write something first." in nothing.get_data(as_text=True)
    assert db.session.execute(db.select(Post)).first() is None and kept(app) == []


def test_a_hidden_posts_voice_note_is_heard_by_its_author_and_the_moderators_only(app, sign_in, two_cohorts,
                                                                                  learner):
    thread = thread_of(learner)
    mariam = as_user(app, "mariam")
    speak(mariam, f"/community/threads/{thread.public_id}", tone("wav", seconds=2), "n.wav")
    post = db.session.execute(db.select(Post)).scalar_one()
    url = f"/community/voice-notes/{post.voice_note}"
    assert as_user(app, "awa").submit(f"/community/posts/{post.public_id}/hide", {"reason": "Hors sujet"}) \
        .status_code == 302
    assert mariam.get(url).status_code == 200 and as_user(app, "awa").get(url).status_code == 200
    assert as_user(app, "aicha").get(url).status_code == 404  # her circle no longer hears it
    assert as_user(app, "binta").get(url).status_code == 404  # another cohort never did
    assert app.test_client().get(url).status_code == 302  # signed out: sign in first


def send_voice(client, voice, token=True, **fields):
    headers = {"X-CSRFToken": client.csrf_token()} if token else {}
    return client.post("/api/v1/posts/voice", data={"voice_note": (io.BytesIO(voice), "voice-note.webm"), **fields},
                       content_type="multipart/form-data", headers=headers)


def test_the_offline_queue_sends_a_voice_post_once(app, client, sign_in, two_cohorts, learner, course):
    thread = thread_of(learner)
    sign_in("mariam")
    item = {"id": str(uuid.uuid4()), "thread": thread.public_id, "body": "Écouté au marché",
            "at": "2026-11-30T10:00:00Z"}
    first = send_voice(client, tone("webm", seconds=3), **item).get_json()
    again = send_voice(client, tone("webm", seconds=3), **item).get_json()
    assert first["accepted"] == [item["id"]] and again["duplicates"] == [item["id"]]
    post = conversations.get_post(item["id"])
    assert post.body == "Écouté au marché" and post.voice_seconds == 3 and kept(app) == [post.voice_note]
    question = {"id": str(uuid.uuid4()), "lesson": "market-stall"}
    assert send_voice(client, tone("webm", seconds=2), **question).get_json()["accepted"] == [question["id"]]
    assert conversations.get_post(question["id"]).thread.kind == "question"


def test_the_voice_api_refuses_each_bad_post_and_keeps_nothing(app, client, sign_in, two_cohorts, learner):
    mine, theirs = thread_of(learner), thread_of(two_cohorts["others"][0])
    assert send_voice(app.test_client(), tone("wav", seconds=1), token=False, id=str(uuid.uuid4()),
                      thread=mine.public_id).status_code == 401
    sign_in("mariam")
    assert send_voice(client, tone("wav", seconds=1), token=False, id=str(uuid.uuid4()),
                      thread=mine.public_id).status_code == 400  # no CSRF header
    cases = [({"id": "not-a-uuid", "thread": mine.public_id}, tone("wav", seconds=1), "bad_id"),
             ({"id": str(uuid.uuid4()), "thread": theirs.public_id}, tone("wav", seconds=1), "not_found"),
             ({"id": str(uuid.uuid4()), "thread": mine.public_id}, b"not a sound", "not_audio")]
    for fields, voice, said in cases:
        assert send_voice(client, voice, **fields).get_json()["rejected"] == [{"id": fields["id"], "error": said}]
    no_file = client.post("/api/v1/posts/voice", data={"id": str(uuid.uuid4()), "thread": mine.public_id},
                          headers={"X-CSRFToken": client.csrf_token()})
    assert no_file.status_code == 400
    assert db.session.execute(db.select(Post)).first() is None and kept(app) == []


def test_a_voice_note_for_a_thread_she_cannot_see_is_refused_before_any_transcode(app, client, sign_in, two_cohorts,
                                                                                  learner, monkeypatch):
    """Transcoding costs the 2 GB board seconds of CPU: an outsider's upload must not buy any."""
    from lms.media import voice_notes

    theirs = thread_of(two_cohorts["others"][0])
    monkeypatch.setattr(voice_notes, "save_voice_note", lambda *args: pytest.fail("transcoded for an outsider"))
    sign_in("mariam")
    item = {"id": str(uuid.uuid4()), "thread": theirs.public_id}
    assert send_voice(client, tone("wav", seconds=1), **item).get_json()["rejected"] == [
        {"id": item["id"], "error": "not_found"}]
    assert kept(app) == []
