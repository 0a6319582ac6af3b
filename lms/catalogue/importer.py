"""Import course folders: read and validate everything first, then apply it in one transaction."""
import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import lazyload

from lms.catalogue.media import MediaStore
from lms.catalogue.models import LearningPath, Lesson, LessonText, Module
from lms.catalogue.readers import READERS, NativeReader
from lms.catalogue.sources import SLUG, detect_kind
from lms.catalogue.specs import Problem, Problems
from lms.catalogue.typography import typeset_french
from lms.core.database import utcnow
from lms.extensions import db
from lms.media import images


@dataclass
class ImportResult:
    problems: Problems
    summary: dict = field(default_factory=lambda: dict.fromkeys(("added", "updated", "unchanged", "retired"), 0))
    paths: list = field(default_factory=list)
    changed_lessons: list = field(default_factory=list)
    retired_lessons: list = field(default_factory=list)
    plan: dict = field(default_factory=dict)  # path id -> {"added": [lesson ids], "changed": [...], "retired": [...]}
    media: MediaStore | None = None

    @property
    def ok(self):
        return not self.problems.errors

    def as_dict(self):
        return {"ok": self.ok, "summary": self.summary, "paths": self.paths, "plan": self.plan,
                "problems": [{"file": p.file, "line": p.line, "message": p.message,
                              "level": "error" if p.fatal else "warning"} for p in self.problems]}


def read_specs(folders, media, problems, known, languages=("fr", "en"), path_id=None):
    """Return the path specs found in these folders, each with the warnings found while reading it."""
    specs = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            problems.error(str(folder), None, "no such folder")
            continue
        try:
            kind = detect_kind(folder)
            children = sorted(p for p in folder.iterdir() if (p / "path.yaml").is_file()) if kind == "root" else []
        except OSError as exc:  # a folder we may not list
            problems.error(str(folder), None, f"cannot read this folder: {exc.strerror or exc}")
            continue
        if kind == "root":
            readers = [NativeReader(child, folder, media, problems, known, languages) for child in children]
        else:
            readers = [READERS[kind](folder, folder, media, problems, known, languages, path_id=path_id)]
        for reader in readers:
            before = len(problems)
            try:
                spec = reader.read()
            except (OSError, RuntimeError) as exc:  # a file that vanished, a loop of links found on the way
                problems.error(*unreadable(reader, exc))
                continue
            if spec is not None:
                spec.warnings = [p for p in problems[before:] if not p.fatal]
                specs.append(spec)
    return specs


def unreadable(reader, exc):
    """Return (file, line, message) for a file system error met while reading a folder."""
    name = getattr(exc, "filename", None)
    loop = re.search(r"Symlink loop from '(.+)'", str(exc))  # Python 3.11's Path.resolve()
    if loop or getattr(exc, "errno", None) == errno.ELOOP:
        name = loop.group(1) if loop else name
        message = f"{Path(name).name if name else 'a link'} is a loop of links (it leads back to itself): refused"
    elif isinstance(exc, OSError):
        message = f"cannot read {Path(name).name if name else 'a file'}: {exc.strerror or exc}"
    else:
        message = f"cannot read the folder: {exc}"
    return reader.rel(name, follow=False) if name else reader.rel(reader.folder, follow=False), 1, message


def drop_empty(specs, problems):
    """A foreign file with no text at all (0 bytes, or only a header) is not a lesson: skip it, say so."""
    for spec in specs:
        if spec.source_format == "native":
            continue
        kept = []
        for lesson in spec.lessons:
            texts = lesson.texts.values()
            if texts and all(not t.unchanged and not t.words and not t.html.strip() for t in texts):
                problem = Problem(lesson.source, 1, "this file has no text: skipped", False)
                problems.append(problem)
                spec.warnings.append(problem)
            else:
                kept.append(lesson)
        spec.lessons[:] = kept


def validate(specs, problems):
    """Check what only shows across files: duplicate ids, lessons with no text."""
    paths, lessons = {}, {}
    for spec in specs:
        if spec.slug in paths:
            problems.error(spec.source_dir, None, f"duplicate path id '{spec.slug}' (also in {paths[spec.slug]})")
        paths[spec.slug] = spec.source_dir
        modules = {m.slug for m in spec.modules}
        for lesson in spec.lessons:
            if lesson.slug in lessons:
                problems.error(lesson.source, None, f"duplicate lesson id '{lesson.slug}' (also in {lessons[lesson.slug]})")
            lessons[lesson.slug] = lesson.source
            if lesson.module and lesson.module not in modules:
                problems.error(lesson.source, None, f"unknown module '{lesson.module}'")


def effective_source(path):
    """Return a stored path's source identity (rows imported before it was recorded have none)."""
    if path.source_id:
        return path.source_id
    return f"native:{path.slug}" if path.source_format == "native" else f"dir:{path.source_dir}"


def check_identity(specs, problems, replace=False):
    """Refuse a folder whose path or lesson ids belong to a path from another source, unless replace."""
    paths = {p.slug: p for p in db.session.execute(db.select(LearningPath)).scalars()}
    if replace:
        return
    for spec in specs:
        existing = paths.get(spec.slug)
        if existing is not None and effective_source(existing) != spec.source_id:
            problems.error(spec.source_dir, None,
                           f"the path id '{spec.slug}' is already used by another source "
                           f"({effective_source(existing)}): import it under another id with --as ID, "
                           f"or replace that path with --replace")
            continue
        sources = {s.slug: s.source_id for s in specs}
        slugs = [lesson.slug for lesson in spec.lessons]
        taken = db.session.execute(
            db.select(Lesson.slug, LearningPath).join(LearningPath, Lesson.path_id == LearningPath.id)
            .where(Lesson.slug.in_(slugs))).all() if slugs else []
        for lesson_slug, owner in taken:
            if owner.slug != spec.slug and effective_source(owner) != spec.source_id \
                    and sources.get(owner.slug) != effective_source(owner):
                problems.error(spec.source_dir, None,
                               f"the lesson id '{lesson_slug}' belongs to the path '{owner.slug}' from another "
                               f"source: import under another id with --as ID, or give --replace")


def recall_warnings(specs, problems):
    """Say again the warnings of files skipped because unchanged: they are still true."""
    stored = dict(db.session.execute(db.select(LearningPath.slug, LearningPath.import_warnings)).all())
    for spec in specs:
        unchanged = {t.source_path for lesson in spec.lessons for t in lesson.texts.values() if t.unchanged}
        for warning in stored.get(spec.slug) or []:
            if isinstance(warning, dict) and warning.get("file") in unchanged:
                problem = Problem(warning["file"], warning.get("line"), warning.get("message", ""), False)
                problems.append(problem)
                spec.warnings.append(problem)


def commit_import(result, app):
    """Commit an applied import, then publish its media and announce what changed (search re-indexes).

    Media are published only once the rows that name them are committed; if the commit
    fails, the staged files are discarded, so a failed import leaves nothing behind.
    """
    from lms.catalogue.signals import courses_imported

    try:
        db.session.commit()
    except Exception:
        result.media.discard()
        raise
    result.media.publish()
    courses_imported.send(app, changed=result.changed_lessons, retired=result.retired_lessons)


def import_courses(folders, media_folder, dry_run=False, languages=("fr", "en"), path_id=None, replace=False):
    """Read, validate and (unless dry_run, or on any error) apply course folders. The caller commits.

    `path_id` imports a foreign folder under that id; `replace` lets a folder take
    over a path (and lessons) that came from another source.
    """
    problems = Problems()
    known = {source: (digest, slug, assets) for source, digest, slug, assets in db.session.execute(
        db.select(LessonText.source_path, LessonText.content_hash, Lesson.slug, LessonText.assets).join(Lesson))}
    media = MediaStore(media_folder, dry_run=dry_run, limits=images.limits(current_app.config))
    if path_id is not None and not SLUG.match(path_id):
        problems.error("--as", None, f"'{path_id}' is not an id: use lowercase letters, digits and dashes")
        return ImportResult(problems)
    try:
        specs = read_specs(folders, media, problems, known, languages, path_id)
        drop_empty(specs, problems)
        validate(specs, problems)
        check_identity(specs, problems, replace)
        recall_warnings(specs, problems)
        result = ImportResult(problems, media=media)
        if problems.errors:
            return result
        roots = {str(Path(f).resolve()) for f in folders}
        _apply(specs, roots, result)
        result.paths = describe_paths([s.slug for s in specs])
    except BaseException:  # nothing staged may outlive a failed import
        media.discard()
        raise
    return result


def _plan(result, path):
    return result.plan.setdefault(path.slug, {"added": [], "changed": [], "retired": []})


def _apply(specs, roots, result):
    now = utcnow()
    lessons_by_slug = {l.slug: l for l in db.session.execute(
        db.select(Lesson).options(lazyload(Lesson.texts))).scalars()}
    languages = {}
    for lesson_id, language in db.session.execute(db.select(LessonText.lesson_id, LessonText.language)):
        languages.setdefault(lesson_id, set()).add(language)
    paths_by_slug = {p.slug: p for p in db.session.execute(db.select(LearningPath)).scalars()}
    seen_lessons = set()
    for spec in specs:
        path = paths_by_slug.get(spec.slug) or LearningPath(slug=spec.slug)
        if path.id is None:
            db.session.add(path)
        if path.meta_hash != spec.meta_hash or path.retired_at or not spec.meta_hash \
                or path.source_id != spec.source_id:
            for name in ("position", "level", "hours", "pass_mark", "title", "summary", "audience", "credits",
                         "source_format", "meta_hash", "source_id"):
                setattr(path, name, getattr(spec, name))
            path.updated_at, path.retired_at = now, None
        path.source_root, path.source_dir = spec.source_root, spec.source_dir
        path.trainer_notes = spec.trainer_notes
        path.import_warnings = [{"file": p.file, "line": p.line, "message": p.message} for p in spec.warnings]
        db.session.flush()
        plan = _plan(result, path)
        modules = _apply_modules(path, spec, now)
        for lesson_spec in spec.lessons:
            seen_lessons.add(lesson_spec.slug)
            status = _apply_lesson(path, modules, lesson_spec, lessons_by_slug, languages, result, now)
            if status != "unchanged":
                plan["added" if status == "added" else "changed"].append(lesson_spec.slug)
        for lesson in list(path.lessons):
            if lesson.slug not in seen_lessons and lesson.retired_at is None:
                lesson.retired_at = now
                result.summary["retired"] += 1
                result.retired_lessons.append(lesson.id)
                plan["retired"].append(lesson.slug)
    seen_paths = {s.slug for s in specs}
    for path in paths_by_slug.values():
        if path.slug not in seen_paths and path.source_root in roots and path.retired_at is None:
            path.retired_at = now
            for lesson in path.lessons:
                if lesson.retired_at is None and lesson.slug not in seen_lessons:
                    lesson.retired_at = now
                    result.summary["retired"] += 1
                    result.retired_lessons.append(lesson.id)
                    _plan(result, path)["retired"].append(lesson.slug)
    db.session.flush()


def _apply_modules(path, spec, now):
    existing = {m.slug: m for m in path.modules}
    modules = {}
    for module_spec in spec.modules:
        module = existing.get(module_spec.slug)
        if module is None:
            module = Module(path_id=path.id, slug=module_spec.slug)
            db.session.add(module)
        module.position, module.title, module.retired_at = module_spec.position, module_spec.title, None
        modules[module_spec.slug] = module
    for slug, module in existing.items():
        if slug not in modules:
            module.retired_at = module.retired_at or now
    db.session.flush()
    return modules


def _apply_lesson(path, modules, spec, lessons_by_slug, languages, result, now):
    lesson = lessons_by_slug.get(spec.slug)
    added = lesson is None
    if added:
        lesson = Lesson(slug=spec.slug, path=path)
        db.session.add(lesson)
        lessons_by_slug[spec.slug] = lesson
    module = modules.get(spec.module) if spec.module else None
    changed = added or lesson.path_id != path.id or lesson.position != spec.position \
        or lesson.module_id != (module.id if module else None) or lesson.retired_at is not None
    lesson.path, lesson.module, lesson.position, lesson.retired_at = path, module, spec.position, None
    if not added and set(spec.texts) == languages.get(lesson.id) and all(t.unchanged for t in spec.texts.values()):
        result.summary["updated" if changed else "unchanged"] += 1
        if changed:
            lesson.updated_at = now
            result.changed_lessons.append(lesson.id)
        return "changed" if changed else "unchanged"
    texts = {t.language: t for t in lesson.texts}
    for language, text_spec in spec.texts.items():
        if text_spec.unchanged and language in texts:
            continue
        text = texts.get(language) or LessonText(language=language)
        if language not in texts:
            lesson.texts.append(text)
        if language == "fr":  # French spaces are the renderer's job, not the trainer's
            text_spec = typeset_french(text_spec)
        for name in ("title", "minutes", "objectives", "html", "toc", "plain_text", "words", "quiz", "assignment",
                     "source_path", "content_hash", "assets", "trainer_html", "audio"):
            setattr(text, name, getattr(text_spec, name))
        text.updated_at = now
        changed = True
    for language, text in texts.items():
        if language not in spec.texts:
            lesson.texts.remove(text)
            changed = True
    if changed:
        lesson.updated_at = now
        db.session.flush()
        result.changed_lessons.append(lesson.id)
    status = "added" if added else "changed" if changed else "unchanged"
    result.summary["updated" if status == "changed" else status] += 1
    return status


def describe_paths(slugs):
    """Summarise paths as the --json output shows them: lessons and words per language."""
    paths = {p.slug: p for p in db.session.execute(
        db.select(LearningPath).where(LearningPath.slug.in_(slugs))).scalars()}
    rows = db.session.execute(
        db.select(Lesson.path_id, Lesson.slug, LessonText.language, LessonText.words)
        .join(LessonText).where(Lesson.retired_at.is_(None)).order_by(Lesson.path_id, Lesson.position)).all()
    described = []
    for slug in slugs:
        path = paths.get(slug)
        if path is None:
            continue
        lessons, languages = [], {}
        for path_id, lesson_slug, language, words in rows:
            if path_id != path.id:
                continue
            if lesson_slug not in lessons:
                lessons.append(lesson_slug)
            entry = languages.setdefault(language, {"lessons": 0, "min_words": None, "words": 0})
            entry["lessons"] += 1
            entry["words"] += words
            entry["min_words"] = words if entry["min_words"] is None else min(entry["min_words"], words)
        title = path.title.get("fr") or path.title.get("en") or next(iter(path.title.values()), path.slug)
        described.append({"id": path.slug, "title": title, "titles": path.title, "format": path.source_format,
                          "lessons": lessons, "languages": languages})
    return described
