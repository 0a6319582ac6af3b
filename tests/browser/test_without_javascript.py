"""Without JavaScript (or in a proxy browser such as Opera Mini) everything works online through plain forms."""
import pytest

from tests.browser.helpers import PASSWORD, open_menu

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.base, locale="en-US", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_she_signs_in_reads_and_completes_a_lesson_without_javascript(page, server):
    page.goto("/sign-in")
    page.fill("#username", "ndeye")
    page.fill("#password", PASSWORD)
    page.click("main form.card button.primary")
    expect(page.locator("header")).to_contain_text("Ndèye Sarr")

    page.goto("/paths/market")
    expect(page.locator("h1")).to_have_text("Selling at the market")
    expect(page.get_by_role("button", name="Save this path for offline")).to_have_count(0)

    page.goto("/lessons/market-closing")
    page.get_by_role("button", name="I have finished this lesson").click()
    expect(page.get_by_text("Lesson completed. Well done!")).to_be_visible()
    assert server.events("ndeye", "lesson_completed", "market-closing") == 1

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
