"""Read course folders into specs: our own format, plain Markdown folders, Carpentries lessons.

Nothing here touches the database: readers get what the database already knows
(`known`: source file -> (hash, slug, assets)) so that unchanged files are not
rendered again, and they report every problem with its file and line.
"""
import hashlib
import re
import unicodedata
from pathlib import Path

import yaml

from lms.catalogue.markup import LessonMarkup
from lms.catalogue.media import DOWNLOAD_SUFFIXES, MediaError
from lms.catalogue.specs import TextSpec

RENDER_VERSION = "5"  # bump to re-render every lesson after a change to the renderer
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
LEVELS = ("beginner", "intermediate", "advanced")
LANGUAGE_FILE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")
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


def detect_kind(folder):
    """Return 'native', 'carpentries', 'plain' or 'root' (a folder of native paths)."""
    folder = Path(folder)
    if (folder / "path.yaml").is_file():
        return "native"
    if (folder / "config.yaml").is_file() and (folder / "episodes").is_dir():
        return "carpentries"
    if any((child / "path.yaml").is_file() for child in folder.iterdir() if child.is_dir()):
        return "root"
    return "plain"


class Reader:
    """Shared machinery: decoding, front matter, rendering a lesson file."""

    format = "native"
    strict = True

    def __init__(self, folder, root, media, problems, known=None, languages=("fr", "en")):
        self.folder, self.root = Path(folder).resolve(), Path(root).resolve()
        self.media, self.problems, self.known = media, problems, known or {}
        self.languages = languages
        self.link_targets = {}  # resolved file path -> lesson URL

    def rel(self, path):
        try:
            return str(Path(path).resolve().relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def read_text(self, path):
        data = Path(path).read_bytes()
        try:
            return data.decode("utf-8-sig"), data
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            self.problems.error(self.rel(path), line, "not UTF-8 text: save the file as UTF-8 in your editor")
            return None, data

    def load_yaml(self, path, text=None, first_line=1):
        try:
            value = yaml.safe_load(text if text is not None else Path(path).read_text("utf-8-sig"))
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

    def resolve_image(self, file):
        def resolve(src, line):
            path = (Path(file).parent / src.split("#")[0]).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                return None
            try:
                found = self.media.image(path)
            except MediaError as exc:
                self.problems.error(self.rel(file), line, str(exc))
                return None
            self._assets.append([self.rel(path), found["size"]])
            return found
        return resolve

    def resolve_link(self, file):
        def resolve(target, line):
            target_path, _, anchor = target.partition("#")
            path = (Path(file).parent / target_path).resolve()
            if path in self.link_targets:
                return self.link_targets[path] + (f"#{anchor}" if anchor else "")
            if path.is_file() and path.is_relative_to(self.root) and path.suffix.lower() in DOWNLOAD_SUFFIXES:
                self._assets.append([self.rel(path), path.stat().st_size])
                return self.media.download(path)
            return None
        return resolve

    def render_text(self, path, data, body, first_line, language, slug, title, minutes, objectives):
        self._assets = []
        markup = LessonMarkup(self.rel(path), language, self.problems, self.resolve_image(path),
                              self.resolve_link(path), strict=self.strict)
        rendered = markup.render(body, first_line)
        return TextSpec(
            language=language, title=title, minutes=minutes, objectives=objectives,
            html=rendered.html, toc=rendered.toc, plain_text=rendered.plain_text, words=rendered.words,
            quiz=rendered.quiz, assignment=rendered.assignment, source_path=self.rel(path),
            content_hash=self.content_hash(data), assets=self._assets)

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
