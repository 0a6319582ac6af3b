"""A voice note recorded in the page: the browser's recorder (a fake microphone here) fills the form's file input,
and the server keeps a compact copy she can play back."""
import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def microphone_browser(browser):
    """Chromium with a fake microphone that plays a tone, and permission already given."""
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    yield launched
    launched.close()


def test_she_records_her_work_in_the_page_and_sends_it(microphone_browser, server):
    from lms.extensions import db
    from lms.mentoring.models import Submission

    context = microphone_browser.new_context(base_url=server.base, locale="en-US", viewport={"width": 360,
                                                                                           "height": 740})
    context.set_default_timeout(15000)
    context.grant_permissions(["microphone"])
    page = context.new_page()
    try:
        sign_in(page, "khady")
        page.goto("/lessons/market-stall")
        page.fill("#text", "Mon étal, en voix.")
        page.get_by_role("button", name="Record a voice note").click()
        expect(page.get_by_role("button", name="Stop recording")).to_be_visible()
        page.wait_for_timeout(2500)
        page.get_by_role("button", name="Stop recording").click()
        expect(page.get_by_text("Voice note recorded")).to_be_visible()
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
    finally:
        context.close()
