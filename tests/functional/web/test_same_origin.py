"""Nothing from another host, ever: no page a learner or an admin sees refers to another origin."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests import factories
from tests.conftest import reset_database

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)")
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "manifest"}
NOT_PAGES = ("/static/", "/media/", "/sign-out", "/offline/strings/")
HOST = "localhost"


class References(HTMLParser):
    """Collect every URL a page refers to (attributes, inline CSS), and those worth visiting next."""

    def __init__(self):
        super().__init__()
        self.urls, self.follow, self._in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls += [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]
            if name == "style" and value:
                self.urls += CSS_URL.findall(value)
        if tag in ("a", "link") and attributes.get("href"):
            self.follow.append(attributes["href"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.urls += CSS_URL.findall(data)


def foreign(url):
    parts = urlsplit(url)
    if parts.scheme in ("data", "mailto", "tel"):
        return False
    return parts.scheme not in ("", "http", "https") or parts.netloc not in ("", HOST)


def refers_to(response):
    """Return (URLs the response refers to, URLs to visit next)."""
    body = response.get_data(as_text=True)
    if response.mimetype == "text/css":
        return CSS_URL.findall(body), []
    if response.mimetype == "application/manifest+json":
        manifest = json.loads(body)
        return [manifest["start_url"], manifest["scope"]] + [icon["src"] for icon in manifest["icons"]], []
    if response.mimetype != "text/html":
        return [], []
    parser = References()
    parser.feed(body)
    return parser.urls, parser.follow


def crawl(client, starts, limit=150):
    """Visit the pages and stylesheets reachable from these; return {page: [foreign URLs]} and what was seen."""
    queue, seen, found = list(starts), set(), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            continue  # a download, not a page: the path file (tests/unit/offline) posts to the address for phones
        urls, follow = refers_to(response)
        if [url for url in urls if foreign(url)]:
            found[path] = [url for url in urls if foreign(url)]
        for url in follow:
            parts = urlsplit(urljoin("http://localhost" + path, url))
            page = not parts.path.startswith(NOT_PAGES)
            if not foreign(url) and (page or parts.path.endswith(".css")):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found, seen


def test_no_page_of_a_learner_refers_to_another_host(client, course, learner, sign_in):
    sign_in("mariam")
    client.get("/lessons/market-stall")
    found, seen = crawl(client, ["/", "/paths", "/my-learning", "/account", "/offline", "/verify", "/sw.js"])
    assert found == {}
    assert {"/lessons/market-stall", "/paths/market", "/manifest.webmanifest"} <= seen
    assert any(path.startswith("/static/css/") for path in seen)


def test_no_page_of_an_admin_refers_to_another_host(client, course, admin, learner, sign_in):
    sign_in("amina")
    found, seen = crawl(client, ["/", "/admin/users", f"/admin/users/{learner.id}", "/account"])
    assert found == {}
    assert f"/admin/users/{learner.id}" in seen and "/paths/market" in seen


def test_the_stylesheet_loads_nothing_from_elsewhere(app):
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert [url for url in CSS_URL.findall(css) if foreign(url)] == []
    assert "@import" not in css


def test_the_check_would_catch_a_page_that_loads_from_elsewhere(make_app):
    app = make_app()

    @app.get("/leaky")
    def leaky():
        return ('<link rel="stylesheet" href="//cdn.example.org/a.css"><img src="https://cdn.example.org/b.png">'
                '<p style="background:url(http://cdn.example.org/c.png)">')

    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        found, _seen = crawl(app.test_client(), ["/leaky"])
    assert found == {"/leaky": ["//cdn.example.org/a.css", "https://cdn.example.org/b.png",
                                "http://cdn.example.org/c.png"]}
