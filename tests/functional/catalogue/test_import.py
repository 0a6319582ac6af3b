"""`lms import-courses`: validate everything, then apply it in one transaction."""
import json
import shutil

import pytest

from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.extensions import db
from tests import course_tree


@pytest.fixture
def courses(tmp_path):
    return course_tree.native_tree(tmp_path / "courses")


def run_import(runner, *args):
    result = runner.invoke(args=["import-courses", *map(str, args), "--json"])
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, data


def snapshot():
    """Everything the importer may change, to prove a failed import changed nothing."""
    return (
        [(p.slug, p.title, p.retired_at) for p in db.session.execute(db.select(LearningPath)).scalars()],
        [(l.slug, l.position, l.retired_at) for l in db.session.execute(db.select(Lesson)).scalars()],
        [(t.lesson_id, t.language, t.content_hash) for t in db.session.execute(db.select(LessonText)).scalars()],
    )


def test_first_import_adds_paths_and_lessons_in_both_languages(runner, courses):
    result, data = run_import(runner, courses)
    assert result.exit_code == 0, result.output
    assert data["summary"] == {"added": 2, "updated": 0, "unchanged": 0, "retired": 0}
    path = data["paths"][0]
    assert path["id"] == "market" and path["lessons"] == ["market-stall", "market-prices"]
    assert path["languages"]["fr"]["lessons"] == 2 and path["languages"]["en"]["lessons"] == 1
    assert path["languages"]["fr"]["min_words"] > 0


def test_second_import_reports_everything_unchanged(runner, courses):
    run_import(runner, courses)
    result, data = run_import(runner, courses)
    assert data["summary"] == {"added": 0, "updated": 0, "unchanged": 2, "retired": 0}


def test_editing_a_lesson_updates_it_and_keeps_its_row(runner, courses):
    run_import(runner, courses)
    lesson_id = db.session.execute(db.select(Lesson.id).filter_by(slug="market-stall")).scalar_one()
    file = courses / "01-market" / "01-stall.en.md"
    file.write_text(file.read_text().replace("Awa sells mangoes", "Awa sells ripe mangoes"))
    _, data = run_import(runner, courses)
    assert data["summary"] == {"added": 0, "updated": 1, "unchanged": 1, "retired": 0}
    lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-stall")).scalar_one()
    assert lesson.id == lesson_id
    assert "ripe mangoes" in lesson.text("en")[0].html


def test_renaming_and_reordering_files_keeps_the_lesson_ids(runner, courses):
    run_import(runner, courses)
    ids = dict(db.session.execute(db.select(Lesson.slug, Lesson.id)).all())
    folder = courses / "01-market"
    (folder / "02-prices.fr.md").rename(folder / "01-les-prix.fr.md")
    for lang in ("fr", "en"):
        (folder / f"01-stall.{lang}.md").rename(folder / f"02-etal.{lang}.md")
    for lang in ("fr", "en"):  # links follow the new names
        f = folder / f"02-etal.{lang}.md"
        f.write_text(f.read_text().replace(f"02-prices.{lang}.md", "01-les-prix.fr.md"))
    result, data = run_import(runner, courses)
    assert result.exit_code == 0, result.output
    assert data["paths"][0]["lessons"] == ["market-prices", "market-stall"]
    assert dict(db.session.execute(db.select(Lesson.slug, Lesson.id)).all()) == ids


def test_a_removed_lesson_is_retired_and_keeps_its_history(runner, courses, client, admin):
    run_import(runner, courses)
    (courses / "01-market" / "02-prices.fr.md").unlink()
    _, data = run_import(runner, courses)
    assert data["summary"]["retired"] == 1
    lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-prices")).scalar_one()
    assert lesson.retired_at is not None and lesson.texts  # kept, not deleted
    assert client.get("/lessons/market-prices").status_code == 404
    assert "Les prix" not in client.get("/paths/market", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_retired_lesson_comes_back_with_the_same_row(runner, courses, tmp_path):
    run_import(runner, courses)
    original = db.session.execute(db.select(Lesson.id).filter_by(slug="market-prices")).scalar_one()
    saved = tmp_path / "prices.md"
    shutil.move(courses / "01-market" / "02-prices.fr.md", saved)
    run_import(runner, courses)
    shutil.move(saved, courses / "01-market" / "02-prices.fr.md")
    _, data = run_import(runner, courses)
    assert data["summary"]["updated"] == 1
    lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-prices")).scalar_one()
    assert lesson.id == original and lesson.retired_at is None


def test_check_validates_and_changes_nothing(runner, courses):
    result = runner.invoke(args=["import-courses", str(courses), "--check"])
    assert result.exit_code == 0
    assert "2 added" in result.output and "nothing changed" in result.output
    assert db.session.execute(db.select(Lesson)).first() is None


BROKEN = {
    "malformed metadata": ("01-market/path.yaml", lambda t: t.replace("level: beginner", "level: [beginner"), 4),
    "malformed lesson header": ("01-market/01-stall.fr.md", lambda t: t.replace("minutes: 10", "minutes: : 10"), 4),
    "duplicate id": ("01-market/02-prices.fr.md", lambda t: t.replace("id: market-prices", "id: market-stall"), 2),
    "unknown reference": ("01-market/01-stall.fr.md", lambda t: t.replace("02-prices.fr.md", "09-nowhere.fr.md"), 13),
    "broken knowledge check": ("01-market/01-stall.fr.md", lambda t: t.replace("  > Non, ils font fuir.\n", ""), 25),
    "missing image": ("01-market/01-stall.fr.md", lambda t: t.replace("stall.png", "missing.png"), 15),
    "missing title": ("01-market/02-prices.fr.md", lambda t: t.replace("title: Les prix\n", ""), 1),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_files_are_reported_with_file_and_line_and_change_nothing(runner, courses, case):
    run_import(runner, courses)
    db.session.commit()
    before = snapshot()
    # Make a harmless valid change elsewhere: it must not be applied either.
    other = courses / "01-market" / "01-stall.en.md"
    other.write_text(other.read_text().replace("Awa sells", "Awa now sells"))
    name, breaker, line = BROKEN[case]
    file = courses / name
    file.write_text(breaker(file.read_text()))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code != 0
    assert f"courses/{name}:{line}" in result.output or (case == "missing title" and f"courses/{name}" in result.output), result.output
    assert "nothing was imported" in result.output
    db.session.rollback()
    assert snapshot() == before


def test_a_file_that_is_not_utf8_is_reported_with_its_line(runner, courses):
    file = courses / "01-market" / "02-prices.fr.md"
    file.write_bytes(file.read_bytes().replace("Une ardoise".encode(), "Une ardoise à".encode("latin-1")))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code != 0
    assert "01-market/02-prices.fr.md:9: error: not UTF-8 text" in result.output
    assert db.session.execute(db.select(Lesson)).first() is None


def test_every_error_is_listed_not_only_the_first(runner, courses):
    stall = courses / "01-market" / "01-stall.fr.md"
    stall.write_text(stall.read_text().replace("stall.png", "missing.png").replace("02-prices.fr.md", "nowhere.md"))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert "image not found: missing.png" in result.output and "nowhere.md" in result.output
    assert "2 error(s)" in result.output


def test_images_are_stored_with_a_reduced_variant(runner, courses, app):
    from pathlib import Path

    from PIL import Image

    run_import(runner, courses)
    html = db.session.execute(db.select(Lesson).filter_by(slug="market-stall")).scalar_one().text("fr")[0].html
    media = Path(app.instance_path) / "media"
    small = next(media.glob("*.720.png"))
    assert f'src="/media/{small.name}"' in html
    assert Image.open(small).size == (720, 480)
    assert 'width="720" height="480" loading="lazy"' in html
    assert len(list(media.glob("*.png"))) == 2  # the original stays available


def test_a_removed_path_folder_is_retired(runner, courses):
    run_import(runner, courses)
    shutil.rmtree(courses / "01-market")
    (courses / "02-other").mkdir()
    (courses / "02-other" / "path.yaml").write_text("id: other\ntitle: Other\n")
    _, data = run_import(runner, courses)
    assert data["summary"]["retired"] == 2
    path = db.session.execute(db.select(LearningPath).filter_by(slug="market")).scalar_one()
    assert path.retired_at is not None


def test_modules_group_lessons_in_sub_folders(runner, client, tmp_path):
    from tests import factories

    factories.user("amina", roles=("admin",))
    root = tmp_path / "courses"
    course_tree.write(root / "01-shop" / "path.yaml", "id: shop\ntitle:\n  fr: La boutique\n  en: The shop\n")
    course_tree.write(root / "01-shop" / "02-selling" / "module.yaml",
                      "id: selling\ntitle:\n  fr: Vendre\n  en: Selling\n")
    course_tree.write(root / "01-shop" / "01-basics" / "module.yaml",
                      "id: basics\ntitle:\n  fr: Les bases\n  en: The basics\n")
    for folder, slug in (("01-basics", "shop-open"), ("02-selling", "shop-sell")):
        course_tree.write(root / "01-shop" / folder / "01-lesson.en.md",
                          f"---\nid: {slug}\ntitle: {slug}\nminutes: 5\n---\n\nText.\n")
    result, data = run_import(runner, root)
    assert result.exit_code == 0, result.output
    assert data["paths"][0]["lessons"] == ["shop-open", "shop-sell"]
    page = client.get("/paths/shop").get_data(as_text=True)
    assert page.index("The basics") < page.index("shop-open") < page.index("Selling") < page.index("shop-sell")
