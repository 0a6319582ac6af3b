"""A voice note recorded in the page: the browser's recorder (a fake microphone here) fills the form's file input,
and the server keeps a compact copy she can play back — her work, her mentor's reply, a post written offline."""
import time
from contextlib import contextmanager

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import PASSWORD, go_offline, go_online, make_circle, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def microphone_browser(browser):
    """Chromium with a fake microphone that plays a tone, and permission already given."""
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    yield launched
    launched.close()


@contextmanager
def phone(microphone_browser, server, username):
    """Her phone at 360 px, whose microphone is a fake one, already allowed; she is signed in. Yield (context,
    page)."""
    context = microphone_browser.new_context(base_url=server.base, locale="en-US", viewport={"width": 360,
                                                                                           "height": 740})
    context.set_default_timeout(15000)
    context.grant_permissions(["microphone"])
    try:
        page = context.new_page()
        sign_in(page, username)
        yield context, page
    finally:
        context.close()


def record(where, seconds=2.5):
    """Press Record a voice note in this page or part of it, speak (the fake microphone's tone) a while, stop."""
    where.get_by_role("button", name="Record a voice note").click()
    expect(where.get_by_role("button", name="Stop recording")).to_be_visible()
    time.sleep(seconds)
    where.get_by_role("button", name="Stop recording").click()
    expect(where.get_by_text("Voice note recorded")).to_be_visible()


def test_she_records_her_work_in_the_page_and_sends_it(microphone_browser, server):
    from lms.extensions import db
    from lms.mentoring.models import Submission

    with phone(microphone_browser, server, "khady") as (context, page):
        page.goto("/lessons/market-stall")
        page.fill("#text", "Mon étal, en voix.")
        record(page.locator("#work"))
        assert page.evaluate("document.querySelector('#voice_note').files[0].size") > 1000
        page.get_by_role("button", name="Save my work").click()
        expect(page.get_by_text("Your work is saved.")).to_be_visible()
        player = page.locator('audio[controls][preload="none"]')
        expect(player).to_have_count(1)
        expect(page.get_by_text("Voice note, 0:0")).to_be_visible()
        with server.app.app_context():
            submission = db.session.execute(db.select(Submission).where(Submission.text == "Mon étal, en voix.")) \
                .scalar_one()
            assert 1 <= submission.voice_seconds <= 4 and submission.voice_bytes < 20_000
        played = page.request.get(player.get_attribute("src"))
        assert played.status == 200 and played.headers["content-type"] == "audio/ogg"


@pytest.fixture(scope="module")
def mentored_work(server):
    """Seynabou, in a cohort where Maïmouna is her mentor, sent her work in writing; return its id."""
    from lms.accounts import services as accounts
    from lms.catalogue import queries as catalogue
    from lms.cohorts import services as cohorts
    from lms.extensions import db
    from lms.mentoring import services as mentoring

    with server.app.app_context():
        trainer = accounts.create_user("rokhaya.fall", PASSWORD, roles=("trainer",), display_name="Rokhaya Fall",
                                       locale="en")
        mentor = accounts.create_user("maimouna.sy", PASSWORD, roles=("mentor",), display_name="Maïmouna Sy",
                                      locale="en")
        learner = accounts.create_user("seynabou.dia", PASSWORD, roles=("learner",), display_name="Seynabou Dia",
                                       locale="en")
        lesson = catalogue.get_lesson("market-stall")
        cohort = cohorts.create_cohort(trainer, "Voice replies", [lesson.path])
        cohorts.answer_invitation(mentor, cohorts.invite(trainer, cohort, mentor, "mentor"), accept=True)
        cohorts.join_with_code(learner, cohort.join_code)
        cohorts.assign_mentor(trainer, cohort, learner, mentor)
        work = mentoring.submit_work(learner, lesson, text="Mon étal, écrit.")
        db.session.commit()
        return work.id


def test_her_mentor_records_a_voice_reply_and_she_hears_it(microphone_browser, server, mentored_work):
    from lms.extensions import db
    from lms.mentoring.models import Review

    with phone(microphone_browser, server, "maimouna.sy") as (context, page):
        page.goto(f"/mentoring/submissions/{mentored_work}")
        page.get_by_label("Ask for changes").check()
        record(page)
        assert page.evaluate("document.querySelector('#voice_note').files[0].size") > 1000
        page.get_by_role("button", name="Send my review").click()
        expect(page.get_by_text("Your review is sent to Seynabou Dia.")).to_be_visible()
        with server.app.app_context():
            review = db.session.execute(db.select(Review).where(Review.submission_id == mentored_work)).scalar_one()
            assert review.decision == "changes_requested" and not review.feedback
            assert 1 <= review.voice_seconds <= 4 and review.voice_bytes < 20_000
            voice_note = review.voice_note

    with phone(microphone_browser, server, "seynabou.dia") as (context, page):
        page.goto("/lessons/market-stall")
        player = page.locator(f'audio[controls][preload="none"][src="/voice-notes/{voice_note}"]')
        expect(player).to_have_count(1)
        expect(page.get_by_text("Voice note, 0:0")).to_be_visible()
        played = page.request.get(player.get_attribute("src"))
        assert played.status == 200 and played.headers["content-type"] == "audio/ogg"


@pytest.fixture(scope="module")
def voice_circle(server):
    """Five learners in one circle; return its thread's public id."""
    return make_circle(server, "ndella", "Voice circle", ("astou", "bineta", "codou", "daba", "eva"))


def test_a_voice_note_recorded_offline_waits_with_its_post_and_is_sent_once_online(microphone_browser, server,
                                                                                  voice_circle):
    from lms.community.models import Post
    from lms.extensions import db

    def sent():
        with server.app.app_context():
            return db.session.execute(db.select(Post).where(Post.body == "Au marché, sans réseau")).scalars().all()

    with phone(microphone_browser, server, "astou") as (context, page):
        page.goto(f"/community/threads/{voice_circle}")
        go_offline(context, page)
        page.fill("textarea[name=body]", "Au marché, sans réseau")
        record(page.locator("form.post-form"))
        page.click("form.post-form button.primary")
        expect(page.locator("form.post-form + .flash")).to_contain_text("kept on this phone")
        waiting = page.evaluate("""() => new Promise(resolve => {
            const open = indexedDB.open('lms-voice');
            open.onsuccess = () => {
              const all = open.result.transaction('notes').objectStore('notes').getAll();
              all.onsuccess = () => resolve(all.result.map(n => n.blob.size));
            };
        })""")
        assert len(waiting) == 1 and waiting[0] > 1000  # the recording itself, not only its name
        assert sent() == []

        go_online(context, page)
        deadline = time.monotonic() + 20
        while not sent() and time.monotonic() < deadline:
            time.sleep(0.2)
        [post] = sent()
        assert 1 <= post.voice_seconds <= 4 and post.voice_bytes < 20_000
        page.wait_for_timeout(500)  # the page reloads itself once its post is in
        page.goto(f"/community/threads/{voice_circle}")
        player = page.locator(f'audio[controls][preload="none"][src="/community/voice-notes/{post.voice_note}"]')
        expect(player).to_have_count(1)
        assert page.request.get(player.get_attribute("src")).status == 200
        page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a second signal sends nothing more
        page.wait_for_timeout(500)
        assert len(sent()) == 1
        assert page.evaluate("() => JSON.parse(localStorage.getItem(Object.keys(localStorage)"
                             ".find(k => k.startsWith('lms-posts:'))) || '[]').length") == 0
