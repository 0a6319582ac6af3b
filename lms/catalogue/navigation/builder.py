"""Build a folder's navigation tree from lessons.yaml, mkdocs.yml, _toc.yml or SUMMARY.md (folders and
Docusaurus: folders.py). Files are read only through the callables the reader gives."""
import os
import re
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import unquote

import yaml

from lms.catalogue.navigation.folders import FolderMixin
from lms.catalogue.navigation.tree import (
    MARKDOWN, MAX_DEPTH, MAX_ENTRIES, NOT_LESSONS, ORDER_FILE, ROOT_PAGES, Entry, Navigation, Note, name_title,
)
from lms.catalogue.sources import order_key

MAX_NAMED = 20  # files named one by one in "not in the navigation" warnings; the rest are counted


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


class Builder(FolderMixin):
    """One reading of one folder: the tree, the notes, the files placed so far."""

    def __init__(self, folder, read_text, peek):
        self.folder, self.read_text, self.peek = folder, read_text, peek
        self.nav = Navigation(kind="folders", root=folder)
        self.listed, self.silent = set(), set()  # files placed; files that are navigation, not lessons
        self.budget = MAX_ENTRIES
        self.expanded = set()  # folders whose nav file was read
        self.quiet = []  # gitignore-like patterns of files left out without a warning (MkDocs' not_in_nav)
        self.literate_nav, self.implicit_index = None, False  # MkDocs' literate-nav plugin: a folder's nav file

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
        try:
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
        except RecursionError:  # the limits above should make this unreachable: a message, never a traceback
            self.note(self.nav.file or folder, None, "the navigation is nested too deep to read: the folders are read")
            self.nav.kind, self.nav.entries = "folders", self._folder(self.nav.root, top=self.nav.root == folder)
        if self.nav.kind != "folders":
            self._unlisted()
        return self.nav

    # -- the files a navigation leaves out --------------------------------

    def _unlisted(self):
        nav, append = self.nav, self.nav.kind == "lessons.yaml"
        left = [p for p in self._markdown_files(nav.root) if p not in self.listed and p not in self.silent
                and not (p.parent == nav.root and p.name.lower() in ROOT_PAGES)]
        stems = {_stem(p) for p in self.listed}
        for path in [p for p in left if _stem(p) in stems]:  # page.fr.md beside a listed page.md: one lesson
            nav.entries.append(Entry(file=path))
        left = [p for p in left if _stem(p) not in stems]
        name = nav.file.name if nav.file else nav.kind
        if append:
            nav.entries += [Entry(file=path) for path in left]
            message = f"not listed in {ORDER_FILE}: added after the lessons it lists"
        else:
            left = [p for p in left if not self._quiet(p)]
            message = (f"not in the navigation of {name}: left out, as {nav.kind} leaves it out; "
                       f"list it there to import it")
        for path in left[:MAX_NAMED]:
            self.note(path, None, message)
        if len(left) > MAX_NAMED:  # one line for the rest: a message that scrolls away says nothing
            self.note(nav.file or nav.root, None, f"{len(left) - MAX_NAMED} more files: {message}")

    def _quiet(self, path):
        """Whether a gitignore-like pattern ('/drafts/', 'private-*.md') names this file or a folder above it."""
        parts = path.relative_to(self.nav.root).parts
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        for pattern in self.quiet:
            core = pattern.strip("/")
            names = prefixes if pattern.startswith("/") or "/" in core else list(parts)
            if any(fnmatch(name, core) for name in (names[:-1] if pattern.endswith("/") else names)):
                return True
        return False

    def _markdown_files(self, folder, depth=0, seen=None, suffixes=MARKDOWN):
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
                files += self._markdown_files(child, depth + 1, seen, suffixes)
            elif child.suffix.lower() in suffixes and child.name.lower() not in NOT_LESSONS and self.exists(child):
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
        if folder in self.expanded:  # a nav file naming its own folder, or a loop of them
            self.note(file, line, f"{folder.name}/ is already in the navigation: skipped")
            return None
        self.expanded.add(folder)
        nav_file = folder / (self.literate_nav or "-")
        if self.literate_nav and self.exists(nav_file):
            text = self.read_text(nav_file)
            self.silent.add(nav_file)
            children = self._markdown_nav(nav_file, text or "")
            if self.implicit_index:
                index = next((folder / n for n in ("index.md", "README.md") if self.exists(folder / n)), None)
                if index and index not in self.listed:
                    self.listed.add(index)
                    children.insert(0, Entry(file=index))
        else:
            children = self._claim(self._folder(folder))
        return Entry(title=title or name_title(folder.name), children=children, key=self._key(folder))

    def _claim(self, entries):
        """Keep the pages of a folder walk that no other place of the navigation has, and mark them placed."""
        kept = []
        for entry in entries:
            if entry.file in self.listed:
                entry.file = None
            elif entry.file:
                self.listed.add(entry.file)
            entry.children = self._claim(entry.children)
            if entry.file or entry.children:
                kept.append(entry)
        return kept

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
            self.note(path, _line(node), "lessons.yaml is a list: '- file.md', '- Title: file.md' or "
                                         "'- Module: [list]'")
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
        for key in ("not_in_nav", "exclude_docs"):  # pages its authors keep out of the nav on purpose: no warning
            self.quiet += [p.strip() for p in (_scalar(_get(config, key)) or "").split("\n") if p.strip()
                           and not p.strip().startswith("#")]
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
        elif self.literate_nav and self.exists(root / self.literate_nav):
            self.nav.entries = (self._directory(root, None, path, 1) or Entry()).children
        else:  # no nav: MkDocs lists every page, folders as sections
            self.nav.kind = "folders"
            self.nav.entries = self._folder(root, top=root == self.folder)

    def _too_deep(self, depth, file, line):
        if depth > MAX_DEPTH:
            self.note(file, line, f"the navigation is nested deeper than {MAX_DEPTH} levels: the rest is left out")
        return depth > MAX_DEPTH

    def _yaml_nav(self, node, base, file, depth=0):
        entries = []
        if node is not None and self._too_deep(depth, file, _line(node)):
            return entries
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
                entries.append(Entry(title=title, children=self._yaml_nav(value, base, file, depth + 1)))
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

    def _jb_entries(self, node, file, depth=0):
        entries = []
        if node is not None and self._too_deep(depth, file, _line(node)):
            return entries
        for item in node.value if isinstance(node, yaml.SequenceNode) else []:
            if not self._spend(file, _line(item)):
                break
            title = _scalar(_get(item, "title"))
            children = self._jb_entries(_get(item, "sections") or _get(item, "chapters"), file, depth + 1)
            if _get(item, "glob") is not None:
                pattern = _scalar(_get(item, "glob")) or ""
                inside = ".." not in pattern and not pattern.startswith(("/", "\\"))  # pathlib refuses absolute ones
                try:
                    matches = sorted(self.folder.glob(pattern + ".md")) if inside else []
                except (ValueError, OSError):  # a malformed pattern
                    matches = []
                for match in matches[:MAX_ENTRIES]:
                    if match not in self.listed and self._spend(file, _line(item)):
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
        """A Markdown list of links, nested by indentation. In SUMMARY.md, headings after the first open
        parts and a link alone on its line is a chapter (mdBook); a literate-nav file is only its lists."""
        book = self.nav.kind == "summary"
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
                if started and book:
                    part = Entry(title=heading.group(1).strip())
                    roots.append(part)
                    stack = []
                started = True
                continue
            started = True
            item = re.match(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$", line)
            lone_link = book and re.match(r"^\[[^\]]*\]\([^)]*\)\s*$", line)
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
            del stack[MAX_DEPTH:]  # deeper items become siblings of the deepest kept
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


def _stem(path):
    """'a/page.fr.md' and 'a/page.md' -> 'a/page': the files of one lesson in its languages."""
    return path.parent / re.sub(r"(\.[a-z]{2})?\.(md|markdown)$", "", path.name, flags=re.I)
