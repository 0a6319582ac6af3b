"""Voice notes: she speaks her practical work, her mentor answers aloud; what is not a voice note is refused."""
import io
import re
from pathlib import Path

import pytest

from lms.extensions import db
from lms.mentoring.models import Review, Submission
from tests.audio_samples import tone


def send_work(client, voice, name="note.m4a", text=None):
    data = {"voice_note": (io.BytesIO(voice), name)}
    if text:
        data["text"] = text
    return client.submit("/lessons/market-stall/work", data, content_type="multipart/form-data",
                         follow_redirects=True)


def stored(app):
    folder = Path(app.instance_path) / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_she_sends_her_work_as_a_voice_note_and_hears_it_on_the_lesson(app, client, cohort, sign_in):
    sign_in("mariam")
    page = send_work(client, tone("m4a", seconds=5)).get_data(as_text=True)
    assert "Your work is sent to Awa Koné." in page
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert submission.voice_seconds == 5 and 0 < submission.voice_bytes < 20_000
    assert stored(app) == [submission.voice_note]
    assert f'<audio controls preload="none" src="/voice-notes/{submission.voice_note}"' in page
    assert "Voice note, 0:05," in page
    played = client.get(f"/voice-notes/{submission.voice_note}")
    assert played.status_code == 200 and played.mimetype == "audio/ogg" and played.data[:4] == b"OggS"
    assert "private" in played.headers["Cache-Control"]


def test_her_mentor_hears_her_voice_note_on_her_mentee_page(app, client, cohort, sign_in):
    sign_in("mariam")
    send_work(client, tone("wav", seconds=2), name="note.wav")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit("/sign-out")
    sign_in("awa")
    page = client.get(f"/mentoring/mentees/{submission.user_id}").get_data(as_text=True)
    assert f'<audio controls preload="none" src="/voice-notes/{submission.voice_note}"' in page
    assert "Voice note, 0:02," in page


def test_the_form_offers_the_phones_recorder(client, cohort, sign_in):
    client.submit("/sign-out")
    sign_in("mariam")
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    field = re.search(r'<input [^>]*name="voice_note"[^>]*>', page).group(0)
    assert 'type="file"' in field and 'accept="audio/*"' in field and " capture " in field


@pytest.mark.parametrize("data, name, said", [
    (b"Bonjour, ceci n'est pas un son.", "note.m4a", "This file is not a voice note we can play."),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "note.mp3", "This file is not a voice note we can play."),
    (None, "note.m4a", "This voice note arrived damaged or incomplete. Send it again."),
])
def test_what_is_not_a_voice_note_is_refused_beside_its_field_and_nothing_is_kept(app, client, cohort, sign_in,
                                                                                  data, name, said):
    if data is None:
        data = tone("wav", seconds=3)[:200]  # the start of a recording, cut off
    sign_in("mariam")
    response = send_work(client, data, name=name, text="Mon étal.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and said in page
    assert 'id="voice_note-error"' in page and "Mon étal." in page  # her text is kept
    assert db.session.execute(db.select(Submission)).first() is None and stored(app) == []


def test_a_voice_note_over_three_minutes_is_refused(app, client, cohort, sign_in):
    sign_in("mariam")
    response = send_work(client, tone("wav", seconds=185), name="long.wav")
    assert "This voice note is too long (3 minutes at most). Record a shorter one." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Submission)).first() is None and stored(app) == []


def test_her_mentor_asks_for_changes_by_voice_and_she_hears_it(app, client, cohort, sign_in):
    sign_in("mariam")
    send_work(client, b"", name="", text="Mon étal.")  # no file chosen: no voice note, the text is enough
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert submission.voice_note is None and stored(app) == []

    client.submit("/sign-out")
    sign_in("awa")
    page = client.get(f"/mentoring/submissions/{submission.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="audio/*"' in re.search(r'<input [^>]*name="voice_note"[^>]*>', page).group(0)
    client.submit(f"/mentoring/submissions/{submission.id}",
                  {"decision": "changes_requested", "feedback": "",
                   "voice_note": (io.BytesIO(tone("ogg", seconds=4)), "reponse.ogg")},
                  content_type="multipart/form-data")
    review = db.session.execute(db.select(Review)).scalar_one()
    assert review.decision == "changes_requested" and review.voice_seconds == 4

    client.submit("/sign-out")
    sign_in("mariam")
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert f'src="/voice-notes/{review.voice_note}"' in page and "Voice note, 0:04," in page
    assert client.get(f"/voice-notes/{review.voice_note}").status_code == 200


def test_a_review_with_a_broken_voice_note_is_not_recorded(app, client, cohort, sign_in):
    sign_in("mariam")
    send_work(client, b"", name="", text="Mon étal.")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit("/sign-out")
    sign_in("awa")
    response = client.submit(f"/mentoring/submissions/{submission.id}",
                             {"decision": "approved", "feedback": "Bravo",
                              "voice_note": (io.BytesIO(b"not a sound"), "bravo.m4a")},
                             content_type="multipart/form-data")
    assert "This file is not a voice note we can play." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Review)).first() is None and stored(app) == []
    assert db.session.get(Submission, submission.id).status == "submitted"


def test_a_guessed_name_plays_nothing(client, cohort, sign_in):
    sign_in("mariam")
    assert client.get("/voice-notes/" + "0" * 32 + ".ogg").status_code == 404
    assert client.get("/voice-notes/../lms.sqlite3").status_code == 404
