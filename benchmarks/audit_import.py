"""Read imported foreign lessons page by page, as a learner and as a trainer, and count what is wrong.

Each source folder is imported into a fresh instance (`lms init`, `import-courses --check`, then for
real); then every lesson of the paths it brought is rendered through the app (whole, and each step),
and its HTML is inspected for what a reader would notice: raw markup left, broken images, links and
anchors, altered code, empty boxes, doubled titles, instructor notes shown to learners, tables that
do not scroll, a wrong Contents box. Problems are printed by kind, with the first examples.

Run: .venv/bin/python benchmarks/audit_import.py [FOLDER ...]   (default: each folder of ../shared/corpora)
     add -v to print every problem instead of the first three of each kind.
"""
import re
import sys
import tempfile
import time
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import os
import subprocess

from _server import LMS, ROOT

sys.path.insert(0, str(ROOT))

RAW_MARKUP = (":::", "]{", "{:", "--8<--", "{{#", "{{", "{%", 'markdown="1"', "###", "```", "~~~", "<!--", "-->")
ESCAPED_TAG = re.compile(r"</?(div|span|img|a|p|br|iframe|details|summary|table|section|figure)\b[^>]*>", re.I)
MARKDOWN_LEFT = re.compile(r"\*\*\S[^*\n]{0,40}\*\*|\[[^\]\n]{1,60}\]\([^)\s]+\)")
ATTR_LIST = re.compile(r"\{\s*:?\s*[#.][A-Za-z][\w-]*[^{}\n]*\}")
BOX = re.compile(r"\bblock\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PHONE_PX, CHAR_PX, CELL_PADDING_PX = 360, 8, 16


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def find(self, tag=None, cls=None):
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())]

    def texts_outside(self, tags=("code", "pre", "script", "style")):
        """The text nodes not inside code (what a reader sees as prose)."""
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag not in tags:
                yield from child.texts_outside(tags)


class Tree(HTMLParser):
    """A forgiving DOM of a page: enough to ask where things are."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#root", {}, None)
        self.comments = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_endtag(self, tag):
        for open_node in [self.node, *self.node.ancestors()]:
            if open_node.tag == tag:
                self.node = open_node.parent or self.root
                return

    def handle_data(self, data):
        self.node.children.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def lms(instance, *args, check=True):
    """Run an `lms` command on the audit's instance; a refused import is a result, not a crash."""
    return subprocess.run([LMS, *args], text=True, capture_output=True, check=check,
                          env={**os.environ, "LMS_INSTANCE_PATH": str(instance)})


def code_in(source):
    """Every code span and block of a Markdown source, as the author wrote it."""
    from lms.catalogue.foreign import parser

    codes = []
    for token in parser().parse(source):
        if token.type in ("fence", "code_block"):
            codes.append(token.content)
        for child in token.children or []:
            if child.type == "code_inline":
                codes.append(child.content)
    return codes


def table_width(table):
    """A table's narrowest width in px: per column, its longest unbreakable word."""
    widths = defaultdict(int)
    for row in table.find("tr"):
        cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
        for i, cell in enumerate(cells):
            longest = max((len(w) for w in cell.text().split()), default=0)
            widths[i] = max(widths[i], longest * CHAR_PX + CELL_PADDING_PX)
    return sum(widths.values())


class Audit:
    def __init__(self, app, client_for):
        self.app, self.client_for = app, client_for
        self.problems = defaultdict(list)
        self.pages, self.fetched = {}, {}

    def problem(self, kind, where, what=""):
        self.problems[kind].append(f"{where}: {what}" if what else where)

    def get(self, role, url):
        key = (role, url)
        if key not in self.fetched:
            with self.app.app_context():  # its own context, as in production: no user cached in `g` across roles
                response = self.client_for[role].get(url, follow_redirects=True)
            self.fetched[key] = (response.status_code, response.content_type, response.get_data())
        return self.fetched[key]

    def page(self, role, url):
        status, _, body = self.get(role, url)
        html = body.decode("utf-8", "replace")
        return status, html, Tree(html)

    def lesson(self, lesson, text, source_root):
        where = f"{lesson.slug}[{text.language}]"
        url = f"/lessons/{lesson.slug}?step=all&lang={text.language}"
        status, learner_html, learner = self.page("learner", url)
        t_status, trainer_html, trainer = self.page("trainer", url)
        if t_status != 200:
            self.problem("page not shown to a trainer", where, str(t_status))
            return
        if status != 200:
            self.pages["trainers only"] = self.pages.get("trainers only", 0) + 1
        article = trainer.root.find("article", "lesson")[0]
        content = article.find("div", "content")[0]
        self.raw_markup(where, content, trainer)
        self.images(where, trainer.root)
        self.links(where, trainer.root, url)
        self.code(where, text, trainer_html, source_root)
        self.boxes(where, content)
        self.titles(where, article, content)
        self.tables(where, trainer.root)
        self.contents(where, article, content)
        if status == 200:
            self.instructor_notes(where, learner, learner_html, trainer)
        self.steps(lesson, text, where)

    def raw_markup(self, where, content, tree):
        prose = "".join(content.texts_outside())
        for raw in RAW_MARKUP:
            for match in re.finditer(re.escape(raw), prose):
                at = match.start()
                self.problem(f"raw markup {raw}", where, prose[max(0, at - 30):at + 30].replace("\n", " "))
        for match in MARKDOWN_LEFT.finditer(prose):
            self.problem("Markdown shown as text", where, match.group(0)[:60])
        for match in ATTR_LIST.finditer(prose):
            self.problem("attribute list shown", where, match.group(0)[:60])
        for match in ESCAPED_TAG.finditer(prose):
            self.problem("HTML shown as text", where, match.group(0)[:60])
        for comment in tree.comments:
            if comment.strip():
                self.problem("HTML comment left in the page", where, comment.strip()[:60])
        for heading in content.walk():
            if heading.tag in ("p", "li") and re.match(r"\s*#{1,6}\s", heading.text()):
                self.problem("literal # heading", where, heading.text()[:60])

    def images(self, where, root):
        for img in root.find("img"):
            src = img.attrs.get("src", "")
            if not src.startswith("/"):
                self.problem("image not served here", where, src[:80])
                continue
            status, kind, _ = self.get("learner", src)
            if status != 200 or not (kind or "").startswith("image/"):
                self.problem("broken image", where, f"{src} -> {status} {kind}")
            if not img.attrs.get("alt") and not img.attrs.get("alt") == "":
                self.problem("image without alt", where, src)

    def links(self, where, root, url):
        for a in root.find("a"):
            href = a.attrs.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:") or not href:
                continue
            if not href.startswith(("/", "#", "?")):
                self.problem("relative link left", where, href)
                continue
            if href.startswith(("/lessons/", "/paths/", "/media/", "#")):
                target = url if href.startswith("#") else href.split("#")[0]
                if href.startswith("#"):
                    continue  # in-page anchors: checked in the whole page below
                status, _, body = self.get("trainer", target)
                if status != 200:
                    self.problem("broken link", where, f"{href} -> {status}")
                elif parts.fragment and f'id="{parts.fragment}"' not in body.decode("utf-8", "replace"):
                    whole = self.get("trainer", f"{target}{'&' if '?' in target else '?'}step=all")[2]
                    if f'id="{parts.fragment}"' in whole.decode("utf-8", "replace"):
                        self.problem("anchor on another step than the link opens", where, href)
                    else:
                        self.problem("broken anchor", where, href)
        ids = {n.attrs.get("id") for n in root.walk()}
        for a in root.find("a"):
            href = a.attrs.get("href", "")
            if href.startswith("#") and len(href) > 1 and unescape(href[1:]) not in ids:
                self.problem("broken anchor", where, href)

    def code(self, where, text, html, source_root):
        source = source_root / text.source_path
        if not source.is_file():
            self.problem("source file not found", where, text.source_path)
            return
        body = source.read_text(encoding="utf-8", errors="replace")
        shown = unescape(re.sub(r"<[^>]+>", "", html))
        for code in code_in(body):
            plain = code if "{{" not in code and "{%" not in code else None  # Liquid in code is shown as is
            if plain is not None and plain.strip() and plain.strip() not in shown:
                self.problem("code altered or lost", where, plain.strip()[:60])
        if "&amp;lt;" in html:
            self.problem("doubly escaped text", where)

    def boxes(self, where, content):
        for box in content.walk():
            if box.tag not in ("div", "details", "aside", "section") or not BOX.search(box.attrs.get("class", "")):
                continue
            inner = [c for c in box.children if not (isinstance(c, Node) and (
                "block-title" in c.classes() or c.tag in ("summary", "h2", "h3", "h4") and c is _first(box)))]
            body = "".join(c if isinstance(c, str) else c.text() for c in inner).strip()
            has_media = any(isinstance(c, Node) and (c.tag == "img" or c.find("img")) for c in inner)
            if not body and not has_media:
                self.problem("empty box", where, box.attrs.get("class", ""))
            title = _first(box)
            heads = [n for n in box.walk() if n.tag in ("h2", "h3", "h4", "summary", "p")][:2]
            if len(heads) == 2 and title is not None and _same(heads[0].text(), heads[1].text()):
                self.problem("box title twice", where, heads[0].text().strip())

    def titles(self, where, article, content):
        h1 = article.find("h1")[0].text().strip()
        headings = [n for n in content.walk() if re.fullmatch(r"h[1-6]", n.tag)]
        if content.find("h1"):
            self.problem("second h1 in the content", where, content.find("h1")[0].text()[:60])
        first = next((c for c in content.children if isinstance(c, Node)), None)
        if first is not None and first in headings and _same(first.text(), h1):
            self.problem("title repeated as first heading", where, h1)
        for a, b in zip(headings, headings[1:]):
            if _same(a.text(), b.text()) and a.tag == b.tag and a.parent is b.parent:
                self.problem("same heading twice in a row", where, a.text()[:60])
        if re.search(r"[_]|\.md$", h1) and " " not in h1:
            self.problem("title made from a file name", where, h1)

    def tables(self, where, root):
        for table in root.find("table"):
            scrolls = any("content" in n.classes() or "table-scroll" in n.classes() for n in table.ancestors())
            if not scrolls and table_width(table) > PHONE_PX:
                self.problem("wide table without scroll", where, f"{table_width(table)} px")

    def contents(self, where, article, content):
        tocs = article.find("nav", "toc")
        h2 = [n for n in content.walk() if n.tag == "h2" and not any(BOX.search(a.attrs.get("class", ""))
                                                                         for a in n.ancestors())]
        if not tocs:
            if len(h2) >= 4:
                self.problem("no Contents box for 4+ sections", where, str(len(h2)))
            return
        entries = [a.attrs.get("href", "")[1:] for a in tocs[0].find("a")]
        if not entries:
            self.problem("empty Contents box", where)
        ids = [n.attrs.get("id") for n in h2]
        missing = [e for e in entries if unescape(e) not in ids]
        if missing:
            self.problem("Contents entry without its section", where, ", ".join(missing[:3]))
        if len(entries) != len(h2) and not missing:
            self.problem("Contents box misses sections", where, f"{len(entries)} of {len(h2)}")

    def instructor_notes(self, where, learner, learner_html, trainer):
        for cls in ("block-instructor", "trainers-only"):
            if learner.root.find(cls=cls):
                self.problem("instructor note shown to a learner", where)
                return
        if re.search(r">\s*Instructor note", learner_html, re.I):
            self.problem("instructor note shown to a learner", where, "text")

    def steps(self, lesson, text, where):
        status, html, tree = self.page("learner", f"/lessons/{lesson.slug}?lang={text.language}")
        if status == 200:
            counter = re.search(r"Step 1 of (\d+)", html)
            for step in range(2, int(counter.group(1)) + 1 if counter else 1):
                s_status, _, s_tree = self.page("learner", f"/lessons/{lesson.slug}?step={step}&lang={text.language}")
                if s_status != 200:
                    self.problem("step not shown", where, f"step {step} -> {s_status}")
                else:
                    self.links(f"{where} step {step}", s_tree.root.find("div", "content")[0], None)


def _first(box):
    return next((c for c in box.children if isinstance(c, Node)), None)


def _same(a, b):
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


def sign_in_clients(app):
    from lms.accounts.services import create_user
    from lms.extensions import db

    clients = {}
    with app.app_context():
        create_user("audit-admin", "audit-password-1", roles=("admin",), locale="en")
        create_user("audit-trainer", "audit-password-1", roles=("trainer",), locale="en")
        create_user("audit-learner", "audit-password-1", locale="en")
        db.session.commit()
    for role in ("trainer", "learner"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.post("/sign-in", data={"username": f"audit-{role}", "password": "audit-password-1"})
        assert response.status_code in (302, 303), f"cannot sign the {role} in"
        clients[role] = client
    return clients


def audit(folder, verbose=False):
    from lms import create_app
    from lms.catalogue.models import LearningPath
    from lms.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        lms(instance, "init")
        t0 = time.perf_counter()
        check = lms(instance, "import-courses", "--check", str(folder), check=False)
        checked = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = lms(instance, "import-courses", str(folder), check=False)
        took = time.perf_counter() - t0
        output = (result.stdout + result.stderr).splitlines()
        warnings = [l for l in output if ": warning: " in l]
        errors = [l for l in output if ": error: " in l]
        print(f"== {folder.name}: import {took:.2f} s (--check {checked:.2f} s), exit {result.returncode}, "
              f"{len(warnings)} warnings, {len(errors)} errors")
        for line in (warnings + errors)[: None if verbose else 8]:
            print(f"   {line}")
        if result.returncode or check.returncode:
            return
        app = create_app({"WTF_CSRF_ENABLED": False, "SERVER_NAME": None}, instance_path=str(instance))
        clients = sign_in_clients(app)
        run = Audit(app, clients)
        lessons = texts = 0
        t0 = time.perf_counter()
        with app.app_context():
            for path in db.session.execute(db.select(LearningPath)).scalars():
                status, _, _ = run.page("learner", f"/paths/{path.slug}")
                if status != 200:
                    run.problem("path page not shown", path.slug, str(status))
                for lesson in path.lessons:
                    if lesson.retired_at:
                        continue
                    lessons += 1
                    for text in lesson.texts:
                        texts += 1
                        run.lesson(lesson, text, folder.parent)
        read = time.perf_counter() - t0
        total = sum(len(v) for v in run.problems.values())
        print(f"   {lessons} lessons ({texts} texts, {run.pages.get('trainers only', 0)} for trainers only), "
              f"{len(run.fetched)} pages and files fetched in {read:.1f} s; {total} problems")
        for kind, found in sorted(run.problems.items()):
            print(f"   {len(found):4d}  {kind}")
            for example in found[: None if verbose else 3]:
                print(f"           {example[:150]}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    shared = ROOT.parent / "shared" / "corpora"
    folders = [Path(a).resolve() for a in args] or sorted(p for p in shared.iterdir() if p.is_dir())
    for folder in folders:
        audit(folder, verbose)


if __name__ == "__main__":
    main()
