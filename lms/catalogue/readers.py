"""The three kinds of course folder: ours, a plain folder of Markdown files, a Carpentries lesson."""
import re
from html import escape
from pathlib import Path, PurePosixPath, PureWindowsPath

from lms.catalogue.sources import (
    ENGLISH_WORDS, FRENCH_WORDS, LANGUAGE_FILE, LEVELS, MAX_TEXT_BYTES, SLUG, Reader, inside, order_key, slugify,
    source_identity, strip_order,
)
from lms.catalogue.credits import credit_line, plain_words
from lms.catalogue.foreign import summary_of
from lms.catalogue.navigation import heading_title, pages, read_navigation
from lms.catalogue.kramdown import LegacyText
from lms.catalogue.legacy import LegacyCarpentriesReader
from lms.catalogue.specs import LessonSpec, ModuleSpec, PathSpec


def key_line(text, key):
    for number, line in enumerate((text or "").split("\n"), start=1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


class NativeReader(Reader):
    """Our format: path.yaml, optional module folders, lesson.<lang>.md files with a header."""

    def read(self):
        meta_file = self.folder / "path.yaml"
        meta_text, meta_data = self.read_text(meta_file)
        meta = self.load_yaml(meta_file, meta_text) if meta_text is not None else None
        if meta is None:
            return None
        if not isinstance(meta, dict):
            self.problems.error(self.rel(meta_file), 1, "path.yaml must be 'key: value' lines")
            return None
        line = lambda key: key_line(meta_text, key)  # noqa: E731
        slug = str(meta.get("id") or "")
        if not SLUG.match(slug):
            self.problems.error(self.rel(meta_file), line("id"), "'id' must be lowercase letters, digits and dashes")
        level = meta.get("level", "beginner")
        if level not in LEVELS:
            self.problems.error(self.rel(meta_file), line("level"), f"'level' must be one of {', '.join(LEVELS)}")
        numbers = {}
        for key, default, low, high in (("order", 0, 0, 10**6), ("hours", 0, 0, 1000), ("pass_mark", 70, 1, 100)):
            value = meta.get(key, default)
            if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
                self.problems.error(self.rel(meta_file), line(key), f"'{key}' must be a number from {low} to {high}")
                value = default
            numbers[key] = value
        spec = PathSpec(
            slug=slug, position=int(numbers["order"]), level=level, hours=float(numbers["hours"]),
            pass_mark=int(numbers["pass_mark"]),
            title=self.localized(meta_file, line("title"), meta.get("title"), "title", required=True),
            summary=self.localized(meta_file, line("summary"), meta.get("summary"), "summary"),
            audience=self.localized(meta_file, line("audience"), meta.get("audience"), "audience"),
            credits=self.localized(meta_file, line("credits"), meta.get("credits"), "credits"),
            source_format="native", source_root=str(self.root), source_dir=str(self.folder), source_id=f"native:{slug}",
            meta_hash=self.content_hash(meta_data))
        files = self._lesson_files(spec)
        self._read_lessons(spec, files)
        return spec

    def _lesson_files(self, spec):
        """Return [(module slug or None, file)] in order; modules come from sub-folders."""
        files = []
        for child in sorted(self.folder.iterdir(), key=lambda p: order_key(p.name)):
            if child.is_dir() and (child / "module.yaml").is_file():
                module = self._module(child, len(spec.modules))
                if module:
                    spec.modules.append(module)
                    files += [(module.slug, f) for f in sorted(child.glob("*.md"), key=lambda p: order_key(p.name))]
            elif child.suffix == ".md" and (child.is_file() or child.is_symlink()):  # a broken link is reported
                files.append((None, child))
        return files

    def _module(self, folder, position):
        meta_file = folder / "module.yaml"
        text, _data = self.read_text(meta_file)
        meta = self.load_yaml(meta_file, text) if text is not None else None
        if not isinstance(meta, dict):
            if meta is not None:
                self.problems.error(self.rel(meta_file), 1, "module.yaml must be 'key: value' lines")
            return None
        slug = str(meta.get("id") or "")
        if not SLUG.match(slug):
            self.problems.error(self.rel(meta_file), key_line(text, "id"), "'id' must be lowercase letters, digits and dashes")
        return ModuleSpec(slug=slug, position=int(meta.get("order", position)) if str(meta.get("order", "")).isdigit() else position,
                          title=self.localized(meta_file, key_line(text, "title"), meta.get("title"), "title", required=True))

    def _read_lessons(self, spec, files):
        parsed = []
        for module, path in files:
            match = LANGUAGE_FILE.match(path.name)
            if not match:
                self.problems.error(self.rel(path), None, "name lesson files like 'lesson.fr.md' or 'lesson.en.md'")
                continue
            text, data = self.read_text(path)
            if text is None:
                continue
            known = self.unchanged(path, data)
            meta, body, first_line = ({"id": known[1]}, "", 0) if known else self.split_front_matter(path, text)
            if meta is None:
                continue
            slug = str(meta.get("id") or "")
            if not SLUG.match(slug):
                self.problems.error(self.rel(path), key_line(text, "id") if text.startswith("---") else 1,
                                    "the header needs an 'id': lowercase letters, digits and dashes")
                continue
            parsed.append((module, path, match.group("lang"), slug, meta, body, first_line, text, data, known))
            # A link may name the lesson in any language, or with no language at all.
            stem = path.parent.resolve() / match.group("stem")
            for name in [f"{stem}.md"] + [f"{stem}.{lang}.md" for lang in self.languages]:
                self.link_targets.setdefault(Path(name), f"/lessons/{slug}")
            self.link_targets[path.resolve()] = f"/lessons/{slug}"
        by_slug = {}
        for module, path, lang, slug, meta, body, first_line, text, data, known in parsed:
            lesson = by_slug.get(slug)
            if lesson is None:
                lesson = by_slug[slug] = LessonSpec(slug=slug, position=len(by_slug), module=module, source=self.rel(path))
                spec.lessons.append(lesson)
            if lang in lesson.texts:
                self.problems.error(self.rel(path), key_line(text, "id"),
                                    f"duplicate id '{slug}': {lesson.texts[lang].source_path} has it too in '{lang}'")
                continue
            if known:
                lesson.texts[lang] = self.unchanged_text(path, data, lang)
                continue
            title = meta.get("title")
            if not isinstance(title, str) or not title.strip():
                self.problems.error(self.rel(path), key_line(text, "title"), "the header needs a 'title'")
                title = slug
            minutes = meta.get("minutes")
            if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
                self.problems.error(self.rel(path), key_line(text, "minutes"), "'minutes' must be a whole number above 0")
                minutes = 0
            objectives = meta.get("objectives") or []
            if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
                self.problems.error(self.rel(path), key_line(text, "objectives"), "'objectives' must be a list of lines starting with '- '")
                objectives = []
            lesson.texts[lang] = self.render_text(path, data, body, first_line, lang, slug, title.strip(), minutes, objectives)
            self.lesson_audio(path, text, meta, lesson.texts[lang])


def file_title(path):
    """'02-elements_and_tags.md' -> 'Elements and tags': a title when the file gives none."""
    stem = LANGUAGE_FILE.sub(r"\g<stem>", path.name) if LANGUAGE_FILE.match(path.name) else path.stem
    return re.sub(r"[-_ ]+", " ", strip_order(stem)).strip().capitalize() or path.stem


class PlainReader(Reader):
    """A folder of Markdown files with no metadata: order, titles and modules come from its navigation
    file (lessons.yaml, mkdocs.yml, _toc.yml, SUMMARY.md, sidebars.js: see navigation.py), else its folders."""

    format = "plain"
    strict = False

    def read(self):
        slug = self.path_id or slugify(self.folder.name)
        nav = self._navigation()
        intro = next((base / n for base in dict.fromkeys((self.folder, nav.root)) for n in ("README.md", "index.md")
                      if (base / n).is_file() or (base / n).is_symlink()), None)
        title = self.folder.name.replace("-", " ").replace("_", " ").strip().capitalize()
        summary = ""
        if intro:
            text, _ = self.read_text(intro)
            heading = re.search(r"^#\s+(.+)$", text or "", re.M)
            title = plain_words(heading.group(1)) or title if heading else title
            summary = summary_of(self.split_front_matter(intro, text)[1]) if text else ""  # plain words, no badge
        credits = credit_line(self)
        spec = PathSpec(slug=slug, position=1000, level="beginner", hours=0, pass_mark=70,
                        title=self.localized(self.folder, None, nav.title or title, "title"),
                        summary=self.localized(self.folder, None, summary, "summary") if summary else {},
                        audience={}, credits=self.localized(self.folder, None, credits, "credits") if credits else {},
                        source_format="plain", source_root=str(self.root), source_dir=str(self.folder),
                        source_id=source_identity(self.folder))
        files = self._lesson_files(spec, nav)
        site = self._jekyll_site()
        for _module, path, _title in files:
            self.link_targets[path.resolve()] = f"/lessons/{self._slug(spec, path, nav.root)}"
        total_minutes = 0
        for module, path, nav_title in files:
            lesson_slug = self._slug(spec, path, nav.root)
            text, data = self.read_text(path)
            if text is None:
                continue
            match = LANGUAGE_FILE.match(path.name)
            meta, body, first_line = self.split_front_matter(path, text)
            meta = meta or {}
            language = match.group("lang") if match else self._detect_language(body)
            lesson = next((l for l in spec.lessons if l.slug == lesson_slug), None)
            if lesson is None:
                lesson = LessonSpec(slug=lesson_slug, position=len(spec.lessons), module=module, source=self.rel(path))
                spec.lessons.append(lesson)
            data = data + f"\0{nav_title}".encode() if nav_title else data  # a new title in the nav renders again
            known = self.unchanged(path, data)
            if known:
                lesson.texts[language] = self.unchanged_text(path, data, language)
                continue
            title = nav_title or (str(meta["title"]).strip() if meta.get("title") else None)  # else its first heading
            if nav_title and (heading_title(body) or "").casefold() == nav_title.casefold():
                title = None  # the page's own heading says it: taken out of the text, not shown twice
            if site is not None:  # a Jekyll site: its kramdown attributes and Liquid, as for older Carpentries
                converted = LegacyText(self, path, first_line, page=meta, site=site)
                body, first_line = converted.convert(body), first_line - converted.lead
            minutes = self.estimate_minutes(body)
            total_minutes += minutes
            lesson.texts[language] = self.render_text(path, data, body, first_line, language, lesson_slug,
                                                      title, minutes, [], fallback=nav_title or file_title(path))
            if nav_title:
                lesson.texts[language].title = nav_title[:300]
        spec.hours = round(total_minutes / 60, 1)
        return spec

    def _jekyll_site(self):
        """The `site.*` values of a Jekyll site (a `_config.yml` beside its pages), or None for other folders."""
        config_file = self.folder / "_config.yml"
        if not (config_file.is_file() or config_file.is_symlink()):
            return None
        text, _ = self.read_text(config_file)
        config = self.load_yaml(config_file, text) if text is not None else None
        config = config if isinstance(config, dict) else {}
        return {k: v for k, v in config.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}

    def _navigation(self):
        """Read the folder's navigation; what it says is wrong is a warning at its file:line."""
        nav = read_navigation(self.folder, lambda path: self.read_text(path)[0], self._peek)
        for note in nav.notes:
            self.problems.warning(self.rel(note.path, follow=False), note.line, note.message)
        return nav

    def _peek(self, path):
        """A lesson's text for its front matter, read quietly: reading it as a lesson says what is wrong."""
        real = inside(self.root, path)
        try:
            if real is not None and real.is_file() and real.stat().st_size <= MAX_TEXT_BYTES:
                return real.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            pass
        return None

    def _lesson_files(self, spec, nav):
        """Return [(module slug or None, file, title from the navigation or None)] in the navigation's order."""
        files, modules, lessons = [], {}, {}
        for page in pages(nav, self._peek):
            module = None
            lesson = self._slug(spec, page.file, nav.root)
            if lesson in lessons:  # another language of a lesson already placed: its place
                files.append((lessons[lesson], page.file, page.title))
                continue
            if page.module:
                module = slugify("-".join(strip_order(part) for part in page.module_key.split("/")))
                if module not in modules:
                    modules[module] = ModuleSpec(slug=module, position=len(modules),
                                                 title=self.localized(self.folder, None, " › ".join(page.module), "title"))
                    spec.modules.append(modules[module])
            files.append((module, page.file, page.title))
            lessons[lesson] = module
        return files

    def _slug(self, spec, path, base=None):
        base = base if base is not None and path.is_relative_to(base) else self.folder
        relative = path.relative_to(base).with_suffix("")
        stem = LANGUAGE_FILE.sub(r"\g<stem>", path.name) if LANGUAGE_FILE.match(path.name) else None
        parts = [strip_order(p) for p in relative.parts[:-1]] + [strip_order(stem or relative.name)]
        return f"{spec.slug}-{slugify('-'.join(parts))}"[:120]

    def _detect_language(self, text):
        words = re.findall(r"[a-zà-ÿ]+", text.lower()[:20000])
        french = sum(w in FRENCH_WORDS for w in words)
        english = sum(w in ENGLISH_WORDS for w in words)
        return "fr" if french > english else "en"


class CarpentriesReader(Reader):
    """A Carpentries lesson: config.yaml gives the episode order; episodes have YAML front matter."""

    format = "carpentries"
    strict = False

    def read(self):
        config_file, config_text, config = self.read_config("config.yaml")
        if not isinstance(config, dict):
            return None
        episodes = config.get("episodes") or sorted(p.name for p in (self.folder / "episodes").glob("*.md"))
        self.shared_bases = [self.folder / "episodes"]
        language = str(config.get("lang") or "en")[:2]
        slug = self.path_id or slugify(self.folder.name)
        title = str(config.get("title") or self.folder.name)
        spec = PathSpec(slug=slug, position=1000, level="beginner", hours=0, pass_mark=70,
                        title={language: title}, summary={}, audience={}, credits={language: self._credits(config, title)},
                        source_format="carpentries", source_root=str(self.root), source_dir=str(self.folder),
                        source_id=source_identity(self.folder, config.get("source")))
        files = []
        for number, name in enumerate(episodes):
            path = self.folder / "episodes" / str(name)
            if PurePosixPath(str(name)).is_absolute() or PureWindowsPath(str(name)).is_absolute() \
                    or ".." in PurePosixPath(str(name).replace("\\", "/")).parts:
                self.problems.error(self.rel(config_file), key_line(config_text, "episodes") + number + 1,
                                    f"an episode must be a file inside episodes/, not {name}")
                continue
            if not path.is_file():
                self.problems.error(self.rel(config_file), key_line(config_text, "episodes") + number + 1,
                                    f"episode not found: episodes/{name}")
                continue
            files.append(path)
            self.link_targets[path.resolve()] = f"/lessons/{slug}-{slugify(strip_order(path.stem))}"
        for path in self._extra_files(config, "learners", ("setup.md", "reference.md")):
            files.append(path)  # setup and the glossary are lessons for everyone
            self.link_targets[path.resolve()] = f"/lessons/{slug}-{slugify(strip_order(path.stem))}"
        index = self.folder / "index.md"
        if index.is_file() or index.is_symlink():
            text, _ = self.read_text(index)
            summary = summary_of(self.split_front_matter(index, text)[1]) if text else ""
            spec.summary = {language: summary} if summary else {}
        total = 0
        for path in files:
            text, data = self.read_text(path)
            if text is None:
                continue
            lesson = LessonSpec(slug=f"{slug}-{slugify(strip_order(path.stem))}", position=len(spec.lessons),
                                module=None, source=self.rel(path))
            spec.lessons.append(lesson)
            if self.unchanged(path, data):
                lesson.texts[language] = self.unchanged_text(path, data, language)
                continue
            meta, body, first_line = self.split_front_matter(path, text)
            meta = meta or {}
            minutes = sum(int(meta.get(k) or 0) for k in ("teaching", "exercises") if str(meta.get(k) or "0").isdigit())
            minutes = minutes or self.estimate_minutes(body)
            total += minutes
            objectives = self._list_in_block(body, "objectives")
            if objectives:  # shown in the lesson's own objectives box: not twice
                body = self._blank_block(body, "objectives")
            lesson.texts[language] = self.render_text(path, data, body, first_line, language, lesson.slug,
                                                      str(meta.get("title") or path.stem), minutes, objectives)
        spec.hours = round(total / 60, 1)
        notes = [self._trainer_notes(path, language, slug) for path in self._extra_files(config, "instructors", ())]
        if any(notes):
            spec.trainer_notes = {language: "\n".join(n for n in notes if n)}
        return spec

    def _extra_files(self, config, folder, first):
        """The Workbench's learners/ or instructors/ pages: as listed in config.yaml, else all, `first` first."""
        listed = config.get(folder)
        names = [str(n) for n in listed] if isinstance(listed, list) else sorted(
            (p.name for p in (self.folder / folder).glob("*.md")), key=lambda n: (n not in first, first.index(n)
                                                                              if n in first else 0, n))
        paths = []
        for name in names:
            path = self.folder / folder / name
            if "/" in name or "\\" in name or name.startswith("."):
                self.problems.warning(self.rel(self.folder / "config.yaml"), key_line(None, folder),
                                      f"'{name}' in {folder}: is not a file name: skipped")
            elif path.is_file() or path.is_symlink():
                paths.append(path)
        return paths

    def _trainer_notes(self, path, language, slug):
        text, data = self.read_text(path)
        if text is None:
            return ""
        meta, body, first_line = self.split_front_matter(path, text)
        spec = self.render_text(path, data, body, first_line, language, slug, None, 0, [],
                                fallback=str((meta or {}).get("title") or file_title(path)))
        return f"<h3>{escape(spec.title)}</h3>\n{spec.html}{spec.trainer_html}"

    def _credits(self, config, title):
        return credit_line(self, lead=f"“{title}”, The Carpentries.", licence=config.get("license"),
                           source=config.get("source"))

    def _blank_block(self, body, name):
        """Replace a block by empty lines, so that line numbers in messages stay right."""
        match = re.search(rf"^:{{3,}}\s*{name}\s*\n.*?^:{{3,}}\s*$", body, re.M | re.S)
        return body[:match.start()] + "\n" * match.group(0).count("\n") + body[match.end():]

    def _list_in_block(self, body, name):
        match = re.search(rf"^:{{3,}}\s*{name}\s*\n(.*?)^:{{3,}}\s*$", body, re.M | re.S)
        if not match:
            return []
        return [re.sub(r"^[-*]\s+", "", l).strip() for l in match.group(1).split("\n") if re.match(r"^\s*[-*]\s+", l)]


READERS = {"native": NativeReader, "plain": PlainReader, "carpentries": CarpentriesReader, "legacy": LegacyCarpentriesReader}
