"""The learning paths we ship in courses/ must import cleanly and meet the content rules."""
import json
from pathlib import Path

COURSES = Path(__file__).resolve().parents[3] / "courses"


def test_the_six_paths_import_in_both_languages_with_enough_teaching(runner):
    result = runner.invoke(args=["import-courses", str(COURSES), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["problems"]
    assert [p["id"] for p in data["paths"]] == [
        "website", "social-media", "be-found-online", "data-for-decisions", "training-of-trainers",
        "get-paid-and-stay-safe"]
    for path in data["paths"]:
        assert len(path["lessons"]) >= 6
        for language in ("fr", "en"):
            stats = path["languages"][language]
            assert stats["lessons"] == len(path["lessons"]), (path["id"], language)
            assert stats["min_words"] >= 600, (path["id"], language)
    again = json.loads(runner.invoke(args=["import-courses", str(COURSES), "--json"]).stdout)
    assert again["summary"]["unchanged"] == sum(len(p["lessons"]) for p in data["paths"])


def test_every_lesson_has_a_check_and_most_have_practical_work(runner):
    from lms.catalogue.models import LessonText
    from lms.extensions import db

    runner.invoke(args=["import-courses", str(COURSES)])
    texts = db.session.execute(db.select(LessonText)).scalars().all()
    assert texts and all(t.quiz and t.quiz["questions"] for t in texts)
    assert sum(1 for t in texts if t.assignment) >= 0.8 * len(texts)


def test_every_lesson_shows_at_least_two_pictures_with_alt_text_in_both_languages(runner):
    """A learner who would rather look than read gets drawings, and a screen reader gets their words."""
    import re

    from lms.catalogue.models import LessonText
    from lms.extensions import db

    runner.invoke(args=["import-courses", str(COURSES)])
    texts = db.session.execute(db.select(LessonText)).scalars().all()
    assert {t.language for t in texts} == {"fr", "en"}
    for text in texts:
        images = re.findall(r"<img\b[^>]*>", text.html)
        described = [i for i in images if re.search(r'\balt="[^"]{8,}"', i)]
        assert len(described) >= 2, (text.source_path, len(images))
