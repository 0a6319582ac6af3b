"""The navigation tree (entries, pages, notes) and the titles pages give themselves."""
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lms.catalogue.sources import strip_order

ORDER_FILE = "lessons.yaml"
MARKDOWN = (".md", ".markdown")
ROOT_PAGES = {"readme.md", "index.md"}  # at the top of a plain folder: its introduction, not a lesson
NOT_LESSONS = {"summary.md", "license.md", "licence.md", "contributing.md", "code_of_conduct.md", "changelog.md"}
INDEX_PAGES = ("index.md", "readme.md")
MAX_ENTRIES = 5000  # a navigation (aliases included) or a folder walk bigger than this is cut, with a warning
MAX_DEPTH = 12


@dataclass
class Entry:
    """A page (file), a section (children), or a page that opens a section (both)."""

    title: str | None = None
    file: Path | None = None
    children: list = field(default_factory=list)
    key: str = ""  # a section's stable name for its module id: its folder, else its titles


@dataclass
class Note:
    path: Path
    line: int | None
    message: str


@dataclass
class Navigation:
    kind: str  # "lessons.yaml", "mkdocs", "jupyter-book", "summary", "docusaurus", "folders"
    root: Path  # the folder lesson files are relative to (MkDocs' docs_dir…)
    file: Path | None = None  # the navigation file
    entries: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    title: str | None = None  # the site's or book's name, when its configuration gives one


@dataclass
class Page:
    """A lesson file in order, with its title from the navigation and the module it falls in."""

    file: Path
    title: str | None
    module: tuple = ()  # the titles of the sections it sits in, outermost first
    module_key: str = ""


def pages(navigation, peek=None):
    """Flatten the tree: sections become modules; deeper sections a module titled "Parent › Child".

    A page that opens a section (SUMMARY.md's nested list) is its module's first lesson. A page
    that comes after a module, outside any, gets a module of its own so that the path's
    outline keeps the navigation's order.
    """
    found, seen_module = [], False

    def walk(entries, trail, keys):
        nonlocal seen_module
        for entry in entries:
            if entry.children:
                title = entry.title or (entry.file and page_title(entry.file, peek)) or None
                sub, sub_keys = (trail + (title,), keys + (entry.key or title,)) if title else (trail, keys)
                if entry.file:
                    found.append(Page(entry.file, entry.title, sub, "/".join(sub_keys)))
                seen_module = seen_module or bool(sub)
                walk(entry.children, sub, sub_keys)
            elif entry.file:
                if not trail and seen_module:  # on its own after modules: its own module keeps the order
                    title = entry.title or page_title(entry.file, peek)
                    found.append(Page(entry.file, entry.title, (title,), entry.file.stem))
                else:
                    found.append(Page(entry.file, entry.title, trail, "/".join(keys)))
                    seen_module = seen_module or bool(trail)

    walk(navigation.entries, (), ())
    first = {}  # a module's lessons stay together, where it first appears: the outline and the sequence agree
    for page in found:
        first.setdefault(page.module_key if page.module else "", len(first))
    return sorted(found, key=lambda page: first[page.module_key if page.module else ""])


def page_title(path, peek=None):
    """The title a page gives itself: front matter, else its first heading, else its file name."""
    text = peek(path) if peek else None
    return heading_title(text) or name_title(path.name)


def name_title(name):
    """'02-elements_and_tags.md' -> 'Elements and tags'."""
    stem = re.sub(r"\.(md|markdown)$", "", name, flags=re.I)
    return re.sub(r"[-_ ]+", " ", strip_order(stem)).strip().capitalize() or stem


def front_matter(text):
    """Return a page's YAML front matter as a dict ({} when it has none or it cannot be read)."""
    if not text or not text.startswith("---"):
        return {}
    end = re.search(r"^(---|\.\.\.)\s*$", text[3:], re.M)
    if not end:
        return {}
    try:
        meta = yaml.safe_load(text[3:3 + end.start()])
    except (yaml.YAMLError, RecursionError):
        return {}
    return meta if isinstance(meta, dict) else {}


def heading_title(text):
    """The first heading of a Markdown page (ATX or setext, outside code fences), or its front-matter title."""
    if not text:
        return None
    meta = front_matter(text)
    for key in ("title", "sidebar_label"):
        if isinstance(meta.get(key), str | int | float) and str(meta[key]).strip():
            return str(meta[key]).strip()
    body = re.sub(r"\A---.*?^(---|\.\.\.)\s*$", "", text, count=1, flags=re.M | re.S)
    fence, previous = None, ""
    for line in body.split("\n")[:2000]:
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence:
            fence = None if opening and opening.group(1)[0] == fence else fence
        elif opening:
            fence = opening.group(1)[0]
        elif match := re.match(r"^ {0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$", line):
            return re.sub(r"\s*\{[:#.][^}]*\}\s*$", "", match.group(1)).strip() or None
        elif re.match(r"^ {0,3}(=+|-+)\s*$", line) and previous.strip() and not previous.startswith((" " * 4, "\t")):
            return previous.strip()
        previous = line if not fence else ""
    return None
