"""Home page, language switch and health check."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

from lms.accounts.forms import EmptyForm
from lms.catalogue import queries as catalogue
from lms.cohorts import queries as cohorts
from lms.mentoring import queries as mentoring
from lms.progress import queries as progress
from lms.core.database import check_database
from lms.extensions import db

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    show_paths = not current_app.config["PRIVATE_SITE"] or current_user.is_authenticated
    paths = catalogue.list_paths() if show_paths else []
    signed_in = current_user.is_authenticated
    return render_template(
        "web/home.html", paths=paths, localized=catalogue.localized,
        progress=progress.path_percentages(current_user.id, paths) if signed_in else {},
        continue_with=progress.next_lesson(current_user.id) if signed_in else None,
        feedback=mentoring.recent_feedback(current_user.id) if signed_in else [],
        to_review=mentoring.count_review_queue(current_user.id) if signed_in and current_user.has_role("mentor") else 0,
        cohorts=cohorts.cohorts_of_member(current_user.id) if signed_in else [])


@bp.post("/language")
def set_language():
    """Switch the interface language; for a signed-in user it becomes her preference."""
    lang = request.form.get("lang")
    form = EmptyForm()
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    from lms.accounts.views import safe_next
    return redirect(safe_next())


@bp.get("/healthz")
def healthz():
    """Report the state of the database and of each registered component."""
    checks = {"database": check_database()}
    for name, check in current_app.extensions.get("lms.health_checks", {}).items():
        checks[name] = check()
    ok = all(state for state, _detail in checks.values())
    body = {"status": "ok" if ok else "error"}
    body.update({name: {"ok": state, "detail": detail} for name, (state, detail) in checks.items()})
    return jsonify(body), 200 if ok else 503
