"""Read the older Carpentries lessons (Jekyll layout: `_config.yml`, `_episodes/`).

Their pages are written in kramdown with Liquid; lms.catalogue.kramdown turns
each one into the Markdown the foreign renderer reads, then it is rendered like
any lesson from elsewhere.
"""
import re
from html import escape
from pathlib import Path

from lms.catalogue.credits import credit_line
from lms.catalogue.foreign import summary_of
from lms.catalogue.kramdown import LIQUID, ROOT_VARIABLES, LegacyText
from lms.catalogue.sources import MAX_TEXT_BYTES, Reader, slugify, source_identity, strip_order
from lms.catalogue.specs import LessonSpec, PathSpec

BREAK = re.compile(r"^---\s*\n(?:(?!---).*\n)*?layout:\s*[\"']?break[\"']?\s*\n")
TRAINER_PAGES = ("guide.md",)  # _extras/: the instructor guide
LEARNER_EXTRAS = ("discuss.md",)  # _extras/: the discussion page, questions learners ask after the lesson
INCLUDES_LINKS = re.compile(r"\{%-?\s*include\s+links\.md\s*-?%\}")


class LegacyCarpentriesReader(Reader):
    """An older Carpentries lesson: `_config.yml`, `_episodes/` in file order, `setup.md` and `reference.md`.

    Only the lesson's pages are read: what builds the web site (`_includes/`, `_layouts/`, `404.md`,
    `.github/`, the contributors' pages, other `_extras/`) is not a lesson.
    """

    format = "legacy"
    strict = False

    def read(self):
        config_file, _, config = self.read_config("_config.yml")
        if not isinstance(config, dict):
            if config is not None:
                self.problems.error(self.rel(config_file), 1, "_config.yml must be 'key: value' lines")
            return None
        self.site = {k: v for k, v in config.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}
        language = str(config.get("lang") or "en")[:2]
        slug = self.path_id or slugify(self.folder.name)
        title = str(config.get("title") or self.folder.name)
        repository = self._repository()
        spec = PathSpec(slug=slug, position=1000, level="beginner", hours=0, pass_mark=70,
                        title={language: title}, summary={}, audience={},
                        credits={language: credit_line(self, lead=f"“{title}”, The Carpentries.", source=repository)},
                        source_format="legacy",
                        source_root=str(self.root), source_dir=str(self.folder),
                        source_id=source_identity(self.folder, repository))
        pages = ("setup.md", "reference.md", *(f"_extras/{name}" for name in LEARNER_EXTRAS))
        files = self._episodes(config) + [self.folder / name for name in pages
                                          if (self.folder / name).is_file() or (self.folder / name).is_symlink()]
        slugs = {}
        for path in files:
            base, number = f"{slug}-{slugify(strip_order(path.stem))}"[:116], 1
            while (f"{base}-{number}" if number > 1 else base) in slugs.values():
                number += 1
            slugs[path] = f"{base}-{number}" if number > 1 else base
            self.link_targets[path.resolve()] = f"/lessons/{slugs[path]}"
        spec.summary = self._summary(language)
        total = 0
        for path in files:
            text, data = self.read_text(path)
            if text is None or BREAK.match(text):
                continue  # a coffee break of the workshop's schedule is not a lesson
            data += self._included(text)
            lesson = LessonSpec(slug=slugs[path], position=len(spec.lessons), module=None, source=self.rel(path))
            spec.lessons.append(lesson)
            if self.unchanged(path, data):
                lesson.texts[language] = self.unchanged_text(path, data, language)
                continue
            meta, body, first_line = self.split_front_matter(path, text)
            meta = meta or {}
            minutes = sum(int(meta.get(k)) for k in ("teaching", "exercises") if str(meta.get(k, "")).isdigit())
            minutes = minutes or self.estimate_minutes(body)
            total += minutes
            body, first_line = self.lesson_body(path, meta, body, first_line)
            title = str(meta.get("title") or "").strip() or strip_order(path.stem).replace("-", " ").capitalize()
            lesson.texts[language] = self.render_text(path, data, body, first_line, language, lesson.slug,
                                                      title, minutes, self._items(meta, "objectives"))
        spec.hours = round(total / 60, 1)
        notes = [self._trainer_notes(self.folder / "_extras" / name, language, slug) for name in TRAINER_PAGES
                 if (self.folder / "_extras" / name).is_file() or (self.folder / "_extras" / name).is_symlink()]
        if any(notes):
            spec.trainer_notes = {language: "\n".join(n for n in notes if n)}
        return spec

    def _episodes(self, config):
        """Episodes as Jekyll orders them: `episode_order` in _config.yml, else by file name."""
        folder = self.folder / "_episodes"
        names = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
        if not names and (self.folder / "_episodes_rmd").is_dir():
            folder = self.folder / "_episodes_rmd"
            names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".md", ".rmd"))
        order = config.get("episode_order")
        if isinstance(order, list) and order:
            by_stem = {Path(n).stem: n for n in names}
            listed = [by_stem[str(o).removesuffix(".md")] for o in order if str(o).removesuffix(".md") in by_stem]
            names = listed + [n for n in names if n not in listed]
        return [folder / name for name in names]

    def lesson_body(self, path, meta, body, first_line):
        """Return (Markdown for ForeignMarkup, its first line): questions before, key points and links after."""
        converted = LegacyText(self, path, first_line, page=meta, site=self.site)
        text = converted.convert(body)
        first_line -= converted.lead
        questions = self._items(meta, "questions")
        if questions:  # written over the header's own lines, so the body's lines keep their numbers
            before = ["::: questions", *(f"- {q}" for q in questions), ":::", ""]
            text, first_line = "\n".join(before) + "\n" + text, first_line - len(before)
        keypoints = self._items(meta, "keypoints")
        if keypoints:
            text += "\n\n::: keypoints\n" + "\n".join(f"- {k}" for k in keypoints) + "\n:::\n"
        if converted.wants_links:
            text += "\n\n" + self._shared_links(path, converted.wants_links)
        return text, first_line

    def _shared_links(self, path, line):
        """The reference-style link definitions of _includes/links.md; one that needs Liquid we cannot fill is left out."""
        links = self.folder / "_includes" / "links.md"
        if not (links.is_file() or links.is_symlink()):
            self.problems.warning(self.rel(path), line, "_includes/links.md not found: its links are left out")
            return ""
        text, _ = self.read_text(links, file=path, line=line, name="_includes/links.md")
        kept = []
        for line in (text or "").split("\n"):
            line = re.sub(r"\{\{\s*(" + "|".join(re.escape(v) for v in ROOT_VARIABLES) + r")\s*\}\}", "", line)
            line = re.sub(r"\{\{\s*site\.(\w+)\s*\}\}",
                          lambda m: str(self.site.get(m.group(1), m.group(0))), line)
            if re.match(r"^ {0,3}\[[^\]]+\]:\s*\S", line) and "{{" not in line and "{%" not in line:
                kept.append(line)
        return "\n".join(kept) + "\n"

    def _included(self, text):
        """The bytes of the links file a page includes: an edit of it alone renders the page again."""
        links = self.folder / "_includes" / "links.md"
        if not INCLUDES_LINKS.search(text) or not links.is_file():
            return b""
        real = links.resolve()  # one outside the folder or too large is said where the page reads it
        if not real.is_relative_to(self.folder.resolve()) or real.stat().st_size > MAX_TEXT_BYTES:
            return b""
        return b"\0" + real.read_bytes()

    def _items(self, meta, key):
        value = meta.get(key) or []
        values = value if isinstance(value, list) else [value]
        return [re.sub(r"\s+", " ", str(v)).strip() for v in values
                if isinstance(v, str | int | float) and str(v).strip()]

    def link_candidates(self, named):
        """Jekyll publishes `_episodes/02-setup.md` as `/02-setup/`: a link may name a page that way."""
        yield from super().link_candidates(named)
        stem = named.parent.name if named.name in ("index.html", "index.md") else named.name
        stem = re.sub(r"\.(html?|md|Rmd)$", "", stem, flags=re.I)
        for folder, suffix in (("_episodes", ".md"), ("_episodes_rmd", ".Rmd"), ("_episodes_rmd", ".md"), (".", ".md")):
            yield self.folder / folder / f"{stem}{suffix}"

    def _summary(self, language):
        index = self.folder / "index.md"
        if not (index.is_file() or index.is_symlink()):
            return {}
        text, _ = self.read_text(index)
        body = self.split_front_matter(index, text)[1] if text else ""
        summary = summary_of(LIQUID.sub("", body))
        return {language: summary} if summary else {}

    def _trainer_notes(self, path, language, slug):
        text, data = self.read_text(path)
        if text is None:
            return ""
        meta, body, first_line = self.split_front_matter(path, text)
        meta = meta or {}
        body, first_line = self.lesson_body(path, meta, body, first_line)
        spec = self.render_text(path, data, body, first_line, language, slug, None, 0, [],
                                fallback=str(meta.get("title") or path.stem.capitalize()))
        return f"<h3>{escape(spec.title)}</h3>\n{spec.html}{spec.trainer_html}"

    def _repository(self):
        """The lesson's repository, as its CITATION names it: two checkouts are one source."""
        for name in ("CITATION", "CITATION.cff"):  # not README: it may name other repositories first
            path = self.folder / name
            if path.is_file() or path.is_symlink():
                text = (self.read_bytes(path) or b"").decode("utf-8", "replace")
                found = re.search(r"https://github\.com/[\w.-]+/[\w.-]+", text)
                if found:
                    return found.group(0)
        return None
