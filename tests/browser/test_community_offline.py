"""A learner writes a reply in her circle without network: it waits on her phone and is recorded once online."""
import time

import pytest

from lms.accounts import services as accounts
from lms.community import circles, queries
from lms.community.models import Post
from lms.extensions import db
from tests.browser.helpers import go_offline, go_online, make_circle, open_menu, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
QUEUE = "() => Object.keys(localStorage).filter(k => k.startsWith('lms-posts:'))" \
        ".map(k => JSON.parse(localStorage.getItem(k)).length).reduce((a, b) => a + b, 0)"


@pytest.fixture
def circle_thread(server):
    """A cohort of five new learners in one circle; return its thread's public id."""
    with server.app.app_context():
        known = accounts.get_user_by_username("zara")  # the server is shared by the tests of this module
        if known is not None:
            return queries.circle_thread(circles.current_membership(known.id).circle_id).public_id
    return make_circle(server, "tabara", "Circle test", ("zara", "yaye", "oumou", "penda", "selly"))


def recorded(server, body):
    with server.app.app_context():
        return db.session.execute(db.select(db.func.count(Post.id)).filter_by(body=body)).scalar_one()


def test_a_reply_written_offline_is_recorded_once_online(context, page, server, circle_thread):
    sign_in(page, "zara")
    page.goto(f"/community/threads/{circle_thread}")
    expect(page.locator("h1")).to_contain_text("Circle")
    go_offline(context, page)
    page.fill("textarea[name=body]", "Écrit sans réseau au marché")
    page.click("form.post-form button.primary")
    expect(page.locator("form.post-form + .flash")).to_contain_text("kept on this phone")
    assert page.evaluate(QUEUE) == 1
    assert recorded(server, "Écrit sans réseau au marché") == 0

    go_online(context)
    deadline = time.monotonic() + 15
    while recorded(server, "Écrit sans réseau au marché") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    page.wait_for_timeout(300)  # the page reloads itself once its post is in
    page.goto(f"/community/threads/{circle_thread}")
    expect(page.locator("ol.posts li")).to_have_count(1)
    expect(page.locator("ol.posts")).to_contain_text("Écrit sans réseau au marché")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a second signal sends nothing more
    page.wait_for_timeout(500)
    assert page.evaluate(QUEUE) == 0
    assert recorded(server, "Écrit sans réseau au marché") == 1


def test_signing_out_with_posts_still_waiting_asks_first(context, page, server, circle_thread):
    sign_in(page, "yaye")
    page.goto(f"/community/threads/{circle_thread}")
    go_offline(context, page)
    page.fill("textarea[name=body]", "Pas encore envoyé")
    page.click("form.post-form button.primary")
    expect(page.locator("form.post-form + .flash")).to_contain_text("kept on this phone")
    page.route("**/api/v1/posts", lambda route: route.abort())  # the centre's server cannot take it yet
    go_online(context, page)
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_timeout(800)
    assert questions and "not been sent" in questions[0]
    assert page.evaluate(QUEUE) == 1  # she said no: still signed in, the post still waits
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.once("dialog", lambda dialog: answer(dialog, True))
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    assert len(questions) == 2 and page.evaluate(QUEUE) == 0
    assert recorded(server, "Pas encore envoyé") == 0
