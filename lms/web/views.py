"""Home page, language switch and health check."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from lms.accounts.forms import EmptyForm
from lms.catalogue import queries as catalogue
from lms.cohorts import queries as cohorts
from lms.mentoring import policy, queries as mentoring
from lms.progress import queries as progress
from lms.progress.models import Certificate
from lms.core.database import check_database, utcnow
from lms.extensions import db

bp = Blueprint("web", __name__)


CELEBRATION_DAYS = 14  # a new certificate is celebrated on her home page this long, or until she dismisses it
CELEBRATED_COOKIE = "lms_celebrated"


@bp.get("/")
def home():
    show_paths = not current_app.config["PRIVATE_SITE"] or current_user.is_authenticated
    paths = catalogue.list_paths() if show_paths else []
    signed_in = current_user.is_authenticated
    context = learner_home(current_user) if signed_in else {}
    return render_template(
        "web/home.html", paths=paths, localized=catalogue.localized,
        progress=progress.path_percentages(current_user.id, paths) if signed_in else {},
        feedback=mentoring.recent_feedback(current_user.id) if signed_in else [],
        to_review=mentoring.count_review_queue(current_user.id)
        if signed_in and current_user.has_role("mentor", "trainer", "admin") else 0,
        certifiable=cohorts.certifiable_learners(trainer_id=current_user.id)
        if signed_in and current_user.has_role("trainer") else [],
        action_form=EmptyForm(), registration_open=current_app.config["REGISTRATION_OPEN"], **context)


def learner_home(user):
    """Where she stands: her cohort, the next lesson, her work, her new certificates, the next path."""
    mine = cohorts.cohorts_of_member(user.id)
    cohort = mine[0] if mine else None
    continue_with = progress.next_lesson(user.id)
    next_lesson, next_path, reviewer = None, None, None
    if cohort is not None:
        path_ids = {p.id for p in cohort.paths}
        next_lesson = continue_with if continue_with and continue_with.path_id in path_ids \
            else progress.first_unfinished(user.id, cohort.paths)
        next_path = next_lesson.path if next_lesson else None
        first = next_path or (cohort.paths[0] if cohort.paths else None)
        reviewer = policy.reviewers_for([(user.id, first.id if first else None)])[user.id, first.id if first else None]
    dismissed = set(celebrated_ids())
    since = utcnow() - timedelta(days=CELEBRATION_DAYS)
    return {"cohorts": mine, "my_cohort": cohort, "continue_with": continue_with, "next_lesson": next_lesson,
            "next_path": next_path, "reviewer": reviewer, "open_work": mentoring.open_work(user.id),
            "celebrate": [c for c in progress.recent_certificates(user.id, since) if c.id not in dismissed]}


def celebrated_ids():
    """The certificates she already dismissed on this phone (kept in a cookie: nothing else depends on it)."""
    return [int(i) for i in request.cookies.get(CELEBRATED_COOKIE, "").split(".") if i.isdigit()][-20:]


@bp.post("/celebrations/<int:certificate_id>/dismiss")
@login_required
def dismiss_celebration(certificate_id):
    """Stop celebrating one of her certificates on her home page."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    response = redirect(url_for("web.home"))
    ids = [i for i in celebrated_ids() if i != certificate.id] + [certificate.id]
    response.set_cookie(CELEBRATED_COOKIE, ".".join(map(str, ids)), max_age=CELEBRATION_DAYS * 86400,
                        httponly=True, samesite="Lax", secure=request.is_secure)
    return response


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
