"""Order, titles and depth of a foreign folder's lessons, from the navigation file its tool keeps.

Pure functions: a folder and a way to read its files in; an ordered tree of
entries (a title, a file, children) and the problems found, each at file:line,
out. Nothing is rendered or stored here: PlainReader turns the tree into modules
and lessons. Files are only ever read through the callables the reader passes,
so the folder's confinement holds for navigation files too.

The first of these that the folder holds gives the order (see courses/README.md):
  lessons.yaml  ours: a list in MkDocs' nav syntax; files it leaves out come after it, with a warning
  mkdocs.yml    `nav:` under docs_dir (and the literate-nav plugin's Markdown nav files)
  _toc.yml      Jupyter Book (jb-book: root, chapters or parts, sections; jb-article: sections)
  SUMMARY.md    GitBook and mdBook: its nested list; never a lesson itself
  sidebars.js   Docusaurus: a plain object literal, read by a small parser and never run
  (none)        the folders: `_category_.json`, `sidebar_position`, number prefixes, names
With a tool's navigation, files it does not list are left out with a warning
each, as the tool leaves them out of its navigation (or of the book).
"""
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from lms.catalogue.sources import order_key, strip_order

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


# -- reading a folder ---------------------------------------------------------

def read_navigation(folder, read_text, peek=None):
    """Return the Navigation of `folder`; `read_text(path)` reads a navigation file (and reports
    why it cannot), `peek(path)` reads a lesson's front matter quietly (its reading reports)."""
    return _Builder(Path(folder), read_text, peek or read_text).build()


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


def safe_yaml_nodes(text):
    """Compose YAML into nodes, never constructing: `!!python/name:…` or `!ENV` tags cost nothing."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _line(node):
    return node.start_mark.line + 1


def _scalar(node):
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else None


def _pairs(node):
    return [(_scalar(k), v) for k, v in node.value] if isinstance(node, yaml.MappingNode) else []


def _get(node, key):
    return next((v for k, v in _pairs(node) if k == key), None)


class _Builder:
    def __init__(self, folder, read_text, peek):
        self.folder, self.read_text, self.peek = folder, read_text, peek
        self.nav = Navigation(kind="folders", root=folder)
        self.listed, self.silent = set(), set()  # files placed; files that are navigation, not lessons
        self.budget = MAX_ENTRIES

    def note(self, path, line, message):
        self.nav.notes.append(Note(Path(path), line, message))

    def _key(self, folder):
        base = self.nav.root if folder.is_relative_to(self.nav.root) else self.folder
        return str(folder.relative_to(base))

    def exists(self, path):
        return path.is_file() or path.is_symlink()

    def build(self):
        folder = self.folder
        mkdocs = next((folder / n for n in ("mkdocs.yml", "mkdocs.yaml") if self.exists(folder / n)), None)
        sidebars = next((folder / n for n in ("sidebars.js", "sidebars.ts", "sidebars.json")
                         if self.exists(folder / n)), None)
        if self.exists(folder / ORDER_FILE):
            self._order_file(folder / ORDER_FILE)
        elif mkdocs:
            self._mkdocs(mkdocs)
        elif self.exists(folder / "_toc.yml"):
            self._jupyter_book(folder / "_toc.yml")
        elif summary := self._summary_file():
            self._summary(summary)
        elif sidebars:
            self._docusaurus(sidebars)
        else:
            self.nav.entries = self._folder(folder, top=True)
        if self.nav.kind != "folders":
            self._unlisted()
        return self.nav

    # -- the files a navigation leaves out --------------------------------

    def _unlisted(self):
        nav, append = self.nav, self.nav.kind == "lessons.yaml"
        left = [p for p in self._markdown_files(nav.root) if p not in self.listed and p not in self.silent
                and not (p.parent == nav.root and p.name.lower() in ROOT_PAGES)]
        if append:
            for path in left:
                self.note(path, None, f"not listed in {ORDER_FILE}: added after the lessons it lists")
                nav.entries.append(Entry(file=path))
        else:
            name = nav.file.name if nav.file else nav.kind
            for path in left:
                self.note(path, None, f"not in the navigation of {name}: left out, as {nav.kind} leaves it out; "
                                      f"list it there to import it")

    def _markdown_files(self, folder, depth=0, seen=None):
        seen = seen if seen is not None else set()
        try:
            real = folder.resolve()
            children = sorted(folder.iterdir(), key=lambda p: order_key(p.name))
        except OSError:
            return []
        if real in seen or depth > MAX_DEPTH:
            return []
        seen.add(real)
        files = []
        for child in children:
            if child.name.startswith((".", "_")) or child.name == "node_modules":
                continue
            if child.is_dir():
                files += self._markdown_files(child, depth + 1, seen)
            elif child.suffix.lower() in MARKDOWN and child.name.lower() not in NOT_LESSONS and self.exists(child):
                files.append(child)
            if len(files) > MAX_ENTRIES:
                break
        return files

    # -- one target named by a navigation ----------------------------------

    def _target(self, title, target, base, file, line, suffixes=()):
        """Return the Entry a navigation names (a page, or a folder as a section), or None after a note."""
        target = str(target).strip()
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
            return None  # a link to elsewhere: not a lesson
        name = unquote(target.split("#")[0].split("?")[0]).strip("<>")
        if not name:
            return None
        path = Path(os.path.normpath(self.nav.root / name.lstrip("/") if name.startswith("/") else base / name))
        if not path.is_relative_to(self.folder):
            self.note(file, line, f"{name} is outside the folder: skipped")
            return None
        if not self.exists(path):
            path = next((path.with_name(path.name + s) for s in suffixes if self.exists(path.with_name(path.name + s))),
                        path)
        if path.is_dir():
            return self._directory(path, title, file, line)
        if not self.exists(path):
            self.note(file, line, f"{name} is in the navigation but not in the folder: skipped")
            return None
        if path.suffix.lower() not in MARKDOWN:
            self.note(file, line, f"{os.path.relpath(path, base)}: only Markdown pages are imported: skipped")
            return None
        if path in self.listed:
            self.note(file, line, f"{name} is listed twice: kept at its first place")
            return None
        self.listed.add(path)
        return Entry(title=title, file=path)

    def _directory(self, folder, title, file, line):
        """A folder named in a navigation: its own nav file (MkDocs' literate-nav), else its files."""
        nav_file = folder / getattr(self, "literate_nav", "")
        if getattr(self, "literate_nav", None) and self.exists(nav_file):
            text = self.read_text(nav_file)
            self.silent.add(nav_file)
            children = self._markdown_nav(nav_file, text or "")
            if getattr(self, "implicit_index", False):
                index = next((folder / n for n in ("index.md", "README.md") if self.exists(folder / n)), None)
                if index and index not in self.listed:
                    self.listed.add(index)
                    children.insert(0, Entry(file=index))
        else:
            children = [self._claim(e) for e in self._folder(folder) if not (e.file and e.file in self.listed)]
        return Entry(title=title or name_title(folder.name), children=children, key=self._key(folder))

    def _claim(self, entry):
        if entry.file:
            self.listed.add(entry.file)
        for child in entry.children:
            self._claim(child)
        return entry

    def _spend(self, file, line):
        self.budget -= 1
        if self.budget == 0:
            self.note(file, line, f"the navigation has more than {MAX_ENTRIES} entries: the rest is left out")
        return self.budget > 0

    # -- lessons.yaml and MkDocs --------------------------------------------

    def _load_yaml(self, path):
        text = self.read_text(path)
        if text is None:
            return None
        try:
            return safe_yaml_nodes(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.note(path, mark.line + 1 if mark else 1, f"cannot read the navigation: {getattr(exc, 'problem', exc)}")
        except RecursionError:
            self.note(path, 1, "cannot read the navigation: nested too deep")
        return None

    def _order_file(self, path):
        self.nav.kind, self.nav.file = "lessons.yaml", path
        self.silent.add(path)
        node = self._load_yaml(path)
        if node is not None and not isinstance(node, yaml.SequenceNode):
            self.note(path, _line(node), "lessons.yaml is a list: '- file.md', '- Title: file.md' or '- Module: [list]'")
            return
        self.nav.entries = self._yaml_nav(node, self.folder, path) if node is not None else []

    def _mkdocs(self, path):
        self.nav.kind, self.nav.file = "mkdocs", path
        config = self._load_yaml(path)
        docs_dir = _scalar(_get(config, "docs_dir")) or "docs"
        root = Path(os.path.normpath(self.folder / docs_dir))
        if not root.is_relative_to(self.folder) or not root.is_dir():
            self.note(path, _line(_get(config, "docs_dir")) if _get(config, "docs_dir") else 1,
                      f"docs_dir {docs_dir} is not a folder inside this one: the folder itself is read")
            root = self.folder
        self.nav.root = root
        self.nav.title = _scalar(_get(config, "site_name"))
        plugins = _get(config, "plugins")  # a list, or a mapping of plugin names to options
        for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]:
            if _scalar(plugin) == "literate-nav" or _get(plugin, "literate-nav") is not None:
                options = _get(plugin, "literate-nav")
                self.literate_nav = _scalar(_get(options, "nav_file")) or "SUMMARY.md"
                self.implicit_index = (_scalar(_get(options, "implicit_index")) or "").lower() == "true"
        nav = _get(config, "nav")
        if config is None:  # said why: every page is still imported, folders as sections
            self.nav.kind, self.nav.entries = "folders", self._folder(root, top=root == self.folder)
        elif isinstance(nav, yaml.SequenceNode):
            self.nav.entries = self._yaml_nav(nav, root, path)
        elif getattr(self, "literate_nav", None) and self.exists(root / self.literate_nav):
            self.nav.entries = self._directory(root, None, path, 1).children
        else:  # no nav: MkDocs lists every page, folders as sections
            self.nav.kind = "folders"
            self.nav.entries = self._folder(root, top=root == self.folder)

    def _yaml_nav(self, node, base, file):
        entries = []
        for item in node.value if isinstance(node, yaml.SequenceNode) else []:
            if not self._spend(file, _line(item)):
                break
            pairs = _pairs(item)
            if isinstance(item, yaml.ScalarNode):
                title, value = None, item
            elif len(pairs) == 1:
                title, value = pairs[0]
            else:
                self.note(file, _line(item), "a navigation entry is 'file.md', 'Title: file.md' or 'Section: [list]'")
                continue
            if isinstance(value, yaml.SequenceNode):
                entries.append(Entry(title=title, children=self._yaml_nav(value, base, file)))
            elif _scalar(value) is not None:
                entry = self._target(title, _scalar(value), base, file, _line(item))
                entries += [entry] if entry else []
            else:
                self.note(file, _line(item), f"'{title}' names neither a file nor a list: skipped")
        return entries

    # -- Jupyter Book ----------------------------------------------------------

    def _jupyter_book(self, path):
        self.nav.kind, self.nav.file = "jupyter-book", path
        self.silent.add(path)
        toc = self._load_yaml(path)
        config = self.folder / "_config.yml"
        if self.exists(config) and (node := self._load_yaml(config)) is not None:
            self.nav.title = _scalar(_get(node, "title"))
        if toc is None:
            return
        if isinstance(toc, yaml.SequenceNode):  # the old format: a list of files and parts
            self.nav.entries = self._jb_entries(toc, path)
            return
        root = _get(toc, "root")
        if root is not None and (entry := self._jb_file(_scalar(root), None, path, _line(root))):
            self.nav.entries.append(entry)
        parts = _get(toc, "parts")
        if isinstance(parts, yaml.SequenceNode):
            for part in parts.value:
                title = _scalar(_get(part, "caption"))
                children = self._jb_entries(_get(part, "chapters"), path)
                self.nav.entries += [Entry(title=title, children=children)] if title else children
        self.nav.entries += self._jb_entries(_get(toc, "chapters") or _get(toc, "sections"), path)

    def _jb_file(self, name, title, file, line):
        return self._target(title, name, self.folder, file, line, suffixes=(".md", ".ipynb", ".rst", ".markdown"))

    def _jb_entries(self, node, file):
        entries = []
        for item in node.value if isinstance(node, yaml.SequenceNode) else []:
            if not self._spend(file, _line(item)):
                break
            title = _scalar(_get(item, "title"))
            children = self._jb_entries(_get(item, "sections") or _get(item, "chapters"), file)
            if _get(item, "glob") is not None:
                pattern = _scalar(_get(item, "glob")) or ""
                for match in sorted(self.folder.glob(pattern + ".md") if ".." not in pattern else []):
                    if match not in self.listed:
                        self.listed.add(match)
                        entries.append(Entry(file=match))
                continue
            if _get(item, "file") is not None:
                entry = self._jb_file(_scalar(_get(item, "file")), title, file, _line(item)) or Entry(title=title)
            elif _get(item, "part") is not None or _get(item, "caption") is not None:
                entry = Entry(title=_scalar(_get(item, "part") or _get(item, "caption")))
            else:
                continue  # a url: a link to elsewhere
            entry.children += children
            entries.append(entry)
        return entries

    # -- GitBook and mdBook: SUMMARY.md ----------------------------------------

    def _summary_file(self):
        roots = [self.folder, self.folder / "src", self.folder / "docs"]
        gitbook = self.folder / ".gitbook.yaml"
        if self.exists(gitbook) and (node := self._load_yaml(gitbook)) is not None:
            declared = _scalar(_get(node, "root"))
            if declared and Path(os.path.normpath(self.folder / declared)).is_relative_to(self.folder):
                roots.insert(0, Path(os.path.normpath(self.folder / declared)))
        return next((r / n for r in roots for n in ("SUMMARY.md", "summary.md") if self.exists(r / n)), None)

    def _summary(self, path):
        self.nav.kind, self.nav.file, self.nav.root = "summary", path, path.parent
        self.silent.add(path)
        book = self.folder / "book.toml"
        if self.exists(book):
            import tomllib
            try:
                title = tomllib.loads(self.read_text(book) or "").get("book", {}).get("title")
                self.nav.title = title if isinstance(title, str) else None
            except tomllib.TOMLDecodeError as exc:
                self.note(book, None, f"cannot read book.toml: {exc}")
        self.nav.entries = self._markdown_nav(path, self.read_text(path) or "")

    def _markdown_nav(self, file, text):
        """A Markdown list of links, nested by indentation; headings after the first open parts."""
        roots, stack, part, started, fence = [], [], None, False, None
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.expandtabs(4)
            opening = re.match(r"^\s*(`{3,}|~{3,})", line)
            if fence or opening:
                fence = None if fence and opening and opening.group(1)[0] == fence else (fence or opening.group(1)[0])
                continue
            if not line.strip() or re.match(r"^\s*(---+|\*\*\*+|___+)\s*$", line) or line.startswith("<!--"):
                continue
            if heading := re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line):
                if started:
                    part = Entry(title=heading.group(1).strip())
                    roots.append(part)
                    stack = []
                started = True
                continue
            started = True
            item = re.match(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$", line)
            lone_link = re.match(r"^\[[^\]]*\]\([^)]*\)\s*$", line)
            if not item and not lone_link:
                continue  # prose, or a link reference definition
            if not self._spend(file, number):
                break
            indent, content = (len(item.group(1)), item.group(2)) if item else (0, line)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            entry = self._list_entry(content.strip(), file, number)
            if not item:  # mdBook's prefix and suffix chapters: outside any part
                part, stack = None, []
            siblings = stack[-1][1].children if stack else (part.children if part else roots)
            if entry is not None:
                siblings.append(entry)
                if item:
                    stack.append((indent, entry))
        return roots

    def _list_entry(self, content, file, line):
        link = re.match(r"^\[(?P<title>(?:[^\]\\]|\\.)*)\]\((?P<target><[^>]*>|[^)\s]*)(?:\s+[\"'][^\"']*[\"'])?\)$",
                        content)
        if not link:
            return Entry(title=re.sub(r"[*_`]", "", content).strip() or None)  # a section's title
        title = re.sub(r"\\(.)", r"\1", link.group("title")).strip() or None
        if not link.group("target").strip("<>"):
            return Entry(title=title)  # mdBook's draft chapter: a title, no page
        return self._target(title, link.group("target"), file.parent, file, line) or Entry(title=title)

    # -- Docusaurus --------------------------------------------------------------

    def _docusaurus(self, path):
        self.nav.kind, self.nav.file = "docusaurus", path
        self.nav.root = self.folder / "docs" if (self.folder / "docs").is_dir() else self.folder
        text = self.read_text(path) or ""
        try:
            value = json.loads(text) if path.suffix == ".json" else js_literal(text)
        except (ValueError, IndexError, RecursionError) as exc:
            line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
            self.note(path, line, f"cannot read this sidebar safely ({exc}): the order comes from "
                                  f"_category_.json and sidebar_position instead")
            self.nav.kind, self.nav.entries = "folders", self._folder(self.nav.root, top=self.nav.root == self.folder)
            return
        self.doc_ids = self._doc_ids(self.nav.root)
        sidebars = value.values() if isinstance(value, dict) else [value]
        for sidebar in sidebars:
            self.nav.entries += self._sidebar_items(sidebar, path)

    def _doc_ids(self, root):
        ids = {}
        for file in self._markdown_files(root):
            relative = file.relative_to(root)
            given = front_matter(self.peek(file)).get("id")
            last = str(given) if isinstance(given, str | int) else strip_order(re.sub(r"\.(md|markdown)$", "", file.name))
            folders = [strip_order(p) for p in relative.parts[:-1]]
            ids.setdefault("/".join(folders + [last]), file)
            ids.setdefault(str(relative.with_suffix("")), file)
        return ids

    def _sidebar_items(self, items, path):
        if isinstance(items, dict):  # the shorthand {"Category label": [items]}
            if "type" not in items:
                return [Entry(title=str(label), children=self._sidebar_items(sub, path)) for label, sub in items.items()]
            items = [items]
        entries = []
        for item in items if isinstance(items, list) else []:
            if not self._spend(path, None):
                break
            if not isinstance(item, str | dict):
                continue
            kind = item.get("type") if isinstance(item, dict) else "doc"
            if kind == "doc":
                doc = item if isinstance(item, str) else str(item.get("id"))
                entry = self._doc(doc, path)
                if entry:
                    entry.title = (item.get("label") if isinstance(item, dict) else None) or entry.title
                    entries.append(entry)
            elif kind == "category":
                link = item.get("link") if isinstance(item.get("link"), dict) else {}
                page = self._doc(str(link["id"]), path) if link.get("type") == "doc" and link.get("id") else None
                entries.append(Entry(title=str(item.get("label") or "") or None, file=page.file if page else None,
                                     children=self._sidebar_items(item.get("items") or [], path)))
            elif kind == "autogenerated":
                folder = Path(os.path.normpath(self.nav.root / str(item.get("dirName") or ".")))
                if folder.is_relative_to(self.nav.root) and folder.is_dir():
                    entries += [self._claim(e) for e in self._folder(folder, top=False)
                                if not (e.file and e.file in self.listed)]
            elif isinstance(item, dict) and "type" not in item:
                entries += self._sidebar_items(item, path)
        return entries

    def _doc(self, doc_id, path):
        file = self.doc_ids.get(doc_id.strip("/"))
        if file is None:
            self.note(path, None, f"the doc '{doc_id}' is in the sidebar but not in the folder: skipped")
            return None
        if file in self.listed:
            return None
        self.listed.add(file)
        meta = front_matter(self.peek(file))
        label = meta.get("sidebar_label")
        return Entry(title=str(label) if isinstance(label, str | int) else None, file=file)

    # -- folders: Docusaurus' autogenerated order, and plain folders ---------------

    def _category(self, folder):
        """A folder's `_category_.json` (or .yml): (label, position)."""
        for name in ("_category_.json", "_category_.yml", "_category_.yaml"):
            path = folder / name
            if not self.exists(path):
                continue
            text = self.read_text(path)
            try:
                data = json.loads(text or "{}") if name.endswith(".json") else yaml.safe_load(text or "")
            except json.JSONDecodeError as exc:
                self.note(path, exc.lineno, f"cannot read {name}: {exc.msg}")
                return None, None
            except yaml.YAMLError:
                self.note(path, 1, f"cannot read {name}")
                return None, None
            data = data if isinstance(data, dict) else {}
            return data.get("label"), _number(data.get("position"))
        return None, None

    def _folder(self, folder, top=False, depth=0, seen=None):
        """A folder's pages and sub-folders in order: positions first, then number prefixes, then names."""
        seen = seen if seen is not None else set()
        try:
            real = folder.resolve()
            children = list(folder.iterdir())
        except OSError:
            return []
        if real in seen or depth > MAX_DEPTH:
            return []
        seen.add(real)
        ranked = []
        for child in children:
            name = child.name
            if name.startswith((".", "_")) or name == "node_modules" or not self._spend(child, None):
                continue
            if child.is_dir():
                inner = self._folder(child, depth=depth + 1, seen=seen)
                if inner:
                    label, position = self._category(child)
                    title = str(label) if label else name_title(name)
                    entry = Entry(title=title, children=inner, key=self._key(child))
                    ranked.append((_rank(position, name), entry))
            elif name.lower().endswith(MARKDOWN) and self.exists(child):
                lowered = name.lower()
                if lowered in NOT_LESSONS or (top and lowered in ROOT_PAGES):
                    continue
                meta = front_matter(self.peek(child)) if child.is_file() else {}
                label = meta.get("sidebar_label")
                position = _number(meta.get("sidebar_position"))
                if lowered in INDEX_PAGES or lowered == f"{folder.name.lower()}.md":
                    rank = (-1, 0, name)  # a folder's own page opens it
                else:
                    rank = _rank(position, name)
                ranked.append((rank, Entry(title=str(label) if isinstance(label, str | int) else None, file=child)))
        return [entry for _rank_, entry in sorted(ranked, key=lambda r: r[0])]


def _number(value):
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _rank(position, name):
    number, _ = order_key(name)
    return (0, position, name) if position is not None else (1, number, name)


# -- a JavaScript object literal, parsed, never run ------------------------------------

JS_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>//[^\n]*|/\*.*?\*/) |
    (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{))*`) |
    (?P<number>-?\d+(?:\.\d+)?) | (?P<name>[A-Za-z_$][\w$]*) | (?P<punct>\.\.\.|=>|[{}\[\]():;,=.?<>|&!+\-*/@#%^~])
""", re.S | re.X)
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class UnsafeSidebar(ValueError):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def js_literal(source):
    """Return the value `module.exports =` / `export default` gives, when it is plain data.

    Only objects, arrays, strings, numbers, true, false and null are accepted;
    anything that would have to run (a call, a spread, a variable, a template
    with ${…}) raises UnsafeSidebar with its line.
    """
    tokens = _js_tokens(source)
    names = {}  # const NAME = <literal>, remembered by where the literal starts
    index = 0
    exported = None
    while index < len(tokens):
        kind, text, _line_ = tokens[index]
        if text in ("const", "let", "var") and index + 1 < len(tokens) and tokens[index + 1][0] == "name":
            end = index + 2
            while end < len(tokens) and tokens[end][1] not in ("=", ";"):
                end += 1  # a TypeScript annotation: `const sidebars: SidebarsConfig = {`
            if end < len(tokens) and tokens[end][1] == "=":
                names[tokens[index + 1][1]] = end + 1
            index = end
        elif text == "module" and [t[1] for t in tokens[index + 1:index + 4]] == [".", "exports", "="]:
            exported = index + 4
        elif text == "export" and index + 1 < len(tokens) and tokens[index + 1][1] == "default":
            exported = index + 2
        index += 1
    if exported is None:
        raise UnsafeSidebar("no module.exports or export default")
    if tokens[exported][0] == "name" and tokens[exported][1] in names:
        exported = names[tokens[exported][1]]
    value, _end = _js_value(tokens, exported, 0)
    return value


def _js_tokens(source):
    tokens, line, position = [], 1, 0
    while position < len(source):
        match = JS_TOKEN.match(source, position)
        if not match:
            raise UnsafeSidebar(f"unexpected {source[position]!r}", line)
        kind, text = match.lastgroup, match.group()
        if kind not in ("space", "comment"):
            tokens.append((kind, text, line))
        line += text.count("\n")
        position = match.end()
        if len(tokens) > 200_000:
            raise UnsafeSidebar("too long", line)
    return tokens


def _js_value(tokens, index, depth):
    if index >= len(tokens):
        raise UnsafeSidebar("the file ends too early")
    if depth > 50:
        raise UnsafeSidebar("nested too deep", tokens[index][2])
    kind, text, line = tokens[index]
    if text == "{":
        result, index = {}, index + 1
        while tokens[index][1] != "}":
            key_kind, key, key_line = tokens[index]
            if key_kind == "string":
                key = _js_string(key)
            elif key_kind not in ("name", "number"):
                raise UnsafeSidebar(f"{key} is not a plain key", key_line)
            if tokens[index + 1][1] != ":":
                raise UnsafeSidebar(f"{key} is not 'key: value'", key_line)
            result[key], index = _js_value(tokens, index + 2, depth + 1)
            index = _js_comma(tokens, index, "}")
        return result, index + 1
    if text == "[":
        result, index = [], index + 1
        while tokens[index][1] != "]":
            item, index = _js_value(tokens, index, depth + 1)
            result.append(item)
            index = _js_comma(tokens, index, "]")
        return result, index + 1
    if kind == "string":
        return _js_string(text), index + 1
    if kind == "number":
        return float(text) if "." in text else int(text), index + 1
    if text in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text], index + 1
    raise UnsafeSidebar(f"{text} is not plain data", line)


def _js_comma(tokens, index, closing):
    if index >= len(tokens):
        raise UnsafeSidebar("the file ends too early")
    if tokens[index][1] == ",":
        return index + 1
    if tokens[index][1] != closing:
        raise UnsafeSidebar(f"{tokens[index][1]} where ',' or '{closing}' was expected", tokens[index][2])
    return index


def _js_string(text):
    return re.sub(r"\\(u\{?[0-9a-fA-F]{1,6}\}?|x[0-9a-fA-F]{2}|.)", _js_escape, text[1:-1], flags=re.S)


def _js_escape(match):
    code = match.group(1)
    if code[0] in "ux" and len(code) > 1:
        try:
            return chr(int(code[1:].strip("{}"), 16))
        except ValueError:
            return code
    return JS_ESCAPES.get(code, code)
