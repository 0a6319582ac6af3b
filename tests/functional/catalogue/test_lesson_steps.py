"""A learner reads a long lesson in short steps on her phone: Next, Previous, the whole lesson if she prefers."""
import re

import pytest

from lms.accounts.models import User
from lms.catalogue.models import Lesson
from lms.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent
from tests import course_tree

SENTENCE_FR = "Awa note chaque vente du jour dans son cahier, avec le prix et le nom de la cliente. "
SENTENCE_EN = "Awa writes down each sale of the day in her notebook, with the price and the customer's name. "


def long_lesson(language, titles, sentence):
    """A lesson without a check: a short introduction, then three sections of about 170 words."""
    header = {"fr": "Vendre chaque jour", "en": "Selling every day"}[language]
    sections = "".join(f"\n## {title}\n\n{sentence * 10}\n\n{sentence * 1}\n" for title in titles)
    return (f"---\nid: market-selling\ntitle: {header}\nminutes: 12\nobjectives:\n  - "
            f"{'Noter ses ventes' if language == 'fr' else 'Record your sales'}\n---\n\n"
            f"{sentence * 4}\n\n{sentence * 6}\n{sections}")


@pytest.fixture
def imported(runner, tmp_path, admin):
    root = course_tree.native_tree_with_reading(tmp_path / "courses")
    folder = root / "01-market"
    course_tree.write(folder / "04-selling.fr.md", long_lesson(
        "fr", ["Le cahier", "Le tableau", "Le bilan"], SENTENCE_FR))
    course_tree.write(folder / "04-selling.en.md", long_lesson(
        "en", ["The notebook", "The sheet", "The review"], SENTENCE_EN))
    result = runner.invoke(args=["import-courses", str(root)])
    assert result.exit_code == 0, result.output


def page(client, url, language="en"):
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def progress_of(username):
    lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-selling")).scalar_one()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
    return db.session.execute(db.select(LessonProgress).filter_by(
        lesson_id=lesson.id, user_id=user.id)).scalar_one_or_none()


def link(html, rel):
    match = re.search(rf'<a class="button[^"]*" rel="{rel}" href="([^"]+)"', html)
    return match and match.group(1).replace("&amp;", "&")


def test_learner_reads_in_steps_and_the_lesson_counts_read_only_at_the_last_step(client, imported, learner, sign_in):
    sign_in("mariam")
    first = page(client, "/lessons/market-selling")
    assert "Step 1 of 4" in first and "(Step 1 of 4)" in re.search(r"<title>(.*?)</title>", first).group(1)
    assert "Record your sales" in first  # the objectives open the lesson
    assert "The notebook" not in first  # the first section is the second step
    assert link(first, "prev") is None
    assert 'id="done"' not in first and "I have finished" not in first
    assert progress_of("mariam").completed_at is None and progress_of("mariam").first_opened_at is not None

    second = page(client, link(first, "next"))
    assert "Step 2 of 4" in second and "The notebook</h2>" in second and "The sheet" not in second
    assert "Record your sales" not in second
    assert link(second, "prev") == "/lessons/market-selling#lesson"
    assert progress_of("mariam").completed_at is None

    third = page(client, link(second, "next"))
    assert "Step 3 of 4" in third and progress_of("mariam").completed_at is None

    last = page(client, link(third, "next"))
    assert "Step 4 of 4" in last and "The review" in last and link(last, "next") is None
    assert progress_of("mariam").completed_at is not None
    assert 'id="done"' in last  # where the lesson ends: her progress, and the next lesson
    assert 'href="/lessons/market-selling?step=3#lesson"' in last


def test_reaching_the_end_twice_or_pressing_finished_counts_once(client, imported, learner, sign_in):
    sign_in("mariam")
    before = page(client, "/lessons/market-selling?step=all")
    event_id = re.search(r'name="event_id" value="([^"]+)"', before).group(1)
    page(client, "/lessons/market-selling?step=4")
    page(client, "/lessons/market-selling?step=last")
    client.submit("/lessons/market-selling/done", {"event_id": event_id})
    completed = db.session.execute(db.select(db.func.count()).select_from(ProgressEvent)
                                   .where(ProgressEvent.type == "lesson_completed")).scalar()
    assert completed == 1


def test_the_whole_lesson_on_one_page_and_back_to_steps(client, imported, learner, sign_in):
    sign_in("mariam")
    first = page(client, "/lessons/market-selling")
    assert "Step 1 of 4" in first
    assert 'href="/lessons/market-selling?step=all">Whole lesson on one page</a>' in first
    whole = page(client, "/lessons/market-selling?step=all")
    assert "Step 1 of" not in whole and all(title in whole for title in ("The notebook", "The sheet", "The review"))
    assert "Record your sales" in whole and "I have finished this lesson" in whole
    assert 'href="/lessons/market-selling">Read in steps</a>' in whole
    assert progress_of("mariam").completed_at is None  # reading the whole page is not finishing it


def test_a_lesson_without_sections_is_one_step_without_a_counter(client, imported, learner, sign_in):
    sign_in("mariam")
    html = page(client, "/lessons/market-closing")
    assert "Step 1" not in html and "step-nav" not in html and "Whole lesson on one page" not in html
    assert "Le soir, comptez la caisse" in html and 'id="done"' in html
    assert client.get("/lessons/market-closing?step=2").headers["Location"] == "/lessons/market-closing"


def test_a_step_out_of_range_goes_to_the_nearest_and_nonsense_is_not_found(client, imported):
    assert client.get("/lessons/market-selling?step=9").headers["Location"] == "/lessons/market-selling?step=4"
    assert client.get("/lessons/market-selling?step=0").headers["Location"] == "/lessons/market-selling"
    assert client.get("/lessons/market-selling?step=1&lang=en").headers["Location"] == \
        "/lessons/market-selling?lang=en"
    assert client.get("/lessons/market-selling?step=two").status_code == 404
    assert client.get("/lessons/market-selling?step=-1").headers["Location"] == "/lessons/market-selling"
    assert client.get("/lessons/market-selling?step=--1").status_code == 404


def test_a_visitor_reads_the_steps_without_an_account(client, imported):
    last = page(client, "/lessons/market-selling?step=4")
    assert "Step 4 of 4" in last and "The review" in last
    assert "to keep track of your progress." in last  # where the lesson ends
    assert 'href="/sign-in?next=/lessons/market-selling?step%3D4"' in last  # and she comes back to this step
    second = page(client, "/lessons/market-selling?step=2")
    assert "The notebook" in second and "to keep track of your progress." not in second


def test_switching_language_keeps_the_step(client, imported):
    second = page(client, "/lessons/market-selling?step=2", "fr")
    assert "Le cahier" in second and 'href="/lessons/market-selling?lang=en&amp;step=2"' in second
    assert "The notebook</h2>" in page(client, "/lessons/market-selling?lang=en&step=2", "fr")


def test_the_check_shown_again_with_errors_is_on_the_last_step(client, imported, learner, sign_in):
    sign_in("mariam")
    response = client.submit("/lessons/market-prices/check", {"language": "fr"})
    assert response.status_code == 422 and 'id="quiz"' in response.get_data(as_text=True)


def test_our_courses_read_in_steps_of_one_or_two_screens(app, tmp_path):
    """Every lesson of our six paths, in French and English, cuts into steps of roughly 150 to 350 words."""
    from pathlib import Path

    from lms.catalogue.importer import read_specs
    from lms.catalogue.media import MediaStore
    from lms.catalogue.specs import Problems
    from lms.catalogue.steps import split_steps

    problems = Problems()
    specs = read_specs([Path(__file__).parents[3] / "courses"], MediaStore(tmp_path, dry_run=True), problems, {})
    assert not problems.errors and len(specs) == 6
    odd = {}
    for spec in specs:
        for lesson in spec.lessons:
            for text in lesson.texts.values():
                steps = split_steps(text.html)
                if len(steps) < 3 or not all(100 <= step.words <= 400 for step in steps):
                    odd[text.source_path] = [step.words for step in steps]
    assert not odd, odd
