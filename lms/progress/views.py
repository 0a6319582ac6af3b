"""Learner pages: mark a lesson done, answer a check, my learning, certificates and their verification."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.forms import EmptyForm
from lms.accounts.models import User
from lms.catalogue import queries as catalogue
from lms.catalogue.pages import render_lesson
from lms.core.database import utcnow
from lms.core.hooks import collect_page_context
from lms.extensions import db
from lms.progress import certificates, events, queries

bp = Blueprint("progress", __name__)

MAX_TIME_ON_PAGE = 2 * 3600  # longer than that, she left the page open: count nothing


def _lesson_or_404(slug):
    lesson = catalogue.get_lesson(slug)
    if lesson is None:
        abort(404)
    return lesson


def _time_on_page(lesson, form_event_id):
    """Count the time since she last opened the lesson, as the offline script would report it."""
    progress = queries.progress_by_lesson(current_user.id, [lesson.id]).get(lesson.id)
    if progress is None or progress.last_opened_at is None:
        return
    seconds = (utcnow() - progress.last_opened_at).total_seconds()
    if 0 < seconds < MAX_TIME_ON_PAGE:
        events.record_one(current_user, lesson, "time_spent", data={"seconds": int(seconds)},
                          event_id=events.time_event_id(current_user.id, form_event_id))


@bp.post("/lessons/<slug>/done")
@login_required
def mark_done(slug):
    lesson = _lesson_or_404(slug)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    event_id = request.form.get("event_id") or events.new_event_id()
    result = events.record_one(current_user, lesson, "lesson_completed", event_id=event_id)
    if result.rejected:
        abort(400)
    _time_on_page(lesson, event_id)
    db.session.commit()
    if events.has_check(lesson):
        flash(_("Answer the knowledge check to complete this lesson."), "info")
        return redirect(url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="quiz"))
    flash(_("Lesson completed. Well done!"), "success")
    _previous, following = catalogue.neighbours(lesson)
    return redirect(url_for("catalogue.show_lesson", slug=following.slug) if following
                    else url_for("catalogue.show_path", slug=lesson.path.slug))


@bp.post("/lessons/<slug>/check")
@login_required
def answer_check(slug):
    lesson = _lesson_or_404(slug)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    language = request.form.get("language") or request.args.get("lang") or current_user.locale
    text, _fallback = lesson.text(language)
    if not text or not text.quiz:
        abort(404)
    answers = {q["id"]: request.form.getlist(q["id"]) for q in text.quiz["questions"]}
    unanswered = [q["id"] for q in text.quiz["questions"] if not answers[q["id"]]]
    if unanswered:
        # The page again, with what she ticked and each question left out marked: a redirect would lose them.
        return render_lesson(lesson, wanted=text.language, status=422, quiz_answers=answers, quiz_missing=unanswered)
    event_id = request.form.get("event_id") or events.new_event_id()
    result = events.record_one(current_user, lesson, "quiz_answered", event_id=event_id,
                               data={"answers": answers, "language": text.language})
    if result.rejected:
        flash(result.rejected[0]["error"], "error")
        return redirect(url_for("catalogue.show_lesson", slug=slug, lang=text.language, step="last", _anchor="quiz"))
    _time_on_page(lesson, event_id)
    db.session.commit()
    # The result block says the score in words; the fragment moves focus to it (no script needed).
    return redirect(url_for("catalogue.show_lesson", slug=slug, lang=text.language, step="last", _anchor="quiz-result"))


@bp.get("/lessons/<slug>/check")
def back_to_check(slug):
    """Send a GET of the check's address (a language switch on the page shown again) back to the lesson."""
    return redirect(url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="quiz"))


@bp.get("/my-learning")
@login_required
def my_learning():
    return render_learning_page(current_user)


@bp.get("/learners/<int:user_id>/progress")
@login_required
def learner_progress(user_id):
    learner = db.get_or_404(User, user_id)
    if not queries.can_view_progress(current_user, learner):
        abort(403)
    return render_learning_page(learner)


def render_learning_page(learner):
    paths = queries.followed_paths(learner.id)
    return render_template(
        "progress/my_learning.html", learner=learner, paths=paths,
        percentages=queries.path_percentages(learner.id, paths),
        activity=queries.activity_timeline(learner.id), certificates=queries.certificates_of(learner.id),
        continue_with=queries.next_lesson(learner.id), localized=catalogue.localized,
        **collect_page_context(request.endpoint, learner=learner))


@bp.get("/certificates/<code>")
@login_required
def show_certificate(code):
    certificate = certificates.get_by_code(code) or abort(404)
    if certificate.user_id != current_user.id and not certificates.can_manage(current_user, certificate):
        abort(403)
    return render_template("progress/certificate.html", certificate=certificate, localized=catalogue.localized,
                           form=EmptyForm(), can_revoke=certificates.can_manage(current_user, certificate))


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke_certificate(code):
    certificate = certificates.get_by_code(code) or abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        certificates.revoke(current_user, certificate, request.form.get("reason", ""))
    except certificates.CertificateError as error:
        if str(error) == "not_allowed":
            abort(403)
        flash(_("This certificate is already revoked."), "info")
    else:
        db.session.commit()
        flash(_("The certificate is revoked. It stays on record and shows as revoked."), "success")
    return redirect(url_for("progress.show_certificate", code=certificate.code))


@bp.get("/verify")
@bp.get("/verify/<code>")
def verify(code=None):
    code = code or request.args.get("code")
    certificate = certificates.get_by_code(code) if code else None
    status = 404 if code and certificate is None else 200
    return render_template("progress/verify.html", code=code, certificate=certificate,
                           localized=catalogue.localized), status
