"""Every page a person of each role can reach, on a small phone, in French and English.

The crawl signs in as each role of the demo programme, follows the site's own links
(bounded: two pages of each route, e.g. two lessons; skipping downloads and sign-out) and
on every page checks what a phone user meets first: no sideways scroll at 360 px, at
320 px and with text at 200 %; a compact header; tap targets of at least 44 x 44 CSS px;
and no axe-core violation of WCAG 2.1 A/AA. axe-core is read from ./node_modules (`make
test` installs it with npm), never from the network; without it the axe part is skipped
and says so.
"""
import json
import re
import subprocess
from collections import Counter, deque
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.browser.conftest import LMS, Server

# One page per route and query (two of each, e.g. two lessons), 5 roles x 2 languages, each page at 360 px,
# 320 px and 200 % text with axe: about five minutes on two cores, part of `make test`.
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ROLES = {"visitor": None, "learner": "awa.ndiaye", "mentor": "aissatou.diop", "trainer": "mariama.ba",
         "admin": "coordination"}
START = ["/", "/search?q=site", "/sign-in", "/sign-in/code", "/verify",  # pages no menu links to
         "/offline", "/admin/backups", "/sync/", "/programme/"]  # and pages linked only in some states
PAGES_PER_ROLE = 100
SAME_SHAPE = 2  # pages of one route (e.g. /lessons/<slug>) with the same query names, per role and language
SKIP = re.compile(r"/sign-out|/language|/sw\.js|/manifest|/api/|/media/|/uploads/|/static/|\.csv$|\.crt$|\.gif$"
                  r"|/offline/paths/[^/]+/file|/offline/strings|/healthz")
TAP_TARGETS = """() => {
  const small = [];
  const inText = el => {
    // WCAG exempts a link inside a sentence: its size is set by the line of text around it.
    const block = el.closest('p, li, dd, td, figcaption, blockquote, small');
    return el.tagName === 'A' && block && block.textContent.trim().length > el.textContent.trim().length + 2;
  };
  for (const el of document.querySelectorAll(
      'main a[href], main button, main input, main select, main textarea, main summary, '
      + 'header a[href], header button, header input, header select, header summary')) {
    if (el.type === 'hidden' || el.closest('[hidden]')) continue;
    let box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;  // not shown (closed menu, print-only)
    if (inText(el)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    if (box.width < 43.5 || box.height < 43.5)
      small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || '').trim().slice(0, 30)}" `
                 + `${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.closest('.table-scroll, .grid-wrap, pre'));
  const culprit = wide.find(el => ![...el.children].some(c => wide.includes(c))) || wide[0];
  return `${document.documentElement.scrollWidth}px wide`
    + (culprit ? ` (${culprit.tagName.toLowerCase()}.${culprit.className}: "${culprit.textContent.trim().slice(0, 40)}")` : '');
}"""


class DemoSite(Server):
    """The real courses and the demo programme (`lms demo`): every screen populated, every role present."""

    def prepare(self):
        subprocess.run([LMS, "init"], env=self.env, check=True, capture_output=True)
        subprocess.run([LMS, "import-courses", str(ROOT / "courses")], env=self.env, check=True, capture_output=True)
        made = subprocess.run([LMS, "demo", "--json"], env=self.env, check=True, capture_output=True, text=True)
        self.passwords = {a["username"]: a["password"] for a in json.loads(made.stdout)["accounts"]}

    def head_is_html(self, page, link):
        """Tell whether a link leads to a page (not a download), asking with HEAD and her cookies."""
        response = page.request.head(self.base + link, max_redirects=0)
        return response.status < 400 and "text/html" in response.headers.get("content-type", "")


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    site = DemoSite(tmp_path_factory.mktemp("crawl-site"))
    site.prepare()
    site.start()
    yield site
    site.stop()


def shape(demo, link):
    """Return the route a link leads to: /lessons/website-plan and /lessons/social-goals are one page twice."""
    path, query = urlsplit(link).path, urlsplit(link).query
    try:
        endpoint, _ = demo.app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # a redirect or an unknown address: its path is its own shape
        endpoint = path
    return endpoint, tuple(sorted({name for name, _ in parse_qsl(query)}))


def crawl(page, demo, visit, broken):
    """Visit same-origin pages breadth-first from the start pages, calling visit(page, path) on each HTML page."""
    seen, queue, shapes, visited = set(START), deque(START), Counter(), 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(path)
        if response is not None and response.status >= 500:
            broken.append(f"{path}: server error {response.status}")
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if urlsplit(page.url).path.startswith("/sign-in") and path != "/sign-in":
            continue  # a page she may not see sends her to sign in: nothing new to look at
        visited += 1
        visit(page, path)
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)"):
            href = urldefrag(href).url
            if not href.startswith(demo.base):
                continue
            link = href[len(demo.base):] or "/"
            if link in seen or SKIP.search(urlsplit(link).path):
                continue
            seen.add(link)
            key = shape(demo, link)
            if shapes[key] >= SAME_SHAPE:
                continue
            shapes[key] += 1
            if demo.head_is_html(page, link):
                queue.append(link)
    return visited


def look(page, path, findings, axe):
    """Check one page at 360 px, 320 px and 200 % text; collect what is wrong in findings."""
    found = findings.setdefault(path, [])
    page.set_viewport_size({"width": 360, "height": 740})
    if problem := page.evaluate(SIDEWAYS):
        found.append(f"sideways scroll at 360 px: {problem}")
    header = page.evaluate("() => document.querySelector('header.top').getBoundingClientRect().height")
    if header > 740 * 0.2:
        found.append(f"header {header:.0f} px tall at 360 px (more than a fifth of the screen)")
    page.evaluate("() => document.querySelectorAll('header details').forEach(d => d.open = true)")
    if small := page.evaluate(TAP_TARGETS):
        found.append(f"tap targets under 44 x 44 px: {', '.join(small)}")
    page.evaluate("() => document.querySelectorAll('header details').forEach(d => d.open = false)")
    if axe:
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
            'wcag21aa']}, resultTypes: ['violations']}).then(r => r.violations.map(v => v.id + ': '
            + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))""")
        found.extend(f"axe {violation}" for violation in result)
    page.set_viewport_size({"width": 320, "height": 640})
    if problem := page.evaluate(SIDEWAYS):
        found.append(f"sideways scroll at 320 px: {problem}")
    page.set_viewport_size({"width": 360, "height": 740})
    page.evaluate("() => document.documentElement.style.fontSize = '200%'")
    if problem := page.evaluate(SIDEWAYS):
        found.append(f"sideways scroll at 200 % text: {problem}")
    header = page.evaluate("() => document.querySelector('header.top').getBoundingClientRect().height")
    if header > 740 * 0.4:
        found.append(f"header {header:.0f} px tall with 200 % text (more than 40 % of the screen)")
    page.evaluate("() => document.documentElement.style.fontSize = ''")
    if not found:
        del findings[path]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_small_phone_and_passes_axe(browser, demo, role, language):
    context = browser.new_context(base_url=demo.base, locale="fr-FR" if language == "fr" else "en-US",
                                  viewport={"width": 360, "height": 740}, service_workers="block",
                                  bypass_csp=True)  # to inject axe-core
    context.set_default_timeout(15000)
    if AXE.exists():
        context.add_init_script(path=str(AXE))  # once for the whole crawl: faster than a script tag per page
    page = context.new_page()
    try:
        if username := ROLES[role]:
            page.goto("/sign-in")
            page.fill("#username", username)
            page.fill("#password", demo.passwords[username])
            page.click("main form.card button.primary")
            page.wait_for_url(lambda url: "/sign-in" not in url)
        page.goto("/")
        page.locator("header summary").click()
        page.locator(f"form.lang button[value={language}]").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == language
        findings, broken = {}, []
        visited = crawl(page, demo, lambda p, path: look(p, path, findings, AXE.exists()), broken)
        assert not broken, broken
        assert visited >= (4 if role == "visitor" else 8), f"the crawl reached only {visited} pages"
        assert not findings, "\n" + "\n".join(f"{path}: {problem}" for path, problems in findings.items()
                                              for problem in problems)
    finally:
        context.close()
    if not AXE.exists():
        pytest.skip(f"the layout checks passed; the axe-core checks were skipped: {AXE} is missing "
                    "(npm install --no-save axe-core@4)")
