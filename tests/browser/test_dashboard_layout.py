"""The cohort dashboard in Chromium: no sideways page scroll on a phone (the grid scrolls in its own
region, its names stay in view), and the grid wider than the text column on a desktop screen."""
from datetime import timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.accounts.models import User
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import LessonProgress
from tests.browser.conftest import LEARNERS, Server
from tests.browser.helpers import sign_in


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """A site of its own: a cohort on the test course and a 15-lesson path (18 lessons), ten learners with progress."""
    server = Server(tmp_path_factory.mktemp("dashboard-site"))
    server.prepare()
    with server.app.app_context():
        wide = LearningPath(slug="wide", position=9, title={"en": "Keeping accounts", "fr": "Tenir ses comptes"})
        db.session.add(wide)
        db.session.flush()
        lessons = [Lesson(slug=f"wide-{i}", path_id=wide.id, position=i) for i in range(15)]
        db.session.add_all(lessons)
        db.session.flush()
        db.session.add_all(LessonText(lesson_id=l.id, language="en", title=f"Accounts, part {l.position + 1}")
                           for l in lessons)
        amina = db.session.execute(db.select(User).filter_by(username="amina")).scalar_one()
        cohort = cohorts.create_cohort(amina, "Thiès", db.session.execute(db.select(LearningPath)).scalars().all())
        now = utcnow()
        for index, username in enumerate(LEARNERS):
            learner = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
            cohorts.join_with_code(learner, cohort.join_code)
            for lesson in lessons[:index * 2]:
                at = now - timedelta(days=index)
                db.session.add(LessonProgress(user_id=learner.id, lesson_id=lesson.id, last_activity_at=at,
                                              first_opened_at=at, completed_at=at, best_score=90))
        db.session.commit()
        server.cohort_id = cohort.id
    server.start()
    yield server
    server.stop()


def open_dashboard(browser, site, width):
    context = browser.new_context(base_url=site.base, locale="en-US", viewport={"width": width, "height": 800})
    context.set_default_timeout(15000)
    page = context.new_page()
    sign_in(page, "amina")
    page.goto(f"/cohorts/{site.cohort_id}/dashboard")
    return context, page


def test_on_a_phone_only_the_grid_scrolls_sideways(browser, site):
    context, page = open_dashboard(browser, site, 360)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        grid = page.locator(".grid-wrap")
        try:
            grid.wait_for(state="attached")
        except PlaywrightTimeout:  # once, under heavy load, the page had no grid: say which page it was
            pytest.fail(f"no grid at {page.url}: {page.title()}: {page.locator('body').inner_text()[:300]}")
        box = grid.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert page.evaluate("(() => { const g = document.querySelector('.grid-wrap');"
                             " return g.scrollWidth > g.clientWidth; })()")  # 18 lessons do not fit: it scrolls
        assert page.evaluate("document.querySelector('.chart .scroll-x').getBoundingClientRect().right") <= 360
        grid.evaluate("g => { g.scrollLeft = g.scrollWidth; }")
        name = page.locator(".grid tbody th.name").first.bounding_box()
        assert name["x"] >= box["x"] - 1  # the names stay in view (sticky) while the lessons scroll
        assert page.locator(".grid tbody th.name a").first.inner_text() == "Aïcha Traoré"
    finally:
        context.close()


def test_on_a_desktop_the_grid_uses_the_full_width(browser, site):
    context, page = open_dashboard(browser, site, 1280)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        text_column = page.locator("h1").bounding_box()["width"]
        grid = page.locator(".grid-wrap").bounding_box()
        assert text_column <= 46 * 16  # the prose keeps its readable column...
        assert grid["width"] >= 1280 - 60  # ...the grid spreads over the screen
        assert page.evaluate("(() => { const g = document.querySelector('.grid-wrap');"
                             " return g.scrollWidth <= g.clientWidth; })()")  # all 18 lessons (the old column: 9)
    finally:
        context.close()
