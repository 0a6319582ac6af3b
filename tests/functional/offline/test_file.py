"""Take a path home as one file, then send the progress made in it back to the centre."""
import json
import re
import uuid
from datetime import timedelta

import pytest
from babel.dates import format_date
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from lms.core.database import utcnow
from lms.extensions import db
from lms.offline import build, tokens
from lms.progress.models import ProgressEvent, QuizAttempt
from tests import course_tree


@pytest.fixture(autouse=True)
def centre_address(app):
    """The address phones use for the centre (the browser test reaches it by its LAN name instead)."""
    app.config["SITE_URL"] = "http://lms.centre:8080"


def download(client, slug="market", **headers):
    return client.get(f"/offline/paths/{slug}/file", headers=headers)


def token_of(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def event(kind, lesson, **data):
    return {"id": str(uuid.uuid4()), "type": kind, "lesson": lesson, "at": utcnow().isoformat() + "Z", "data": data}


def send(app, token, events, language="en"):
    """Post as the file does: from file://, so with no session cookie and no CSRF token."""
    phone = app.test_client()
    return phone.post("/offline/progress", data={"token": token, "language": language, "events": json.dumps(events)})


def recorded(user, kind=None):
    query = db.select(db.func.count(ProgressEvent.id)).where(ProgressEvent.user_id == user.id)
    if kind:
        query = query.where(ProgressEvent.type == kind)
    return db.session.execute(query).scalar_one()


@pytest.fixture
def her_file(client, course, learner, sign_in):
    sign_in("mariam")
    return download(client).get_data(as_text=True)


def test_the_path_page_offers_the_file_with_its_size(client, course, learner, sign_in):
    assert "Download this path" not in client.get("/paths/market").get_data(as_text=True)  # a visitor has no file
    sign_in("mariam")
    page = client.get("/paths/market").get_data(as_text=True)
    link = re.search(r'<a class="button" href="(/offline/paths/market/file)" download>Download this path \((\d+) KB\)</a>',
                     page)
    assert link
    assert int(link.group(2)) == max(1, round(len(download(client).get_data()) / 1024))


def test_the_size_is_not_rebuilt_on_every_view_but_follows_the_catalogue(app, client, course, learner, sign_in,
                                                                          runner, tmp_path, monkeypatch):
    sign_in("mariam")
    builds = []
    real = build.build_file
    monkeypatch.setattr(build, "build_file", lambda *args, **kwargs: builds.append(1) or real(*args, **kwargs))
    for _ in range(3):
        client.get("/paths/market")
    assert len(builds) == 1
    client.get("/paths/market", headers={"Accept-Language": "fr"})
    client.get("/paths/market", headers={"Save-Data": "on"})
    assert len(builds) == 2  # her account says English: only save data makes another file
    course_tree.write(tmp_path / "courses" / "01-market" / "03-closing.fr.md",
                      course_tree.CLOSING_FR + "\nUn paragraphe de plus pour la caisse.\n")
    assert runner.invoke(args=["import-courses", str(tmp_path / "courses")]).exit_code == 0
    client.get("/paths/market")
    assert len(builds) == 3


def test_the_file_is_named_after_the_path_and_made_for_her(client, course, learner, sign_in):
    assert download(client).status_code == 302  # signed out: to the sign-in page
    sign_in("mariam")
    response = download(client)
    assert response.status_code == 200
    today = utcnow().date()
    assert response.headers["Content-Disposition"] == f"attachment; filename=market-en-{today.isoformat()}.html"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert f"Made for Mariam Camara on {today.strftime('%B')} {today.day}, {today.year}." in html
    assert "<h1>Selling at the market</h1>" in html
    assert "Your stall" in html and "Les prix" in html  # a lesson only in French falls back to French
    assert "This lesson is not available in English yet; here it is in Français." in html
    assert '<form method="post" action="http://lms.centre:8080/offline/progress" class="send-form">' in html


def test_a_french_reader_gets_french_lessons_and_dates(client, course, learner, sign_in):
    sign_in("mariam")
    client.submit("/account", {"display_name": "Mariam Camara", "locale": "fr"})
    html = download(client).get_data(as_text=True)
    assert '<html lang="fr">' in html and "<h1>Vendre au marché</h1>" in html and "Votre étal" in html
    assert "Vérifiez vos acquis" in html and "Vérifier mes réponses" in html
    today = utcnow().date()
    assert "Mariam Camara" in html and format_date(today, "long", locale="fr") in html


def test_the_file_asks_nothing_of_any_server_when_opened(her_file):
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', her_file).group(1)
    assert csp == ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                   "form-action http://lms.centre:8080")
    assert her_file.index("Content-Security-Policy") < her_file.index("<style>")
    outside = re.findall(r'(?:src|href|action|srcset)\s*=\s*"((?:https?:)?//[^"]*)"', her_file)
    assert outside == ["http://lms.centre:8080/offline/progress"]
    assert not re.search(r'(?:src|href)="/', her_file)  # nothing relative to a server either
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="A mango stall"', her_file)
    assert '<a href="#lesson-market-prices">prices</a>' in her_file  # a link to a lesson of the path stays inside


def test_with_save_data_the_images_are_left_out(client, course, learner, sign_in):
    sign_in("mariam")
    html = download(client, **{"Save-Data": "on"}).get_data(as_text=True)
    assert "data:image" not in html and "<img" not in html
    assert "Image left out to save data. A mango stall" in html
    assert len(html) < len(download(client).get_data(as_text=True))


def test_sending_twice_records_once(app, her_file, learner, course):
    token = token_of(her_file)
    done = event("lesson_completed", "market-closing")
    check = event("quiz_answered", "market-prices", answers={"q1": ["a1", "a2"]}, language="fr")
    first = send(app, token, [done, check])
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "1 lesson completed" in page and "Fermer l&#39;étal" in page
    assert "1 knowledge check graded" in page and "Les prix: 100% right — Passed." in page
    assert "2 of 3 lessons completed" in page
    again = send(app, token, [done, check]).get_data(as_text=True)
    assert "2 steps were already recorded: each counts once." in again
    assert "lesson completed" not in again.split("<h1>")[1].split("<p class=\"already\">")[0]
    assert recorded(learner) == 2
    assert db.session.execute(db.select(db.func.count(QuizAttempt.event_id))).scalar_one() == 1


def test_a_check_is_graded_by_the_server_whatever_the_file_says(app, her_file, learner, course):
    page = send(app, token_of(her_file), [event("quiz_answered", "market-prices", answers={"q1": ["a1"]},
                                                language="fr", score=100, passed=True)]).get_data(as_text=True)
    assert "Les prix: 0% right — Not passed yet." in page


def test_lessons_of_another_path_are_refused(app, her_file, learner, course, runner, tmp_path):
    assert runner.invoke(args=["import-courses", str(course_tree.plain_tree(tmp_path / "more"))]).exit_code == 0
    other = db.session.execute(db.select(build.catalogue.Lesson.slug)
                               .where(build.catalogue.Lesson.path_id != course["market-stall"].path_id)).scalars().first()
    response = send(app, token_of(her_file), [event("lesson_completed", other), event("lesson_completed", "market-closing"),
                                              event("lesson_opened", "market-stall")])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 steps refused" in page
    assert f"{other} — this lesson is not part of the path of this file" in page
    assert "Your stall — this file does not record such a step" in page
    assert "1 lesson completed" in page
    assert recorded(learner) == 1


def test_another_learners_event_ids_cannot_be_taken_over(app, her_file, learner, trainer, course):
    theirs = event("lesson_completed", "market-closing")
    fatou = tokens.issue_token(trainer, course["market-closing"].path, list(course.values()))
    send(app, fatou, [theirs])
    page = send(app, token_of(her_file), [theirs]).get_data(as_text=True)
    assert "1 step refused" in page and recorded(learner) == 0


@pytest.mark.parametrize("spoil, status, message", [
    (lambda app, token, user: token[:-3] + "abc", 400, "it was changed, or it was made by another site"),
    (lambda app, token, user: URLSafeTimedSerializer("another site", salt=tokens.SALT).dumps(
        URLSafeTimedSerializer(app.secret_key, salt=tokens.SALT).loads(token)), 400, "made by another site"),
    (lambda app, token, user: "", 400, "made by another site"),
    (lambda app, token, user: expired(app, token), 403, "This file is too old to send progress."),
    (lambda app, token, user: revoked(user, token), 403, "signed out of all your devices or changed your password"),
    (lambda app, token, user: closed(user, token), 403, "This account is closed"),
])
def test_a_token_that_gives_no_right_gets_a_clear_page(app, her_file, learner, spoil, status, message):
    response = send(app, spoil(app, token_of(her_file), learner), [event("lesson_completed", "market-closing")])
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "<h1>Progress not sent</h1>" in page and message in page
    assert "Nothing was recorded." in page
    assert recorded(learner) == 0


def expired(app, token):
    payload = URLSafeTimedSerializer(app.secret_key, salt=tokens.SALT).loads(token)
    serializer = URLSafeTimedSerializer(app.secret_key, salt=tokens.SALT)
    old = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: old(self) - 61 * 86400
    try:
        return serializer.dumps(payload)
    finally:
        TimestampSigner.get_timestamp = old


def revoked(user, token):
    user.sessions_revoked_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    return token


def closed(user, token):
    user.active = False
    db.session.commit()
    return token


def test_the_refusal_is_in_the_language_of_the_file(app, her_file):
    page = send(app, "spoilt", [], language="fr").get_data(as_text=True)
    assert '<html lang="fr">' in page and ">Parcours</a>" in page


@pytest.mark.parametrize("events, status", [
    ("not json", 400),
    (json.dumps({"events": []}), 400),
    (json.dumps([{}] * 1001), 413),
])
def test_progress_that_cannot_be_read_gets_a_clear_page(app, her_file, events, status):
    response = app.test_client().post("/offline/progress", data={"token": token_of(her_file), "events": events})
    assert response.status_code == status
    assert "<h1>Progress not sent</h1>" in response.get_data(as_text=True)


def test_the_body_is_bounded(app, her_file, learner):
    padding = "x" * (600 * 1024)
    response = app.test_client().post("/offline/progress", data={"token": token_of(her_file), "events": "[]",
                                                                 "padding": padding})
    assert response.status_code == 413
    assert "Too much progress to send at once." in response.get_data(as_text=True)


def test_nothing_sent_says_so(app, her_file):
    assert "Nothing to record: this file sent no progress." in send(app, token_of(her_file), []).get_data(as_text=True)


def test_the_endpoint_needs_no_csrf_token_but_no_cookie_gives_a_right_either(app, client, course, learner, sign_in):
    sign_in("mariam")  # her session cookie alone is not the authority
    response = client.post("/offline/progress", data={"events": json.dumps([event("lesson_completed", "market-closing")])})
    assert response.status_code == 400
    assert recorded(learner) == 0
