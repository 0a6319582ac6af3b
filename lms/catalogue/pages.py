"""The lesson page, rendered for the catalogue's own view and again by the domains whose forms it holds."""
from flask import abort, render_template, request
from flask_babel import get_locale

from lms.catalogue import queries
from lms.core.hooks import collect_page_context


def render_lesson(lesson, wanted=None, status=200, **form_state):
    """Render a lesson page in the wanted language, with the state of a form on it that came back with errors.

    Higher domains own the forms on this page (the check, the practical work). When one comes back
    with errors they show the page again with what she entered, instead of a redirect that would
    lose it; form_state goes to their page_context receivers, which know what to do with it.
    """
    wanted = wanted or request.args.get("lang") or str(get_locale())
    text, fallback = lesson.text(wanted)
    if text is None:
        abort(404)
    previous, following = queries.neighbours(lesson)
    return render_template("catalogue/lesson.html", lesson=lesson, text=text, fallback=fallback, wanted=wanted,
                           languages=sorted(t.language for t in lesson.texts), previous=previous,
                           following=following, localized=queries.localized,
                           localized_language=queries.localized_language, language=text.language,
                           **collect_page_context("catalogue.show_lesson", lesson=lesson, text=text,
                                                  **form_state)), status
