"""What only trainers and admins see on the catalogue's own pages: instructor notes and the import's warnings."""
from flask_login import current_user

from lms.core.hooks import page_context


def _trainer():
    return current_user.is_authenticated and current_user.has_role("trainer", "admin")


@page_context.connect_via("catalogue.show_path")
def path_for_trainers(_sender, path, **_extra):
    """Trainers get the lesson's notes for instructors; admins also what the last import warned about."""
    if not _trainer():
        return None
    return {"import_warnings": path.import_warnings if current_user.has_role("admin") else [],
            "panels": ["catalogue/_path_trainers.html"]}


@page_context.connect_via("catalogue.show_lesson")
def lesson_for_trainers(_sender, lesson, text, **_extra):
    if not _trainer() or not text.trainer_html:
        return None
    return {"trainer_html": text.trainer_html, "panels": ["catalogue/_lesson_trainers.html"]}
