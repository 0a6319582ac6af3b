"""Listen to this lesson: the phone's own voices read it aloud, in the lesson's language, and nothing else changes."""
import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

# The speech API, replaced by a recorder: Chromium in a test has no voices, and nothing may be spoken aloud.
FAKE_SPEECH = """
(() => {
  const voices = %s;
  window.__spoken = [];
  window.__cancelled = 0;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; this.rate = 1; };
  const synth = {
    getVoices: () => voices,
    speak(u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name, rate: u.rate});
               window.__current = u; },
    cancel() { window.__cancelled += 1; },
    pause() {}, resume() {},
    addEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.__finish = () => { const u = window.__current; window.__current = null; if (u && u.onend) u.onend({}); };
})();
"""
ENGLISH = '[{"name": "Ama", "lang": "en-GH", "localService": true, "default": true}]'
REMOTE_ONLY = '[{"name": "Cloud", "lang": "fr-FR", "localService": false, "default": true}]'
FRENCH = '[{"name": "Aminata", "lang": "fr-SN", "localService": true, "default": true}]'


def open_lesson(context, voices, path="/lessons/market-closing"):
    context.add_init_script(FAKE_SPEECH % voices)
    page = context.new_page()
    page.goto(path)
    return page


def test_listen_reads_the_lesson_in_its_language_sentence_by_sentence(context):
    page = open_lesson(context, FRENCH)  # a lesson in French, on a page in English: French is read
    listen = page.get_by_role("button", name="Listen")
    expect(listen).to_be_visible()
    listen.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "fr-SN" and spoken[0]["voice"] == "Aminata"
    assert spoken[0]["text"].strip() == page.locator("article.lesson h1").inner_text().strip()
    expect(page.locator(".listen-now")).to_have_count(1)  # the title, being read, is highlighted

    page.evaluate("window.__finish()")  # the first sentence ends: the next one is read and highlighted
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 2 and spoken[1]["text"].strip()
    expect(page.locator(".listen-now").first).to_contain_text(spoken[1]["text"].strip().split(" ")[0])

    page.get_by_role("button", name="Pause").click()  # paused: nothing more is read
    page.evaluate("window.__finish()")
    assert len(page.evaluate("window.__spoken")) == 2
    page.get_by_label("Speed").select_option("1.5")
    page.get_by_role("button", name="Resume").click()  # from the sentence she paused in, faster
    spoken = page.evaluate("window.__spoken")
    assert spoken[2]["text"] == spoken[1]["text"] and spoken[2]["rate"] == 1.5

    page.get_by_role("button", name="Stop").click()
    expect(page.locator(".listen-now")).to_have_count(0)
    expect(page.get_by_role("button", name="Listen")).to_be_visible()


def test_no_listen_button_without_a_voice_for_the_lessons_language(context):
    page = open_lesson(context, ENGLISH)  # a French lesson on an English page, a phone with an English voice only
    expect(page.locator("article.lesson h1")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)


def test_voices_that_need_the_network_are_not_used(context):
    page = open_lesson(context, REMOTE_ONLY)
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)
