"""She saves a path with its lessons read aloud, leaves the centre's Wi-Fi, and still listens to them; with save data
the recordings are offered unticked, and she can add them later."""
import re
import subprocess

import pytest

from tests.audio_samples import tone
from tests.browser.conftest import LMS, Server
from tests.browser.helpers import go_offline, sign_in, wait_until

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
AUDIO_KEPT = "caches.open('lms-media').then(c => c.keys()).then(keys => keys.map(k => new URL(k.url).pathname))"


class ServerWithRecordings(Server):
    """The test site, whose stall lesson (English) and prices lesson (French only) are read aloud."""

    def prepare(self):
        super().prepare()
        courses = self.instance / "courses" / "01-market"
        for lesson, seconds in (("01-stall.en.md", 4), ("02-prices.fr.md", 3)):
            text = (courses / lesson).read_text()
            name = lesson.replace(".md", ".m4a")
            (courses / lesson).write_text(re.sub(r"^---\nid: ([\w-]+)\n", rf"---\nid: \1\naudio: {name}\n", text,
                                                 count=1))
            (courses / name).write_bytes(tone("m4a", seconds=seconds))
        subprocess.run([LMS, "import-courses", str(self.instance / "courses")], env=self.env, check=True,
                       capture_output=True)


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    site = ServerWithRecordings(tmp_path_factory.mktemp("browser-site-audio"))
    site.prepare()
    site.start()
    yield site
    site.stop()


def recordings(page):
    """Return the path page's recordings, as the page gives them to its script."""
    heading = page.locator("h1[data-audio]")
    return heading.get_attribute("data-audio").split(), int(heading.get_attribute("data-audio-bytes"))


def test_a_path_saved_with_its_recordings_plays_them_offline(context, page):
    sign_in(page, "awa")
    page.goto("/paths/market")
    urls, total = recordings(page)
    assert len(urls) == 2
    expect(page.locator(".path-audio")).to_contain_text(f"2 lessons can be heard read aloud: {round(total / 1024)} KB")
    choice = page.get_by_label(re.compile(r"Include the recordings \(\d+ KB\)"))
    expect(choice).to_be_checked()
    page.get_by_role("button", name="Save this path for offline").click()
    expect(page.locator(".offline-save")).to_contain_text("With the recordings:", timeout=30000)
    assert set(urls) <= set(page.evaluate(AUDIO_KEPT))

    go_offline(context, page)
    page.goto("/lessons/market-stall")
    expect(page.locator("h1")).to_have_text("Your stall")
    player = page.locator(".lesson-audio audio")
    source = player.get_attribute("src")
    assert source in urls
    whole = page.evaluate("url => fetch(url).then(r => r.arrayBuffer().then(b => [r.status, b.byteLength]))", source)
    part = page.evaluate("""url => fetch(url, {headers: {Range: 'bytes=0-99'}})
        .then(r => r.arrayBuffer().then(b => [r.status, b.byteLength, r.headers.get('Content-Range')]))""", source)
    assert whole[0] == 200 and whole[1] > 1000
    assert part == [206, 100, f"bytes 0-99/{whole[1]}"]

    # The player itself, as she presses play: it asks the phone for ranges and plays.
    player.evaluate("audio => { audio.muted = true; audio.play(); }")
    page.wait_for_function("audio => audio.currentTime > 0.5 && audio.duration > 3.5", arg=player.element_handle(),
                           timeout=20000)


def test_with_save_data_the_recordings_are_left_unless_she_adds_them(context, page):
    sign_in(page, "sokhna")
    page.goto("/paths/market")
    urls, _total = recordings(page)
    expect(page.get_by_label(re.compile(r"Include the recordings"))).not_to_be_checked()
    page.get_by_role("button", name="Save this path for offline").click()
    add = page.get_by_role("button", name=re.compile(r"Add the recordings \(\d+ KB\)"))
    expect(add).to_be_visible(timeout=30000)
    assert not set(urls) & set(page.evaluate(AUDIO_KEPT))

    add.click()
    expect(page.locator(".offline-save")).to_contain_text("With the recordings:", timeout=30000)
    assert set(urls) <= set(page.evaluate(AUDIO_KEPT))
    page.get_by_role("button", name="Remove from this phone").click()
    expect(page.get_by_role("button", name="Save this path for offline")).to_be_visible()
    assert not set(urls) & set(page.evaluate(AUDIO_KEPT))


def test_a_recording_she_listened_to_online_plays_again_offline(context, page):
    sign_in(page, "binta")
    page.goto("/lessons/market-stall")
    player = page.locator(".lesson-audio audio")
    source = player.get_attribute("src")
    assert source not in page.evaluate(AUDIO_KEPT)  # opening the lesson fetched nothing: she has not pressed play
    player.evaluate("audio => { audio.muted = true; audio.play(); }")
    wait_until(page, f"() => {AUDIO_KEPT}.then(kept => kept.includes({source!r}))")

    go_offline(context, page)
    page.reload()
    player = page.locator(".lesson-audio audio")
    player.evaluate("audio => { audio.muted = true; audio.play(); }")
    page.wait_for_function("audio => audio.currentTime > 0.5", arg=player.element_handle(), timeout=20000)
