"""Catalogue pages: the paths, one path, one lesson; and the media files lessons use."""

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user

from lms.catalogue import queries
from lms.catalogue.media import media_folder
from lms.catalogue.pages import render_lesson
from lms.core.hooks import collect_page_context

bp = Blueprint("catalogue", __name__)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.before_request
def private_site():
    if current_app.config["PRIVATE_SITE"] and request.endpoint != "catalogue.media" \
            and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def ui_language():
    return str(get_locale())


@bp.get("/paths")
def list_paths():
    paths = queries.list_paths()
    return render_template("catalogue/index.html", paths=paths, localized=queries.localized,
                           active_lessons=queries.active_lessons, language=ui_language(),
                           **collect_page_context("catalogue.list_paths", paths=paths))


@bp.get("/paths/<slug>")
def show_path(slug):
    path = queries.get_path(slug) or abort(404)
    return render_template("catalogue/path.html", path=path, outline=queries.path_outline(path),
                           localized=queries.localized, language=ui_language(),
                           **collect_page_context("catalogue.show_path", path=path))


@bp.get("/lessons/<slug>")
def show_lesson(slug):
    lesson = queries.get_lesson(slug)
    if lesson is None or lesson.path.retired_at is not None:
        abort(404)
    return render_lesson(lesson)


@bp.get("/media/<path:name>")
def media(name):
    """Serve course images and files; their names carry a content hash, so they never change."""
    response = send_from_directory(media_folder(current_app), name, max_age=365 * 24 * 3600)
    response.cache_control.immutable = True
    response.cache_control.public = True
    if response.mimetype == "image/svg+xml":
        # An SVG opened on its own is a document: even sanitised, it may run nothing and fetch nothing.
        response.headers["Content-Security-Policy"] = SVG_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response
