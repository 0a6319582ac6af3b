"""Read from the catalogue what search indexes and shows: one entry per active lesson text."""
from dataclasses import dataclass

from lms.catalogue.models import LearningPath, Lesson, LessonText, Module
from lms.core.markdown import plain_text
from lms.extensions import db

BATCH = 500


@dataclass
class LessonEntry:
    lesson_id: int
    language: str
    slug: str
    path: str
    title: str
    headings: str
    body: str
    check: str
    path_title: dict
    module_title: dict


def _active(*columns):
    return (db.select(*columns).select_from(LessonText)
            .join(Lesson, LessonText.lesson_id == Lesson.id)
            .join(LearningPath, Lesson.path_id == LearningPath.id)
            .where(Lesson.retired_at.is_(None), LearningPath.retired_at.is_(None)))


def catalogue_fingerprint():
    """Return a short string that changes whenever an import changes what search must hold."""
    count, text_at, lesson_at = db.session.execute(_active(
        db.func.count(LessonText.id), db.func.max(LessonText.updated_at), db.func.max(Lesson.updated_at))).one()
    return "|".join(str(value) for value in (count, text_at, lesson_at))


def _entries_query():
    return _active(LessonText.lesson_id, LessonText.language, LessonText.title, LessonText.toc,
                   LessonText.plain_text, LessonText.quiz, LessonText.assignment, Lesson.slug,
                   LearningPath.slug, LearningPath.title, Module.title
                   ).outerjoin(Module, Lesson.module_id == Module.id)


def _entry(row):
    lesson_id, language, title, toc, body, quiz, assignment, slug, path, path_title, module_title = row
    return LessonEntry(lesson_id, language, slug, path, title, headings_text(toc), body or "",
                       check_text(quiz, assignment), path_title or {}, module_title or {})


def iter_entries(lesson_ids=None):
    """Yield the active lesson texts (all, or those of these lessons), reading in batches."""
    query = _entries_query().order_by(LessonText.lesson_id, LessonText.language)
    if lesson_ids is None:
        for row in db.session.execute(query.execution_options(yield_per=BATCH)):
            yield _entry(row)
        return
    ids = sorted(set(lesson_ids))
    for start in range(0, len(ids), BATCH):
        for row in db.session.execute(query.where(LessonText.lesson_id.in_(ids[start:start + BATCH]))):
            yield _entry(row)


def load_entries(keys):
    """Return {(lesson id, language): LessonEntry} for these keys that are still active."""
    keys = set(keys)
    if not keys:
        return {}
    rows = db.session.execute(_entries_query().where(LessonText.lesson_id.in_({k[0] for k in keys})))
    entries = (_entry(row) for row in rows)
    return {(e.lesson_id, e.language): e for e in entries if (e.lesson_id, e.language) in keys}


def list_paths():
    """Return [(slug, {language: title})] of the active paths, in catalogue order."""
    return db.session.execute(
        db.select(LearningPath.slug, LearningPath.title).where(LearningPath.retired_at.is_(None))
        .order_by(LearningPath.position, LearningPath.slug)).all()


def headings_text(toc):
    return " · ".join(str(item[2]) for item in toc or () if len(item) > 2)


def check_text(quiz, assignment):
    """Return the words of a lesson's knowledge check and practical work, without markup."""
    parts = []
    for question in (quiz or {}).get("questions", ()):
        parts.append(question.get("html", ""))
        for answer in question.get("answers", ()):
            parts += [answer.get("html", ""), answer.get("explanation_html", "")]
    if assignment:
        parts += [assignment.get("title") or "", assignment.get("html", "")]
    return " ".join(text for text in (plain_text(part) for part in parts if part) if text)
