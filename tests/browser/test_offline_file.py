"""She takes a path home as one file over the centre's plain-HTTP Wi-Fi, learns in it offline, and sends her progress.

No certificate anywhere: the server is reached by a LAN name (lms.centre, mapped to
127.0.0.1 inside Chromium) over plain HTTP, and the file is opened from disk (file://).
"""
import re

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
NAME = "lms.centre"


@pytest.fixture(scope="module")
def phone(browser):
    """Chromium as a phone on the centre's Wi-Fi, where the server is called lms.centre."""
    lan = browser.browser_type.launch(executable_path=CHROMIUM,
                                      args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"])
    yield lan
    lan.close()


@pytest.fixture
def context(phone, server):
    context = phone.new_context(base_url=f"http://{NAME}:{server.port}", locale="en-US", accept_downloads=True)
    context.set_default_timeout(15000)
    yield context
    context.close()


def recorded(server, username):
    """Return what the server holds for her: completions of market-closing, answers to market-prices, attempts."""
    return (server.events(username, "lesson_completed", "market-closing"),
            server.events(username, "quiz_answered", "market-prices"), server.attempts(username))


def sign_in_on_wifi(page, username):
    """Sign in through the form over plain HTTP (no service worker to wait for)."""
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form.card button.primary")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_she_takes_a_path_home_as_a_file_and_sends_her_progress_once(context, server, tmp_path):
    page = context.new_page()
    sign_in_on_wifi(page, "mariam")
    before = recorded(server, "mariam")  # other stories of the session may have met her already
    page.goto("/paths/market")
    link = page.get_by_role("link", name="Download this path")
    expect(link).to_have_text(re.compile(r"Download this path \(\d+ KB\)"))
    with page.expect_download() as downloaded:
        link.click()
    assert downloaded.value.suggested_filename.startswith("market-en-")
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)

    # At home: no network; she opens the file from her Downloads.
    context.set_offline(True)
    requests = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(saved.as_uri())
    expect(page.locator("h1")).to_have_text("Selling at the market")
    expect(page.get_by_text("Made for Mariam Camara on")).to_be_visible()
    expect(page.get_by_text("open this file in a browser with JavaScript turned on")).to_be_hidden()
    page.wait_for_function("img => img.complete && img.naturalWidth === 720",
                           arg=page.locator("#lesson-market-stall img").element_handle())

    closing = page.locator("#lesson-market-closing")
    closing.get_by_role("button", name="I have finished this lesson").click()
    expect(closing.locator(".lesson-done")).to_have_text("You completed this lesson.")
    prices = page.locator("#lesson-market-prices")
    prices.get_by_label("Oui, sur une ardoise").check()
    prices.get_by_role("button", name="Check my answers").click()
    expect(prices.locator(".check-result")).to_contain_text("Your answers: 0% right.")
    prices.get_by_label("Oui, dans le catalogue WhatsApp").check()
    prices.get_by_role("button", name="Check my answers").click()
    expect(prices.locator(".check-result")).to_contain_text("Your answers: 100% right. Passed.")
    expect(page.locator("[data-done-tag='market-prices']")).to_be_visible()
    assert requests == [saved.as_uri()]

    # Closing and opening the file again keeps her ticks and answers.
    page.reload()
    expect(page.locator("#lesson-market-closing .lesson-done")).to_have_text("You completed this lesson.")
    expect(page.locator("#lesson-market-prices .check-result")).to_contain_text("100% right")
    expect(page.locator(".send .pending")).to_contain_text("3")
    assert recorded(server, "mariam") == before

    # Back at the centre: she sends her progress, twice.
    context.set_offline(False)
    page.get_by_role("button", name="Send my progress to the centre").click()
    page.wait_for_url(f"http://{NAME}:{server.port}/offline/progress")
    expect(page.locator("main")).to_contain_text("1 lesson completed")
    expect(page.locator("main")).to_contain_text("2 knowledge checks graded")
    expect(page.locator("main")).to_contain_text("Les prix: 100% right — Passed.")
    page.go_back()
    page.get_by_role("button", name="Send my progress to the centre").click()
    page.wait_for_url(f"http://{NAME}:{server.port}/offline/progress")
    expect(page.locator("main")).to_contain_text("3 steps were already recorded: each counts once.")
    expect(page.locator("main")).not_to_contain_text("lesson completed\n")
    assert recorded(server, "mariam") == (before[0] + 1, before[1] + 2, before[2] + 2)


def test_without_javascript_the_file_still_reads(phone, server, tmp_path, context):
    page = context.new_page()
    sign_in_on_wifi(page, "khady")
    with page.expect_download() as downloaded:
        page.goto("/paths/market")
        page.get_by_role("link", name="Download this path").click()
    saved = tmp_path / "market.html"
    downloaded.value.save_as(saved)
    reader = phone.new_context(java_script_enabled=False, offline=True)
    page = reader.new_page()
    page.goto(saved.as_uri())
    expect(page.locator("#lesson-market-closing")).to_contain_text("comptez la caisse")
    expect(page.get_by_text("open this file in a browser with JavaScript turned on")).to_be_visible()
    expect(page.get_by_role("button", name="I have finished this lesson")).to_have_count(0)
    expect(page.get_by_role("button", name="Send my progress to the centre")).to_have_count(0)
    page.get_by_role("link", name="Les prix").click()
    assert page.url.endswith("#lesson-market-prices")
    reader.close()
