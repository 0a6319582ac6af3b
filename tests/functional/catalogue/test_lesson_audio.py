"""A lesson read aloud by its trainer: the course names a recording, the import checks it and keeps a compact copy,
the lesson plays it; a recording that is missing, not sound, too long or outside the folder is an error at its line."""
import re
from pathlib import Path

import pytest

from lms.catalogue import media
from lms.catalogue.models import Lesson, LessonText
from lms.extensions import db
from tests import course_tree, factories
from tests.audio_samples import tone


@pytest.fixture
def courses(tmp_path):
    return course_tree.native_tree(tmp_path / "courses")


def with_audio(courses, name="01-stall.fr.m4a", header="audio: 01-stall.fr.m4a", data=None, kind="m4a"):
    """Name a recording in the French lesson's header (its line 3) and put it beside the lesson."""
    lesson = courses / "01-market" / "01-stall.fr.md"
    lesson.write_text(lesson.read_text().replace("---\nid: market-stall\n", f"---\nid: market-stall\n{header}\n", 1))
    if name:
        (courses / "01-market" / name).write_bytes(tone(kind, seconds=4) if data is None else data)
    return lesson


def media_files(app):
    folder = Path(app.instance_path) / "media"
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".ogg") if folder.exists() else []


def text_of(language):
    return db.session.execute(db.select(LessonText).join(Lesson).where(
        Lesson.slug == "market-stall", LessonText.language == language)).scalar_one()


def test_the_lesson_plays_its_trainers_reading_with_its_length_and_size(runner, client, courses, app, admin):
    with_audio(courses)
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output
    audio = text_of("fr").audio
    assert audio["seconds"] == 4 and 0 < audio["bytes"] < 20_000 and text_of("en").audio is None
    assert media_files(app) == [audio["url"].removeprefix("/media/")]
    page = client.get("/lessons/market-stall?lang=fr").get_data(as_text=True)
    assert f'<audio controls preload="none" src="{audio["url"]}"' in page
    assert f"The lesson read aloud, 0:04, {(audio['bytes'] + 1023) // 1024} KB" in page
    assert "<audio" not in client.get("/lessons/market-stall?lang=en").get_data(as_text=True)
    played = client.get(audio["url"])
    assert played.status_code == 200 and played.mimetype in ("audio/ogg", "application/ogg")
    assert played.data[:4] == b"OggS" and b"Mariam" not in played.data  # the phone's tags stay behind

    again = runner.invoke(args=["import-courses", str(courses)])
    assert again.exit_code == 0 and text_of("fr").audio == audio  # unchanged: not converted again


@pytest.mark.parametrize("name, header, data, said", [
    (None, "audio: lecture.m4a", None, "file not found: lecture.m4a"),
    ("01-stall.fr.m4a", "audio: 01-stall.fr.m4a", b"pas un son", "not a recording we can play: 01-stall.fr.m4a"),
    ("notes.txt", "audio: notes.txt", b"ID3 mais texte", "not a recording we can play: notes.txt"),
    (None, "audio: ../../outside.m4a", None, "leads outside the course folder"),
    (None, "audio: [une, liste]", None, "'audio' names 2 recordings, but the lesson reads in 1 steps"),
    (None, "audio: []", None, "'audio' must name a recording beside the lesson"),
    (None, "audio: [01-stall.fr.m4a, 7]", None, "or one a step: 'audio: [03-intro.fr.m4a, 03-prices.fr.m4a]'"),
    (None, 'audio: "lecture\\0.m4a"', None, "'lecture\\x00.m4a' holds a NUL character: no file has such a name"),
])
def test_a_bad_recording_is_an_error_at_its_line_and_nothing_is_imported(runner, courses, app, name, header, data,
                                                                         said):
    (courses.parent.parent / "outside.m4a").write_bytes(tone("m4a", seconds=1))
    with_audio(courses, name=name, header=header, data=data)
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code != 0
    assert "courses/01-market/01-stall.fr.md:3: error: " in result.output and said in result.output
    assert db.session.execute(db.select(Lesson)).first() is None and media_files(app) == []


def test_a_recording_too_long_is_refused(runner, courses, app, monkeypatch):
    monkeypatch.setattr(media, "AUDIO_MAX_SECONDS", 2)  # half an hour of sound is too slow to make in a test
    with_audio(courses, kind="wav", name="01-stall.fr.wav", header="audio: 01-stall.fr.wav")
    result = runner.invoke(args=["import-courses", str(courses), "--check"])
    assert ("courses/01-market/01-stall.fr.md:3: error: recording too long: 01-stall.fr.wav lasts more than "
            "0 minutes; cut it in parts") in result.output
    assert media_files(app) == []


def recorded_in_steps(courses, seconds):
    """The long French lesson (four steps: its introduction, then three sections), one recording a step."""
    from tests.functional.catalogue.test_lesson_steps import SENTENCE_FR, long_lesson

    folder = courses / "01-market"
    names = [f"04-selling-{number}.fr.m4a" for number in range(1, len(seconds) + 1)]
    text = long_lesson("fr", ["Le cahier", "Le tableau", "Le bilan"], SENTENCE_FR)
    course_tree.write(folder / "04-selling.fr.md", text.replace(
        "id: market-selling\n", f"id: market-selling\naudio: [{', '.join(names)}]\n", 1))
    for name, length in zip(names, seconds):
        (folder / name).write_bytes(tone("m4a", seconds=length))


def test_a_lesson_recorded_a_step_at_a_time_plays_each_steps_recording_on_that_step(runner, client, courses, admin):
    recorded_in_steps(courses, [1, 2, 3, 4])
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output
    audio = db.session.execute(db.select(LessonText.audio).join(Lesson).where(
        Lesson.slug == "market-selling")).scalar_one()
    steps = audio["steps"]
    assert [step["seconds"] for step in steps] == [1, 2, 3, 4] and audio["seconds"] == 10
    assert audio["bytes"] == sum(step["bytes"] for step in steps)

    def page(step):
        return client.get(f"/lessons/market-selling?lang=fr&step={step}", follow_redirects=True).get_data(as_text=True)

    third = page(3)
    assert "Step 3 of 4" in third and f'src="{steps[2]["url"]}"' in third
    assert "This step read aloud, 0:03," in third
    assert all(f'src="{step["url"]}"' not in third for index, step in enumerate(steps) if index != 2)
    first = page(1)
    assert f'src="{steps[0]["url"]}"' in first and "This step read aloud, 0:01," in first
    whole = page("all")  # the whole lesson on one page: every step's recording, each named
    assert [f'src="{step["url"]}"' in whole for step in steps] == [True] * 4
    assert 'aria-label="Step 2 read aloud"' in whole and "Step 4 read aloud, 0:04," in whole

    listing = client.get("/offline/paths/market").get_json()  # "Save this path" keeps every step's recording
    assert set(url for url in listing["audio"]) >= {step["url"] for step in steps}
    path_page = client.get("/paths/market").get_data(as_text=True)
    assert "1 lesson can be heard read aloud" in path_page  # one lesson, however many recordings


def test_the_file_for_her_phone_carries_every_steps_recording(runner, client, courses, app, admin, sign_in):
    recorded_in_steps(courses, [1, 1, 1, 1])
    assert runner.invoke(args=["import-courses", str(courses)]).exit_code == 0
    app.config["SITE_URL"] = "http://lms.centre:8080"
    factories.user("fatou", locale="fr")
    sign_in("fatou")
    inside = client.get("/offline/paths/market/file?audio=on").get_data(as_text=True)
    assert len(re.findall(r'<audio controls preload="none" src="data:audio/ogg;base64,', inside)) == 4
    assert 'aria-label="Étape 3 lue à voix haute"' in inside and "audio-left-out" not in inside


def test_recordings_that_do_not_match_the_steps_are_an_error_that_names_the_steps(runner, courses, app):
    recorded_in_steps(courses, [1, 2, 3])
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code != 0
    assert ("courses/01-market/04-selling.fr.md:3: error: 'audio' names 3 recordings, but the lesson reads in 4 "
            "steps ((introduction); Le cahier; Le tableau; Le bilan): one recording a step, in their order") \
        in result.output
    assert db.session.execute(db.select(Lesson)).first() is None and media_files(app) == []
