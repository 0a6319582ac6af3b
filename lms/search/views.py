"""The /search page: lessons in every language, and people for those who follow learners."""
from flask import Blueprint, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from lms.accounts.visibility import search_visible_users
from lms.catalogue.queries import localized
from lms.progress import queries as progress
from lms.search.documents import list_paths

bp = Blueprint("search", __name__)

MAX_QUERY_LENGTH = 200
PEOPLE_ROLES = ("trainer", "mentor", "admin")


@bp.get("/search")
def show_results():
    """Show the lessons matching the words typed, and the people too for those who follow learners."""
    if current_app.config["PRIVATE_SITE"] and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    text = " ".join(request.args.get("q", "").split())
    ui_language = str(get_locale())
    languages = [ui_language] + [code for code in current_app.config["LANGUAGES"] if code != ui_language]
    language = request.args.get("lang") if request.args.get("lang") in languages else ""
    paths = list_paths()
    path = request.args.get("path") if request.args.get("path") in {slug for slug, _title in paths} else ""
    page = max(1, request.args.get("page", 1, type=int))
    too_long = len(text) > MAX_QUERY_LENGTH
    results, states, people = None, {}, None
    if text and not too_long:
        from lms.search.index import for_app  # Whoosh loads on the first search, not at start-up

        results = for_app().search(text, preferred=ui_language, language=language or None,
                                   path=path or None, page=page)
        if current_user.is_authenticated and results.hits:
            found = progress.progress_by_lesson(current_user.id, {hit.lesson_id for hit in results.hits})
            states = {lesson_id: progress.lesson_state(p) for lesson_id, p in found.items()}
        if current_user.is_authenticated and current_user.has_role(*PEOPLE_ROLES) and results.page == 1:
            people = search_visible_users(current_user, text)
    return render_template(
        "search/results.html", q=text, too_long=too_long, max_length=MAX_QUERY_LENGTH, results=results,
        states=states, people=people, paths=paths, path=path, languages=languages, language=language,
        localized=localized), 400 if too_long else 200
