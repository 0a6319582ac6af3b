"""A path whose lessons are read aloud: before saving it or taking it home as a file, she sees what the recordings
weigh and chooses whether to take them; with save data they are not offered ticked."""
import base64
import json
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from lms.accounts import services as accounts
from lms.catalogue.models import Lesson, LessonText
from lms.extensions import db
from lms.offline import build, hooks
from tests import course_tree, factories
from tests.audio_samples import tone

FRENCH = {"Accept-Language": "fr"}


def read_aloud(lesson, seconds):
    """Name a recording in this lesson's header and put it beside the lesson."""
    name = lesson.name.replace(".md", ".m4a")
    lesson.write_text(re.sub(r"^---\nid: ([\w-]+)\n", rf"---\nid: \1\naudio: {name}\n", lesson.read_text(), count=1))
    (lesson.parent / name).write_bytes(tone("m4a", seconds=seconds))


@pytest.fixture
def course(runner, tmp_path, admin):
    """The market path: its stall lesson read aloud in French, its prices lesson (French only) read aloud too."""
    courses = course_tree.native_tree(tmp_path / "courses")
    read_aloud(courses / "01-market" / "01-stall.fr.md", 4)
    read_aloud(courses / "01-market" / "02-prices.fr.md", 3)
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def fatou(app, admin):
    """A learner who reads in French: both lessons are read aloud for her."""
    return factories.user("fatou", locale="fr", display_name="Fatou Ndiaye")


def french_size(app, size):
    with app.test_request_context(), force_locale("fr"):
        return hooks.size_label(size)


def recording(slug, language="fr"):
    return db.session.execute(db.select(LessonText.audio).join(Lesson).where(
        Lesson.slug == slug, LessonText.language == language)).scalar_one()


def heading(page):
    return re.search(r"<h1[^>]*>", page).group(0)


def attribute(tag, name):
    found = re.search(rf'{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def test_the_path_page_says_what_the_recordings_weigh_without_a_script(client, course, app):
    stall, prices = recording("market-stall"), recording("market-prices")
    total = stall["bytes"] + prices["bytes"]
    page = client.get("/paths/market", headers=FRENCH).get_data(as_text=True)
    assert french_size(app, total) in re.search(r'<p class="path-audio">(.*?)</p>', page).group(1)

    english = client.get("/paths/market", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # In English the stall lesson has no recording; the prices lesson is read in French, as its page shows it.
    kilobytes = round(prices["bytes"] / 1024)
    assert f"1 lesson can be heard read aloud: {kilobytes} KB of recordings." in english


def test_the_save_button_reads_the_recordings_and_their_size_from_the_page(client, course, app):
    stall, prices = recording("market-stall"), recording("market-prices")
    tag = heading(client.get("/paths/market", headers=FRENCH).get_data(as_text=True))
    assert attribute(tag, "data-offline") == "/offline/paths/market"
    assert attribute(tag, "data-audio").split() == [stall["url"], prices["url"]]
    assert int(attribute(tag, "data-audio-bytes")) == stall["bytes"] + prices["bytes"]
    assert attribute(tag, "data-audio-size") == french_size(app, stall["bytes"] + prices["bytes"])
    assert attribute(tag, "data-audio-default") == "on"

    listing = client.get("/offline/paths/market", headers=FRENCH).get_json()
    assert listing["audio"] == [stall["url"], prices["url"]]
    assert listing["audio_bytes"] == stall["bytes"] + prices["bytes"]
    for url in listing["audio"]:
        assert client.get(url).data[:4] == b"OggS"


def test_with_save_data_the_recordings_are_offered_unticked(client, course, learner, sign_in):
    tag = heading(client.get("/paths/market", headers={"Save-Data": "on"}).get_data(as_text=True))
    assert attribute(tag, "data-audio-default") == "off"
    accounts.update_profile(learner, save_data=True)  # her own choice on "My account"
    db.session.commit()
    sign_in("mariam")
    assert attribute(heading(client.get("/paths/market").get_data(as_text=True)), "data-audio-default") == "off"


def test_a_path_without_recordings_offers_none(client, runner, tmp_path, admin):
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
    page = client.get("/paths/market").get_data(as_text=True)
    assert "data-audio" not in heading(page) and "path-audio" not in page
    assert client.get("/offline/paths/market").get_json()["audio"] == []


def test_sizes_are_written_the_way_her_language_writes_numbers(app):
    with app.test_request_context():
        with force_locale("fr"):
            french = hooks.size_label(4_404_019)
        with force_locale("en"):
            english = hooks.size_label(4_404_019)
    assert "4,2" in french and "4.2 MB" == english


def test_the_file_for_her_phone_comes_with_or_without_the_recordings(client, course, fatou, sign_in, app):
    app.config["SITE_URL"] = "http://lms.centre:8080"
    stall = recording("market-stall")
    sign_in("fatou")
    page = client.get("/paths/market").get_data(as_text=True)
    plain = re.search(r'href="(/offline/paths/market/file)" download>', page)
    with_audio = re.search(r'href="(/offline/paths/market/file\?audio=on)" download>([^<]+)</a>', page)
    assert plain and with_audio

    without = client.get(plain.group(1)).get_data(as_text=True)
    assert "data:audio" not in without and "<audio" not in without
    assert without.count('class="muted audio-left-out"') == 2

    response = client.get(with_audio.group(1))
    assert re.search(r'filename=.*-audio\.html', response.headers["Content-Disposition"])
    inside = response.get_data(as_text=True)
    assert "media-src data:;" in inside and "audio-left-out" not in inside
    sources = re.findall(r'<audio controls preload="none" src="data:audio/ogg;base64,([^"]+)"', inside)
    kept = (Path(app.instance_path) / "media" / stall["url"].removeprefix("/media/")).read_bytes()
    assert len(sources) == 2 and kept in [base64.b64decode(s) for s in sources]
    # The size offered on the link is the file's, give or take the rounding of the label.
    offered = int(re.search(r"\((\d+) K[Bo]\)", with_audio.group(2)).group(1))
    assert abs(offered - len(response.data) / 1024) < 3


def test_a_visitor_gets_no_file_with_or_without_recordings(client, course):
    response = client.get("/offline/paths/market/file?audio=on")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert "audio=on" not in client.get("/paths/market", headers=FRENCH).get_data(as_text=True)


def test_recordings_too_heavy_for_one_file_stay_out_of_it(client, course, fatou, sign_in, app, monkeypatch):
    app.config["SITE_URL"] = "http://lms.centre:8080"
    monkeypatch.setattr(build, "MAX_AUDIO_BYTES", recording("market-stall")["bytes"])
    sign_in("fatou")
    page = client.get("/paths/market").get_data(as_text=True)
    assert "audio=on" not in page  # not offered: both recordings do not fit
    inside = client.get("/offline/paths/market/file?audio=on").get_data(as_text=True)
    assert inside.count("data:audio/ogg") == 1 and inside.count("audio-left-out") == 1


def test_the_lesson_pages_scripts_are_kept_for_offline(client, course):
    script = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.match(r"self\.LMS = (\{.*\});", script).group(1))["shell"]
    for name in ("recorder", "community", "listen", "app"):
        assert any(re.fullmatch(rf"/static/js/{name}\.[0-9a-f]{{10}}\.js", url) for url in shell), name
