"""The whole cascade on 360 px phones, with no administrator after setup: a learner registers with her
cohort's code, learns, is reviewed and certified, becomes a trainer, and reviews her own learner's work."""
import subprocess

import pytest

from lms.accounts import services as accounts
from lms.catalogue.models import LearningPath
from lms.cohorts import services as cohorts
from lms.extensions import db
from lms.progress.models import Certificate, LessonProgress
from lms.accounts.models import User
from tests import course_tree
from tests.browser.conftest import LMS, Server
from tests.browser.helpers import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 360, "height": 740}


class CascadeSite(Server):
    """A site with the two one-lesson paths of the cascade and one trainer running one cohort."""

    def prepare(self):
        subprocess.run([LMS, "init"], env=self.env, check=True, capture_output=True)
        courses = course_tree.cascade_tree(self.instance / "courses")
        subprocess.run([LMS, "import-courses", str(courses)], env=self.env, check=True, capture_output=True)
        with self.app.app_context():
            accounts.create_user("amina", PASSWORD, roles=("admin",), display_name="Amina Diallo", locale="en")
            fatou = accounts.create_user("fatou", PASSWORD, roles=("trainer",), display_name="Fatou Ndiaye",
                                         locale="en")
            paths = db.session.execute(db.select(LearningPath).order_by(LearningPath.position)).scalars().all()
            self.code = cohorts.create_cohort(fatou, "Dakar", paths, language="en").join_code
            db.session.commit()

    def certificates(self, username):
        with self.app.app_context():
            return set(db.session.execute(
                db.select(LearningPath.slug).join(Certificate, Certificate.path_id == LearningPath.id)
                .join(User, User.id == Certificate.user_id).where(User.username == username)).scalars())

    def completed(self, username, lesson_id):
        from lms.catalogue.models import Lesson

        with self.app.app_context():
            return db.session.execute(
                db.select(LessonProgress.completed_at).join(User, User.id == LessonProgress.user_id)
                .join(Lesson, Lesson.id == LessonProgress.lesson_id)
                .where(User.username == username, Lesson.slug == lesson_id)).scalar() is not None


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    site = CascadeSite(tmp_path_factory.mktemp("cascade-site"))
    site.prepare()
    site.start()
    yield site
    site.stop()


@pytest.fixture
def phone(browser, site):
    """Open a new 360 px phone; each has its own cookies."""
    contexts = []

    def open_phone():
        context = browser.new_context(base_url=site.base, locale="en-US", viewport=PHONE)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def fits(page):
    """Nothing scrolls sideways on a 360 px phone."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, (page.url, width)


def go(page, path):
    page.goto(path)
    fits(page)


def tap(page, locator):
    locator.click()
    page.wait_for_load_state()
    fits(page)


def wait_for(check, page, timeout_ms=15000):
    for _ in range(timeout_ms // 100):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the server never recorded it")


def register(page, code, username, name):
    go(page, "/")
    tap(page, page.get_by_role("link", name="Create an account"))
    page.fill("#display_name", name)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.select_option("#locale", "en")
    page.fill("#join_code", code)
    tap(page, page.locator("main form button.primary"))


def sign_in(page, username):
    go(page, "/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    tap(page, page.locator("main form.card button.primary"))


def send_work(page, text, again=False):
    page.fill("#text", text)
    name = "Send my work again to" if again else "Send my work to"
    tap(page, page.get_by_role("button", name=name))


def review(page, decision, feedback):
    page.get_by_label(decision).check()
    page.fill("#feedback", feedback)
    tap(page, page.get_by_role("button", name="Send my review"))


def test_the_cascade_goes_on_by_itself(site, phone):
    nafi, fatou = phone(), phone()

    # Nafi registers with the code of Fatou's cohort and sees where she is.
    go(nafi, "/")
    expect(nafi.get_by_role("link", name="I have a code")).to_be_visible()
    register(nafi, site.code, "nafi", "Nafi Diop")
    expect(nafi.locator(".my-cohort")).to_contain_text("My cohort: Dakar")
    expect(nafi.locator(".my-cohort")).to_contain_text("Trainer: Fatou Ndiaye")

    # She reads the first lesson and passes its check.
    tap(nafi, nafi.get_by_role("link", name="Next lesson: Your stall"))
    nafi.locator("input[name=q1][value=a1]").check()
    tap(nafi, nafi.get_by_role("button", name="Check my answers"))
    wait_for(lambda: site.completed("nafi", "market-stall"), nafi)

    # Her practical work: she reads who reviews it before she sends it.
    go(nafi, "/lessons/market-stall")
    expect(nafi.locator("#work")).to_contain_text("Your trainer Fatou Ndiaye reviews your work.")
    send_work(nafi, "Mangoes in front.")
    expect(nafi.locator("main")).to_contain_text("Your work is sent to Fatou Ndiaye.")

    # Fatou asks for changes, and lands on an empty queue that says so.
    sign_in(fatou, "fatou")
    expect(fatou.locator("main")).to_contain_text("1 practical work is waiting for your review.")
    tap(fatou, fatou.get_by_role("link", name="1 practical work is waiting for your review."))
    tap(fatou, fatou.get_by_role("link", name="Nafi Diop"))
    review(fatou, "Ask for changes", "Add your prices.")
    expect(fatou.locator("main")).to_contain_text("Nothing else is waiting for your review.")

    # Nafi sees it on her home page; the form starts from her last round.
    go(nafi, "/")
    tap(nafi, nafi.get_by_role("link", name="Changes requested: Your stall"))
    expect(nafi.locator("#text")).to_have_value("Mangoes in front.")
    send_work(nafi, "Mangoes in front, prices on a slate.", again=True)

    go(fatou, "/mentoring")
    tap(fatou, fatou.get_by_role("link", name="Nafi Diop"))
    review(fatou, "Approve", "Very good.")
    wait_for(lambda: "market" in site.certificates("nafi"), nafi)

    # Her certificate is celebrated, and the next path of her cohort is one tap away.
    go(nafi, "/")
    expect(nafi.locator(".celebration")).to_contain_text("Congratulations! You earned your certificate")
    expect(nafi.locator(".next-path")).to_contain_text("Training of trainers")
    tap(nafi, nafi.get_by_role("link", name="Next lesson: Facilitate a session"))
    tap(nafi, nafi.get_by_role("button", name="I have finished this lesson"))
    wait_for(lambda: "training-of-trainers" in site.certificates("nafi"), nafi)
    go(nafi, "/")
    expect(nafi.locator(".celebration").first).to_contain_text("Training of trainers")

    # Fatou is prompted to certify her, and does.
    go(fatou, "/")
    prompt = "Nafi Diop earned the Training of trainers certificate: certify her as a trainer."
    expect(fatou.locator("main")).to_contain_text(prompt)
    tap(fatou, fatou.get_by_role("button", name="Certify Nafi Diop as a trainer"))
    expect(fatou.locator("main")).to_contain_text("Nafi Diop is now a trainer.")

    # Nafi, now a trainer, creates her own cohort.
    go(nafi, "/cohorts/new")
    nafi.fill("#name", "Thiès")
    nafi.get_by_label("Selling at the market").check()
    tap(nafi, nafi.locator("main form button.primary"))
    code = nafi.locator("strong.code").inner_text().strip()

    # A new learner joins it with the code and sends her work: Nafi is named as her reviewer.
    aissatou = phone()
    register(aissatou, code, "aissatou", "Aïssatou Ba")
    expect(aissatou.locator(".my-cohort")).to_contain_text("Trainer: Nafi Diop")
    go(aissatou, "/lessons/market-stall")
    send_work(aissatou, "Onions and tomatoes.")
    expect(aissatou.locator("main")).to_contain_text("Your work is sent to Nafi Diop.")

    # Nafi reviews it.
    go(nafi, "/")
    tap(nafi, nafi.get_by_role("link", name="1 practical work is waiting for your review."))
    tap(nafi, nafi.get_by_role("link", name="Aïssatou Ba"))
    review(nafi, "Approve", "Well done.")
    expect(nafi.locator("main")).to_contain_text("Nothing else is waiting for your review.")
    go(aissatou, "/lessons/market-stall")
    expect(aissatou.locator("#work")).to_contain_text("Approved")
