"""A learner's phone leaves the centre's Wi-Fi: she keeps reading and learning, and her progress arrives once."""
import pytest

from tests.browser.helpers import (go_offline, go_online, queued, sign_in, wait_for_worker, wait_until_saved,
                                   wait_until_sent)

pytestmark = pytest.mark.browser
PAGES_KEPT = "caches.open('lms-pages').then(c => c.keys()).then(keys => keys.map(k => new URL(k.url).pathname))"
expect = pytest.importorskip("playwright.sync_api").expect


def test_a_lesson_she_opened_still_shows_offline(context, page):
    sign_in(page, "mariam")
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    go_offline(context)
    page.reload()
    expect(page.locator("h1")).to_have_text("Fermer l'étal")
    expect(page.locator(".content")).to_contain_text("comptez la caisse")


def test_a_saved_path_can_be_read_offline_with_its_images(context, page):
    sign_in(page, "awa")
    page.goto("/paths/market")
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("Saved on this phone for offline reading", timeout=30000)
    go_offline(context)
    page.goto("/lessons/market-prices")  # never opened before
    expect(page.locator("h1")).to_have_text("Les prix")
    page.goto("/lessons/market-stall")
    expect(page.locator("h1")).to_have_text("Your stall")
    image = page.locator(".content img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    go_online(context)
    page.goto("/paths/market")
    page.get_by_role("button", name="Remove from this phone").click()
    expect(page.get_by_role("button", name="Save this path for offline")).to_be_visible()
    assert page.evaluate(PAGES_KEPT) == []
    assert page.evaluate("caches.open('lms-media').then(c => c.keys()).then(keys => keys.length)") == 0


def test_with_save_data_the_images_of_a_saved_path_show_offline_when_she_taps_them(context, page):
    sign_in(page, "sokhna")
    page.goto("/paths/market")
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("Saved on this phone", timeout=30000)
    go_offline(context)
    page.goto("/lessons/market-stall")
    expect(page.locator(".content img")).to_have_count(0)
    page.get_by_role("link", name="Show image").click()
    page.wait_for_function("() => document.images.length === 1 && document.images[0].naturalWidth === 720")


def test_a_lesson_she_did_not_save_shows_the_offline_page_listing_what_is_saved(context, page):
    sign_in(page, "khady")
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    go_offline(context)
    page.goto("/lessons/market-prices")
    expect(page.locator("h1")).to_have_text("You are offline")
    expect(page.locator("#offline-list")).to_contain_text("Fermer l'étal")
    page.get_by_role("link", name="Fermer l'étal").click()
    expect(page.locator("h1")).to_have_text("Fermer l'étal")


def test_a_lesson_completed_offline_is_recorded_exactly_once(context, page, server):
    sign_in(page, "aicha")
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    go_offline(context, page)
    page.get_by_role("button", name="I have finished this lesson").click()
    expect(page.locator(".lesson-done")).to_contain_text("Saved on this phone")
    assert [event["type"] for event in queued(page)] == ["lesson_completed"]
    assert server.events("aicha", "lesson_completed") == 0

    go_online(context, page)
    wait_until_sent(page)
    expect(page.locator(".offline-status")).to_contain_text("has been sent")
    page.reload()
    expect(page.locator(".lesson-done")).to_contain_text("You completed this lesson")
    assert server.events("aicha", "lesson_completed", "market-closing") == 1


def test_a_form_posted_when_the_network_fails_is_kept_by_the_service_worker(context, page, server):
    sign_in(page, "dior")
    page.goto("/lessons/market-closing")
    wait_until_saved(page, "/lessons/market-closing")
    # The phone believes it is online (weak Wi-Fi), so the form really posts, and fails.
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    go_offline(context)
    page.get_by_role("button", name="I have finished this lesson").click()
    expect(page.locator(".lesson-done")).to_contain_text("Saved on this phone")
    # The worker kept the form and showed her the lesson from the phone, which counts as opening it.
    assert sorted(event["type"] for event in queued(page)) == ["lesson_completed", "lesson_opened"]

    go_online(context, page)
    page.reload()
    wait_until_sent(page)
    assert server.events("dior", "lesson_completed", "market-closing") == 1


def test_progress_the_server_refuses_is_shown_to_her_until_she_dismisses_it(context, page, server):
    sign_in(page, "rama")
    page.goto("/lessons/market-closing")
    page.evaluate("""() => lmsStore.addEvent({id: lmsStore.uuid(), type: "lesson_completed", lesson: "market-gone",
        at: new Date().toISOString(), data: {}, user: document.querySelector('meta[name="lms-user"]').content})""")
    page.reload()
    refused = page.locator(".offline-status .flash-error")
    expect(refused).to_contain_text("This progress was not recorded:")
    expect(refused).to_contain_text("market-gone — unknown lesson")
    refused.get_by_role("button", name="Dismiss").click()
    expect(refused).to_have_count(0)
    page.reload()
    expect(page.locator(".offline-status")).to_have_count(0)


def test_progress_kept_on_the_phone_survives_closing_the_page(context, page, server):
    sign_in(page, "binta")
    page.goto("/lessons/market-prices")
    wait_until_saved(page, "/lessons/market-prices")
    go_offline(context, page)
    page.get_by_label("Oui, sur une ardoise").check()
    page.get_by_label("Oui, dans le catalogue WhatsApp").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator(".quiz")).to_contain_text("Saved on this phone")
    page.close()

    page = context.new_page()
    page.goto("/lessons/market-prices")  # offline: from the phone, which notes that she opened it
    expect(page.locator(".offline-status")).to_contain_text("waiting to be sent: 2")
    assert sorted(event["type"] for event in queued(page)) == ["lesson_opened", "quiz_answered"]
    page.close()

    page = context.new_page()
    go_online(context)
    page.goto("/paths/market")
    wait_for_worker(page)
    wait_until_sent(page)
    assert server.attempts("binta") == 1
    assert server.events("binta", "quiz_answered", "market-prices") == 1
    assert server.events("binta", "lesson_opened", "market-prices") == 2  # once online, once offline
    page.goto("/lessons/market-prices")
    expect(page.locator(".lesson-done")).to_contain_text("You completed this lesson")
