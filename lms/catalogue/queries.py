"""Read the catalogue: active paths and lessons, in order."""
from sqlalchemy.orm import selectinload

from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.extensions import db


def list_paths():
    """Return the active paths in catalogue order, with their active lessons loaded."""
    paths = db.session.execute(
        db.select(LearningPath).where(LearningPath.retired_at.is_(None))
        .options(selectinload(LearningPath.lessons)).order_by(LearningPath.position, LearningPath.slug)
    ).scalars().all()
    return paths


def get_path(slug):
    return db.session.execute(
        db.select(LearningPath).filter_by(slug=slug).where(LearningPath.retired_at.is_(None))
    ).scalar_one_or_none()


def get_lesson(slug):
    return db.session.execute(
        db.select(Lesson).filter_by(slug=slug).where(Lesson.retired_at.is_(None))
    ).scalar_one_or_none()


def active_lessons(path):
    return [lesson for lesson in path.lessons if lesson.retired_at is None]


def path_outline(path):
    """Return [(module or None, [lessons])] in order; lessons with no module come first."""
    lessons = active_lessons(path)
    modules = [m for m in path.modules if m.retired_at is None]
    outline = []
    loose = [l for l in lessons if l.module_id is None]
    if loose:
        outline.append((None, loose))
    for module in modules:
        outline.append((module, [l for l in lessons if l.module_id == module.id]))
    return outline


def neighbours(lesson):
    """Return the previous and next active lessons of the same path."""
    lessons = active_lessons(lesson.path)
    index = next(i for i, l in enumerate(lessons) if l.id == lesson.id)
    return (lessons[index - 1] if index > 0 else None, lessons[index + 1] if index + 1 < len(lessons) else None)


def localized(values, language):
    """Pick the text in this language from a {language: text} mapping, else another one."""
    if not values:
        return ""
    return values.get(language) or values.get("fr") or values.get("en") or next(iter(values.values()))


def localized_language(values, language):
    """Return the language of the text localized() picks, for the lang attribute of text shown in another one."""
    if not values:
        return language
    return next((code for code in (language, "fr", "en") if values.get(code)), next(iter(values)))


def lesson_titles(lesson_ids):
    """Return {lesson id: {language: title}} in one query."""
    titles = {}
    if lesson_ids:
        for lesson_id, language, title in db.session.execute(
                db.select(LessonText.lesson_id, LessonText.language, LessonText.title)
                .where(LessonText.lesson_id.in_(set(lesson_ids)))):
            titles.setdefault(lesson_id, {})[language] = title
    return titles
