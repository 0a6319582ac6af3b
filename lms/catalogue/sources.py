"""Read course folders into specs: our own format, plain Markdown folders, Carpentries lessons.

Nothing here touches the database: readers get what the database already knows
(`known`: source file -> (hash, slug, assets)) so that unchanged files are not
rendered again, and they report every problem with its file and line.

Every file a reader opens goes through Reader.read_bytes or Reader.confined:
whatever a course names (a lesson, an image, a credits file, an episode in
config.yaml), it is read only when its real path, symlinks followed, lies inside
the folder being imported. What the importer reads is published to anonymous
visitors, so a link to /etc or to the instance's secret key must never be followed.
"""
import hashlib
import os
import re
import unicodedata
from pathlib import Path

import yaml

from lms.catalogue.foreign import ForeignMarkup
from lms.catalogue.markup import LessonMarkup
from lms.catalogue.media import DOWNLOAD_SUFFIXES, MediaError
from lms.catalogue.specs import TextSpec
from lms.catalogue.steps import split_steps

RENDER_VERSION = "7"  # bump to re-render every lesson after a change to the renderer
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
LEVELS = ("beginner", "intermediate", "advanced")
LANGUAGE_FILE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")
MAX_TEXT_BYTES = 4 * 1024 * 1024  # a lesson is a few dozen KB; bounded memory for every import
SKIPPED_FILES = {"readme.md", "index.md", "license.md", "licence.md", "contributing.md", "code_of_conduct.md"}
FRENCH_WORDS = {"le", "la", "les", "des", "est", "une", "et", "pour", "dans", "que", "qui", "vous", "sur", "avec"}
ENGLISH_WORDS = {"the", "and", "is", "are", "of", "to", "in", "that", "for", "with", "you", "this", "on"}


def slugify(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:100] or "x"


def strip_order(name):
    """'02-common-mistakes' -> 'common-mistakes'; the order prefix is not part of the id."""
    return re.sub(r"^\d+[-_. ]*", "", name) or name


def order_key(name):
    match = re.match(r"^(\d+)", name)
    return (int(match.group(1)) if match else 10**6, name)


def inside(root, path):
    """Return the real path of `path` (symlinks followed) when it lies inside `root`, else None."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError):  # a loop of symlinks
        return None
    return real if real.is_relative_to(Path(root).resolve()) else None


def source_identity(folder, declared=None):
    """Return a path's source identity: the repository it declares, else the folder's real location.

    Two checkouts of one repository are one source; two folders that merely share a
    name ("website", "docs") are two, so neither may take the other's path over.
    """
    url = str(declared or "").strip().lower()
    if re.match(r"^(https?|git|ssh)://|^git@", url):
        url = re.sub(r"^(https?|git|ssh)://(git@)?|^git@", "", url).replace(":", "/", 1 if url.startswith("git@") else 0)
        url = re.sub(r"(\.git)?/*$", "", url)
        if url.count("/") >= 1:
            return f"repo:{url}"[:500]
    return f"dir:{Path(folder).resolve()}"[:500]


def detect_kind(folder):
    """Return 'native', 'carpentries', 'plain' or 'root' (a folder of native paths)."""
    folder = Path(folder)
    if (folder / "path.yaml").is_file():
        return "native"
    if (folder / "config.yaml").is_file() and (folder / "episodes").is_dir():
        return "carpentries"
    if (folder / "_config.yml").is_file() and any((folder / name).is_dir() for name in ("_episodes", "_episodes_rmd")):
        return "legacy"
    if any((child / "path.yaml").is_file() for child in folder.iterdir() if child.is_dir()):
        return "root"
    return "plain"


class Reader:
    """Shared machinery: decoding, front matter, rendering a lesson file."""

    format = "native"
    strict = True

    def __init__(self, folder, root, media, problems, known=None, languages=("fr", "en"), path_id=None):
        self.folder, self.root = Path(folder).resolve(), Path(root).resolve()
        self.path_id = path_id  # `import-courses --as ID`: the id a foreign path is imported under
        self.shared_bases = []  # other folders a page's relative links may be relative to, once built
        self.given = Path(os.path.abspath(folder))  # where the folder is, as named, for messages
        self.media, self.problems, self.known = media, problems, known or {}
        self.languages = languages
        self.link_targets = {}  # resolved file path -> lesson URL

    def rel(self, path, follow=True):
        """Name a file for messages and records: relative to the folder above the imported one.

        With follow=False, a link is named where it is, not where it leads.
        """
        path = Path(path)
        if path.is_relative_to(self.folder) and not self.folder.is_relative_to(self.root):
            path = self.given / path.relative_to(self.folder)  # a linked folder: name it where it is linked
        candidates = (path.resolve(), Path(os.path.abspath(path))) if follow else (Path(os.path.abspath(path)),)
        for candidate in candidates:
            try:
                return str(candidate.relative_to(self.root.parent))
            except ValueError:
                continue
        return str(path)

    def confined(self, path, file=None, line=None, name=None):
        """Return the real path of a file the course may read; else None, after saying why at file:line.

        `file`, `line` and `name` say where and how the file was named (a Markdown
        image, an episode in config.yaml); a file found in a folder is reported itself.
        """
        path = Path(path)
        where, line, name = (file, line, name or path.name) if file is not None else (path, 1, path.name)
        where = self.rel(where, follow=False)
        if "\0" in str(path):  # no file system has such a name, and Python refuses to look it up
            self.problems.error(where, line, f"{name!r} holds a NUL character: no file has such a name")
            return None
        real = inside(self.root, path)
        if real is None:
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # Python 3.11 says RuntimeError, later ones OSError
                self.problems.error(where, line, f"{name} is a loop of links (it leads back to itself): refused")
                return None
            self.problems.error(where, line, f"{name} leads outside the course folder (to {target}): refused")
        elif path.is_symlink() and not real.exists():
            self.problems.error(where, line, f"{name} is a broken link: what it points to does not exist")
        elif not real.exists():
            self.problems.error(where, line, f"file not found: {name}")
        else:
            return real
        return None

    def read_bytes(self, path, file=None, line=None, name=None):
        """Read a file of the course, or say at file:line why not (outside the folder, missing, too big)."""
        real = self.confined(path, file, line, name)
        if real is None:
            return None
        where, line, name = (file, line, name or real.name) if file is not None else (path, 1, Path(path).name)
        try:
            if not real.is_file():
                self.problems.error(self.rel(where), line, f"{name} is not a file")
            elif real.stat().st_size > MAX_TEXT_BYTES:
                self.problems.error(self.rel(where), line,
                                    f"{name} is too large ({MAX_TEXT_BYTES // (1024 * 1024)} MB at most)")
            else:
                return real.read_bytes()
        except OSError as exc:
            self.problems.error(self.rel(where), line, f"cannot read {name}: {exc.strerror}")
        return None

    def read_text(self, path, file=None, line=None, name=None):
        """Return (text, bytes) of a course file, or (None, bytes or None) after reporting the problem."""
        data = self.read_bytes(path, file, line, name)
        if data is None:
            return None, None
        try:
            return data.decode("utf-8-sig"), data
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            self.problems.error(self.rel(path), line, "not UTF-8 text: save the file as UTF-8 in your editor")
            return None, data

    def read_config(self, name):
        """Return (path, text, value) of a YAML file at the folder's top; text and value are None when unreadable."""
        path = self.folder / name
        text, _ = self.read_text(path)
        return path, text, self.load_yaml(path, text) if text is not None else None

    def load_yaml(self, path, text=None, first_line=1):
        try:
            value = yaml.safe_load(text if text is not None else self.read_text(path)[0] or "")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = first_line + mark.line if mark else first_line
            self.problems.error(self.rel(path), line, f"malformed metadata: {getattr(exc, 'problem', exc)}")
            return None
        except UnicodeDecodeError:
            self.problems.error(self.rel(path), 1, "not UTF-8 text: save the file as UTF-8 in your editor")
            return None
        return value

    def split_front_matter(self, path, text):
        """Return (metadata, body, first body line)."""
        if not text.startswith("---"):
            return {}, text, 1
        lines = text.split("\n")
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                meta = self.load_yaml(path, "\n".join(lines[1:index]), first_line=2)
                if meta is not None and not isinstance(meta, dict):
                    self.problems.error(self.rel(path), 2, "the header must be 'key: value' lines")
                    meta = None
                return meta, "\n".join(lines[index + 1:]), index + 2
        self.problems.error(self.rel(path), 1, "the header opened with '---' is never closed with '---'")
        return None, "", 1

    def content_hash(self, data):
        return hashlib.sha256(RENDER_VERSION.encode() + self.format.encode() + data).hexdigest()

    def unchanged(self, path, data):
        """Return the stored (slug, hash) when this file and its images did not change."""
        known = self.known.get(self.rel(path))
        if not known or known[0] != self.content_hash(data):
            return None
        for asset, size in known[2]:
            asset_path = self.root.parent / asset
            if not asset_path.is_file() or asset_path.stat().st_size != size:
                return None
        return known

    def named(self, file, target):
        """Where a link or image names a file: relative to the lesson, or to the folder when it starts with '/'."""
        target = target.split("#")[0].split("?")[0]
        if target.startswith("/"):  # root-relative: the site was the course folder
            return self.folder / target.lstrip("/")
        named = Path(file).parent / target
        if not named.exists():  # a built site may put every page in one folder (the Workbench's episodes/)
            for base in self.shared_bases:
                if (base / target).exists():
                    return base / target
        return named

    def remote_copy(self, url):
        """Return the course's own copy of a remote file (same last folders and name), if it has one."""
        parts = [p for p in re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.split("?")[0]).split("/") if p]
        for count in range(min(3, len(parts)), 0, -1):
            candidate = self.folder.joinpath(*parts[-count:])
            if parts and ".." not in parts and (candidate.is_file() or candidate.is_symlink()):
                return candidate
        return None

    def resolve_image(self, file):
        def resolve(src, line):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
                named = self.remote_copy(src) if src.lower().startswith(("http:", "https:", "//")) else None
                if named is None:
                    return None  # the lesson links to it
            else:
                named = self.named(file, src)
            if not named.is_file() and not named.is_symlink():
                return None  # the lesson says "image not found"
            path = self.confined(named, file, line, src)
            if path is None:
                return False
            if not path.is_file():
                return None
            try:
                found = self.media.image(path)
            except MediaError as exc:
                self.problems.error(self.rel(file), line, str(exc))
                return False
            self._assets.append([self.rel(path), found["size"]])
            return found
        return resolve

    def link_candidates(self, named):
        """A link may name a lesson as written, without '.md', as '.html' (a built site) or as its folder."""
        yield named
        if named.suffix.lower() in (".html", ".htm"):
            yield named.with_suffix(".md")
        if not named.suffix:
            yield named.with_name(named.name + ".md")
        for index in ("index.md", "README.md", "readme.md"):
            yield named / index

    def resolve_link(self, file):
        def resolve(target, line):
            target_path, _, anchor = target.partition("#")
            named = self.named(file, target_path)
            for candidate in self.link_candidates(named):
                path = candidate.resolve()
                if path in self.link_targets:
                    return self.link_targets[path] + (f"#{anchor}" if anchor else "")
            if named.suffix.lower() in DOWNLOAD_SUFFIXES and (named.is_file() or named.is_symlink()):
                path = self.confined(named, file, line, target_path)
                if path is None:
                    return False
                if not path.is_file():
                    return None
                self._assets.append([self.rel(path), path.stat().st_size])
                return self.media.download(path)
            return None
        return resolve

    def resolve_include(self, file):
        """Read a file a lesson includes (mdBook's `{{#include}}`, pymdownx' `--8<--`): beside the lesson,
        else from the folder; None when it is not there, False when it may not be read (said at the line)."""
        def resolve(target, line):
            for named in (Path(file).parent / target, self.folder / target.lstrip("/")):
                if named.is_file() or named.is_symlink():
                    data = self.read_bytes(named, file=file, line=line, name=target)
                    if data is None:
                        return False
                    self._assets.append([self.rel(named.resolve()), len(data)])  # an edit of it renders again
                    return data.decode("utf-8", "replace")
            return None
        return resolve

    def render_text(self, path, data, body, first_line, language, slug, title, minutes, objectives, fallback=None):
        """Render a lesson file; with title None, the title comes from its headings, else `fallback`."""
        self._assets = []
        if self.strict:
            markup = LessonMarkup(self.rel(path), language, self.problems, self.resolve_image(path),
                                  self.resolve_link(path), strict=True)
        else:
            markup = ForeignMarkup(self.rel(path), language, self.problems, self.resolve_image(path),
                                   self.resolve_link(path), find_title=title is None, title=title,
                                   include=self.resolve_include(path))
        rendered = markup.render(body, first_line)
        title = title or getattr(rendered, "title", None) or fallback or slug
        return TextSpec(
            language=language, title=title[:300], minutes=minutes, objectives=objectives,
            html=rendered.html, toc=rendered.toc, plain_text=rendered.plain_text, words=rendered.words,
            quiz=rendered.quiz, assignment=rendered.assignment, source_path=self.rel(path),
            content_hash=self.content_hash(data), assets=self._assets,
            trainer_html=getattr(rendered, "trainer_html", ""))

    def lesson_audio(self, path, text, meta, text_spec):
        """Attach the recordings the header names, beside the lesson, to its text.

        `audio: 03-prices.fr.m4a` is the whole lesson read aloud; `audio: [03-a.fr.m4a, 03-b.fr.m4a]` is one
        short recording a step, in the order of the steps the lesson reads in (see steps.py): a trainer used to
        voice notes records each screen as she would a voice note, and the learner hears the screen she reads.
        """
        named = meta.get("audio")
        if named is None:
            return
        line = next((n for n, row in enumerate(text.split("\n"), start=1) if re.match(r"^audio\s*:", row)), 1)
        names = named if isinstance(named, list) else [named]
        if not names or not all(isinstance(name, str) and name.strip() for name in names):
            self.problems.error(self.rel(path), line,
                                "'audio' must name a recording beside the lesson, e.g. 'audio: 03-prices.fr.m4a', "
                                "or one a step: 'audio: [03-intro.fr.m4a, 03-prices.fr.m4a]'")
            return
        if isinstance(named, list):
            steps = split_steps(text_spec.html)
            if len(names) != len(steps):
                titles = "; ".join(step.title or "(introduction)" for step in steps)
                self.problems.error(self.rel(path), line,
                                    f"'audio' names {len(names)} recordings, but the lesson reads in {len(steps)} "
                                    f"steps ({titles}): one recording a step, in their order")
                return
        recordings = []
        for name in (name.strip() for name in names):
            real = self.confined(self.named(path, name), path, line, name)
            if real is None:
                return
            if not real.is_file():
                self.problems.error(self.rel(path), line, f"{name} is not a file")
                return
            try:
                recordings.append(self.media.audio(real))
            except MediaError as exc:
                self.problems.error(self.rel(path), line, str(exc))
                return
            text_spec.assets.append([self.rel(real), real.stat().st_size])  # a new recording renders it again
        if isinstance(named, list):
            text_spec.audio = {"steps": recordings, "seconds": sum(r["seconds"] for r in recordings),
                               "bytes": sum(r["bytes"] for r in recordings)}
        else:
            text_spec.audio = recordings[0]

    def unchanged_text(self, path, data, language):
        return TextSpec(language=language, title="", minutes=0, objectives=[], html="", toc=[], plain_text="",
                        words=0, quiz=None, assignment=None, source_path=self.rel(path),
                        content_hash=self.content_hash(data), unchanged=True)

    def localized(self, file, line, value, field, required=False):
        """Accept {fr: ..., en: ...} or one plain string for every language."""
        if value is None:
            if required:
                self.problems.error(self.rel(file), line, f"'{field}' is missing")
            return {}
        if isinstance(value, str | int | float):
            return {lang: str(value) for lang in self.languages}
        if isinstance(value, dict) and all(isinstance(v, str | int | float) for v in value.values()):
            return {str(k): str(v).strip() for k, v in value.items()}
        self.problems.error(self.rel(file), line, f"'{field}' must be a text, or one text per language (fr:, en:)")
        return {}

    def estimate_minutes(self, body):
        return max(5, round(len(body.split()) / 150))
