"""A long lesson on a 360 px phone without JavaScript: she reads it step by step with big Next and Previous
buttons, the lesson counts read when she reaches its last step, and she can read it whole on one page."""
import subprocess

import pytest

from lms.accounts import services as accounts
from lms.extensions import db
from tests import course_tree
from tests.browser.conftest import LMS, Server
from tests.browser.helpers import PASSWORD, go_offline, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 360, "height": 740}
PATH = "id: till\ntitle:\n  en: Keeping the till\n  fr: Tenir la caisse\n"
SENTENCE = "In the evening Khady counts the cash in her till and writes the total of the day in her notebook. "


def lesson():
    """A lesson without a check: an introduction and three sections of about 200 words each."""
    sections = "".join(f"\n## {title}\n\n{SENTENCE * 5}\n\n{SENTENCE * 5}\n"
                       for title in ("Count the cash", "Write the total", "Compare with yesterday"))
    return (f"---\nid: till-evening\ntitle: The evening count\nminutes: 10\nobjectives:\n  - Count your till\n---\n\n"
            f"{SENTENCE * 4}\n\n{SENTENCE * 5}\n{sections}")


class TillSite(Server):
    """A site with one long lesson, read in four steps."""

    def prepare(self):
        subprocess.run([LMS, "init"], env=self.env, check=True, capture_output=True)
        root = self.instance / "courses"
        course_tree.write(root / "01-till" / "path.yaml", PATH)
        course_tree.write(root / "01-till" / "01-evening.en.md", lesson())
        subprocess.run([LMS, "import-courses", str(root)], env=self.env, check=True, capture_output=True)
        with self.app.app_context():
            accounts.create_user("amina", PASSWORD, roles=("admin",), display_name="Amina Diallo", locale="en")
            for username, name in (("khady", "Khady Ba"), ("binta", "Binta Sow")):
                accounts.create_user(username, PASSWORD, roles=("learner",), display_name=name, locale="en")
            db.session.commit()


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    site = TillSite(tmp_path_factory.mktemp("lesson-steps-site"))
    site.prepare()
    site.start()
    yield site
    site.stop()


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(base_url=site.base, locale="en-US", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def fits_with_big_buttons(page):
    """No sideways scroll; Previous and Next are at least 44 px tall, below the step's text."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    text = page.locator("article .content").bounding_box()
    for button in page.locator(".step-nav a").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (page.url, button.inner_text(), box)
        assert box["y"] >= text["y"] + text["height"], "the buttons come after the step"


def test_she_walks_the_steps_and_the_lesson_counts_read_at_the_last(phone, site):
    phone.goto("/sign-in")
    phone.fill("#username", "khady")
    phone.fill("#password", PASSWORD)
    phone.click("main form.card button.primary")
    phone.wait_for_url(lambda url: "/sign-in" not in url)

    phone.goto("/paths/till")
    phone.get_by_role("link", name="The evening count").click()
    expect(phone.locator(".step-count")).to_have_text("Step 1 of 4")
    expect(phone.locator(".objectives-box")).to_contain_text("Count your till")
    expect(phone.get_by_role("heading", name="Count the cash")).to_have_count(0)
    expect(phone.locator(".step-nav a[rel=prev]")).to_have_count(0)
    fits_with_big_buttons(phone)

    for number, heading in ((2, "Count the cash"), (3, "Write the total"), (4, "Compare with yesterday")):
        assert site.events("khady", "lesson_completed") == 0
        phone.get_by_role("link", name="Next").click()
        assert phone.url.endswith(f"?step={number}#lesson")
        expect(phone.locator(".step-count")).to_have_text(f"Step {number} of 4")
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        expect(phone.locator(".objectives-box")).to_have_count(0)
        fits_with_big_buttons(phone)
    # The page opens at the lesson's title and counter, not at the site's header.
    assert phone.locator(".step-count").bounding_box()["y"] < PHONE["height"] / 3
    assert phone.evaluate("window.scrollY") > 0

    expect(phone.get_by_role("link", name="Next")).to_have_count(0)
    expect(phone.get_by_text("You completed this lesson.")).to_be_visible()
    assert site.events("khady", "lesson_completed", "till-evening") == 1

    phone.get_by_role("link", name="Previous").click()
    expect(phone.locator(".step-count")).to_have_text("Step 3 of 4")
    expect(phone.get_by_text("You completed this lesson.")).to_have_count(0)  # the forms are on the last step

    phone.get_by_role("link", name="Whole lesson on one page").click()
    expect(phone.locator(".step-count")).to_have_count(0)
    for heading in ("Count the cash", "Write the total", "Compare with yesterday"):
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("link", name="Read in steps").click()
    expect(phone.locator(".step-count")).to_have_text("Step 1 of 4")
    assert site.events("khady", "lesson_completed", "till-evening") == 1


def test_a_saved_path_keeps_every_step_and_the_whole_lesson_offline(browser, site):
    context = browser.new_context(base_url=site.base, locale="en-US", viewport=PHONE)
    context.set_default_timeout(15000)
    page = context.new_page()
    sign_in(page, "binta")
    page.goto("/paths/till")
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("Saved on this phone for offline reading", timeout=30000)
    assert site.events("binta", "lesson_completed") == 0  # saving the last step is not reaching it
    go_offline(context, page)
    page.goto("/lessons/till-evening?step=3#lesson")
    expect(page.locator(".step-count")).to_have_text("Step 3 of 4")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", name="Compare with yesterday")).to_be_visible()
    expect(page.get_by_role("button", name="I have finished this lesson")).to_be_visible()  # to tick offline
    page.get_by_role("link", name="Whole lesson on one page").click()
    expect(page.get_by_role("heading", name="Write the total")).to_be_visible()

    # Weak Wi-Fi: the phone believes it is online, the form really posts and fails; the service worker keeps
    # it and brings her back to the step she sent it from.
    page.goto("/lessons/till-evening?step=4")
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    page.get_by_role("button", name="I have finished this lesson").click()
    expect(page.locator(".lesson-done")).to_contain_text("Saved on this phone")
    assert "?step=4" in page.url
    context.close()


def test_a_step_and_the_whole_lesson_pass_the_phone_and_accessibility_checks(browser, site):
    """With JavaScript and axe-core: 360 and 320 px, 200 % text, 44 px tap targets, WCAG 2.1 A/AA."""
    from tests.browser.test_crawl import AXE, look

    context = browser.new_context(base_url=site.base, locale="fr-FR", viewport=PHONE, bypass_csp=True,
                                  service_workers="block")
    if AXE.exists():
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    findings = {}
    for url in ("/lessons/till-evening", "/lessons/till-evening?step=2", "/lessons/till-evening?step=4",
                "/lessons/till-evening?step=all"):
        page.goto(url)
        look(page, url, findings, AXE.exists())
    context.close()
    assert not findings, findings
