"""Attacks through course images: a bomb in a course folder is refused at import with its file and line."""
from pathlib import Path

import pytest
from PIL import Image

from lms.catalogue.models import Lesson
from lms.extensions import db
from tests import course_tree

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


@pytest.fixture
def courses(tmp_path):
    return course_tree.native_tree(tmp_path / "courses")


def media_files(app):
    folder = Path(app.instance_path) / "media"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_decompression_bomb_in_a_course_is_refused_with_file_and_line(runner, courses, app):
    Image.new("1", (10_000, 10_000)).save(courses / "01-market" / "stall.png")  # ~12 KB, 400 MB decoded
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code != 0
    assert ("courses/01-market/01-stall.fr.md:15: error: image too large: stall.png has more than "
            "50 million pixels; make it smaller") in result.output
    assert "nothing was imported" in result.output
    assert "image not found" not in result.output  # one clear message, not two
    assert db.session.execute(db.select(Lesson)).first() is None
    assert media_files(app) == []


def test_a_bomb_in_a_carpentries_lesson_is_an_error_too(runner, tmp_path, app):
    root = course_tree.carpentries_tree(tmp_path)
    Image.new("P", (9_000, 9_000)).save(root / "episodes" / "fig" / "two.png")
    result = runner.invoke(args=["import-courses", str(root), "--check"])
    assert result.exit_code != 0
    assert "mini-carpentry/episodes/00-first.md:17: error: image too large: two.png" in result.output
    assert "image not found" not in result.output


def test_a_damaged_course_image_is_a_clear_error(runner, courses, app):
    image = courses / "01-market" / "stall.png"
    image.write_bytes(image.read_bytes()[:80])
    result = runner.invoke(args=["import-courses", str(courses)])
    assert "courses/01-market/01-stall.fr.md:15: error: damaged or incomplete image: stall.png" in result.output
    assert result.exit_code != 0 and media_files(app) == []


def test_a_reduced_image_is_never_heavier_than_its_original(runner, courses, app):
    # A photo saved in very low quality: re-encoded at 720 px in our quality, it would weigh more.
    Image.effect_noise((1000, 800), 60).convert("RGB").save(courses / "01-market" / "stall.jpg", quality=10)
    for name in ("01-stall.fr.md", "01-stall.en.md"):
        lesson = courses / "01-market" / name
        lesson.write_text(lesson.read_text().replace("stall.png", "stall.jpg"))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output
    html = db.session.execute(db.select(Lesson).filter_by(slug="market-stall")).scalar_one().text("fr")[0].html
    files = media_files(app)
    assert len(files) == 1 and files[0].endswith(".jpg")  # no copy: phones get the original itself
    stored = (Path(app.instance_path) / "media" / files[0]).read_bytes()
    assert stored == (courses / "01-market" / "stall.jpg").read_bytes()
    assert f'src="/media/{files[0]}" width="1000" height="800"' in html


def test_a_photo_in_a_course_gets_a_lighter_upright_copy_and_keeps_its_original(runner, courses, app):
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(courses / "01-market" / "stall.jpg", exif=exif)
    for name in ("01-stall.fr.md", "01-stall.en.md"):
        lesson = courses / "01-market" / name
        lesson.write_text(lesson.read_text().replace("stall.png", "stall.jpg"))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output
    media = Path(app.instance_path) / "media"
    small, = media.glob("*.720.jpg")
    original, = (p for p in media.glob("*.jpg") if ".720." not in p.name)
    assert Image.open(small).size == (720, 960) and not Image.open(small).getexif()
    assert small.stat().st_size < original.stat().st_size
    assert original.read_bytes() == (courses / "01-market" / "stall.jpg").read_bytes()
