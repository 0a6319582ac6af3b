"""A phone on the centre's Wi-Fi trusts the centre once, then keeps lessons offline over its own HTTPS.

The server answers at a LAN name (lms.centre, mapped to 127.0.0.1 inside Chromium); the
phone's trust store is a throwaway NSS database in a temporary HOME, where the test puts
the authority it downloaded from /ca.crt, as a learner installs it on her phone.
"""
import os
import shutil
import subprocess
import urllib.request

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, free_port
from tests.browser.helpers import go_offline, go_online, queued, sign_in, wait_until_sent

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
NAME = "lms.centre"


class CentreServer(Server):
    """`lms serve --https-port`, with SITE_URL naming the centre as phones know it."""

    def __init__(self, instance):
        super().__init__(instance)
        self.https_port = free_port()
        self.serve_args = ("--https-port", str(self.https_port))
        self.env["LMS_SITE_URL"] = f"http://{NAME}:{self.port}"
        self.http = f"http://{NAME}:{self.port}"
        self.https = f"https://{NAME}:{self.https_port}"


@pytest.fixture(scope="module")
def centre(browser, tmp_path_factory):
    site = CentreServer(tmp_path_factory.mktemp("centre-https"))
    site.prepare()
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def phones(browser, centre, tmp_path_factory):
    """Launch Chromium as a phone that trusts the centre (trusted=True) or not, each with its own HOME."""
    if not shutil.which("certutil"):
        pytest.skip("certutil is missing (Debian package libnss3-tools)")
    with urllib.request.urlopen(f"http://127.0.0.1:{centre.port}/ca.crt", timeout=5) as response:
        assert response.headers.get_content_type() == "application/x-x509-ca-cert"
        authority = response.read()
    launched = {}

    def phone(trusted):
        if trusted not in launched:
            home = tmp_path_factory.mktemp("phone-home")
            database = home / ".pki" / "nssdb"
            database.mkdir(parents=True)
            subprocess.run(["certutil", "-d", f"sql:{database}", "-N", "--empty-password"], check=True)
            if trusted:
                (home / "ca.crt").write_bytes(authority)
                subprocess.run(["certutil", "-d", f"sql:{database}", "-A", "-t", "C,,", "-n", "lms",
                                "-i", str(home / "ca.crt")], check=True)
            launched[trusted] = browser.browser_type.launch(
                executable_path=CHROMIUM, env={**os.environ, "HOME": str(home)},
                args=CHROMIUM_ARGS + [f"--host-resolver-rules=MAP {NAME} 127.0.0.1"])
        return launched[trusted]

    yield phone
    for phone_browser in launched.values():
        phone_browser.close()


def new_phone(phones, trusted, base):
    context = phones(trusted).new_context(base_url=base, locale="en-US")
    context.set_default_timeout(20000)
    return context


def test_over_plain_http_at_a_lan_name_no_service_worker_registers(phones, centre):
    context = new_phone(phones, True, centre.http)
    page = context.new_page()
    sign_in_without_worker(page, "fanta")
    page.goto("/paths/market")
    assert page.evaluate("() => window.isSecureContext") is False
    assert page.evaluate("() => 'serviceWorker' in navigator") is False
    expect(page.get_by_role("button", name="Save this path for offline")).to_have_count(0)
    context.close()


def test_a_phone_that_trusts_the_centre_keeps_a_path_and_its_progress_offline(phones, centre):
    context = new_phone(phones, True, centre.https)
    page = context.new_page()
    sign_in(page, "ndeye")  # waits until the service worker controls the page
    assert page.evaluate("() => location.origin") == centre.https
    page.goto("/paths/market")
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("Saved on this phone for offline reading", timeout=30000)

    go_offline(context, page)
    page.goto("/lessons/market-closing")  # never opened before: it comes from the saved path
    expect(page.locator("h1")).to_have_text("Fermer l'étal")
    page.get_by_role("button", name="I have finished this lesson").click()
    expect(page.locator(".lesson-done")).to_contain_text("Saved on this phone")
    assert "lesson_completed" in [event["type"] for event in queued(page)]
    assert centre.events("ndeye", "lesson_completed") == 0

    go_online(context, page)
    wait_until_sent(page)
    page.reload()
    expect(page.locator(".lesson-done")).to_contain_text("You completed this lesson")
    assert centre.events("ndeye", "lesson_completed", "market-closing") == 1
    context.close()


@pytest.mark.parametrize("trusted, answer", [(True, "This phone trusts the centre"),
                                             (False, "This phone does not trust the centre yet")])
def test_the_check_button_tells_whether_the_phone_trusts_the_centre(phones, centre, trusted, answer):
    context = new_phone(phones, trusted, centre.http)
    page = context.new_page()
    page.goto("/keep-lessons")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.get_by_role("link", name="Download the centre's certificate")).to_have_attribute("href", "/ca.crt")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".trust-check [role=status]")).to_contain_text(answer)
    context.close()


def sign_in_without_worker(page, username):
    from tests.browser.helpers import PASSWORD

    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form.card button.primary")
    page.wait_for_url(lambda url: "/sign-in" not in url)
