"""One phone, several learners: after she signs out, the next person sees nothing of hers."""
import pytest

from tests.browser.helpers import go_offline, go_online, open_menu, sign_in, wait_until_saved

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PAGES_KEPT = "caches.open('lms-pages').then(c => c.keys()).then(keys => keys.map(k => new URL(k.url).pathname))"


def test_after_she_signs_out_the_next_person_sees_none_of_her_pages(context, page, server):
    sign_in(page, "coumba")
    page.goto("/paths/market")
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("Saved on this phone", timeout=30000)
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    expect(page.locator("header")).to_contain_text("Coumba Diop")
    marker = page.get_attribute('meta[name="lms-user"]', "content")

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    assert page.evaluate(PAGES_KEPT) == []
    assert page.evaluate("caches.has('lms-media')") is False
    assert page.evaluate("marker => lmsStore.savedPaths(marker)", marker) == []

    # Online: her pages need her password.
    page.goto("/my-learning")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.goto("/lessons/market-closing")
    expect(page.locator("body")).not_to_contain_text("Coumba")

    # Offline: nothing of hers is left on the phone.
    go_offline(context, page)
    for path in ("/my-learning", "/paths/market", "/lessons/market-prices", "/"):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert "Coumba" not in page.content(), path
    page.go_back()
    assert "Coumba" not in page.content()

    # The next person signs in: the phone lists nothing saved for her.
    go_online(context, page)
    sign_in(page, "dior")
    go_offline(context, page)
    page.goto("/lessons/market-stall")
    expect(page.locator("h1")).to_have_text("You are offline")
    expect(page.locator("#offline-empty")).to_be_visible()
    assert "Coumba" not in page.content()


def test_signing_out_offline_waits_for_the_network_so_nothing_is_lost(context, page, server):
    sign_in(page, "fanta")
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    go_offline(context, page)
    page.get_by_role("button", name="I have finished this lesson").click()
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".offline-status")).to_contain_text("Sign out when you are back online")
    expect(page.locator("header")).to_contain_text("Fanta Cissé")

    go_online(context, page)
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    assert server.events("fanta", "lesson_completed", "market-closing") == 1
