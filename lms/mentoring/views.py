"""Mentoring pages: hand in work, the mentor's queue and reviews, mentee pages and the log."""
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.guards import role_required
from lms.accounts.models import User
from lms.catalogue import queries as catalogue
from lms.catalogue.pages import render_lesson
from lms.extensions import db
from lms.media import private_files
from lms.mentoring import forms, queries, services
from lms.mentoring.models import Submission
from lms.mentoring.policy import can_mentor, can_read_mentoring, can_review, reviewer_for
from lms.progress import queries as progress

bp = Blueprint("mentoring", __name__)

MESSAGES = {
    "empty": lambda: _("Add a text, a link or a photo."),
    "note_empty": lambda: _("Write what you talked about, or the next steps."),
    "met_in_future": lambda: _("This date is still to come: write the day you met."),
    "already_approved": lambda: _("Your work for this lesson is already approved."),
    "waiting_for_review": lambda: _("Your last work has not been reviewed yet."),
    "no_assignment": lambda: _("This lesson has no practical work."),
    "too_large": lambda: _("This photo is too large (6 MB at most). Take it again in a lower quality."),
    "not_an_image": lambda: _("This file is not a photo we can read. Send a JPEG or PNG."),
    "damaged": lambda: _("This photo arrived damaged or incomplete. Send it again."),
    "busy": lambda: _("The server is busy with other photos. Send yours again in a minute."),
    "disk_full": lambda: _("The server's disk is full: your work was not saved. Tell your trainer, and send it later."),
    "feedback_needed": lambda: _("Tell her what to change."),
    "already_reviewed": lambda: _("This work was already reviewed."),
}

# Refusals that come from the state of her work, not from what she typed: the form she sent is out of date.
STALE = {"already_approved", "waiting_for_review", "no_assignment"}


def _nothing_sent(lesson):
    """"Add a text or a photo.": the ways this lesson's practical work asks for, not ones its form does not have."""
    asked = next((t.assignment.get("submit") for t in lesson.texts if t.assignment), None) or ["text", "link", "photo"]
    kinds = [kind for kind in ("text", "link", "photo") if kind in asked]
    return {("text",): _("Write your answer."), ("link",): _("Add the link."), ("photo",): _("Add a photo."),
            ("text", "link"): _("Add a text or a link."), ("text", "photo"): _("Add a text or a photo."),
            ("link", "photo"): _("Add a link or a photo.")}.get(tuple(kinds), _("Add a text, a link or a photo."))


def uploads_folder():
    return Path(current_app.instance_path) / "uploads"


def message(error):
    if str(error) == "too_many_pixels":
        return _("This photo has too many pixels (%(megapixels)s megapixels at most). "
                 "Take it again in a lower resolution.", megapixels=error.megapixels)
    return MESSAGES.get(str(error), lambda: _("This change is not allowed."))()


def _save_voice(field):
    """Store the voice note sent in this form field, if any; return it (voice_notes.StoredVoice) or None."""
    from lms.media import voice_notes  # PyAV loads only when a voice note is sent

    return voice_notes.save_from_field(field, uploads_folder())


def _drop_voice(stored):
    from lms.media import voice_notes

    voice_notes.remove_voice_note(uploads_folder(), stored)


@bp.post("/lessons/<slug>/work")
@login_required
def submit_work(slug):
    from lms.media import images  # Pillow loads only when work is handed in
    from lms.media.voice_notes import VoiceError, voice_message
    from lms.mentoring import uploads

    lesson = catalogue.get_lesson(slug) or abort(404)
    form = forms.SubmissionForm()
    if not form.validate_on_submit():
        return _work_again(lesson, form)
    photo = stored_voice = None
    try:
        if form.photo.data and form.photo.data.filename:
            photo = uploads.save_photo(form.photo.data.stream, uploads_folder(), images.limits(current_app.config))
        stored_voice = _save_voice(form.voice_note)
        services.submit_work(current_user, lesson, form.text.data, form.link.data, photo, stored_voice)
    except (services.MentoringError, uploads.UploadError, VoiceError) as error:
        if photo:
            uploads.remove_photo(uploads_folder(), photo)
        _drop_voice(stored_voice)
        if isinstance(error, VoiceError):
            form.voice_note.errors.append(voice_message(error))
            return _work_again(lesson, form)
        if str(error) in STALE:  # the page she sent it from was out of date: there is no form to show again
            flash(message(error), "error")
            return redirect(url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="work"))
        # A photo refused is the photo's error; work that says nothing belongs beside the first field asked for.
        field = form.photo if isinstance(error, uploads.UploadError) else _first_field(form, lesson)
        field.errors.append(_nothing_sent(lesson) if str(error) == "empty" else message(error))
        return _work_again(lesson, form)
    db.session.commit()
    reviewer = reviewer_for(current_user.id, lesson)
    if reviewer:
        flash(_("Your work is sent to %(name)s.", name=reviewer.user.display_name), "success")
    else:
        flash(_("Your work is saved. No one will review it until you join a cohort."), "info")
    return redirect(url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="assignment"))


def _first_field(form, lesson):
    """Return the field of the first thing the lesson's assignment asks for."""
    assignment = next((t.assignment for t in lesson.texts if t.assignment), None) or {}
    first = (assignment.get("submit") or ["text"])[0]
    return {"text": form.text, "link": form.link, "photo": form.photo}[first]


def _work_again(lesson, form):
    """Show the lesson again with her work as she typed it, each message beside its field (not a redirect)."""
    return render_lesson(lesson, status=422, work_form=form)


@bp.get("/lessons/<slug>/work")
def back_to_work(slug):
    """Send a GET of the form's address (a language switch on the page shown again) back to the lesson."""
    return redirect(url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="work"))


@bp.get("/uploads/<name>")
@login_required
def photo(name):
    submission = db.session.execute(db.select(Submission).filter_by(photo=name)).scalar_one_or_none()
    if submission is None or not can_read_mentoring(current_user, submission.user_id):
        abort(404)
    return private_files.send_private(uploads_folder(), name)


@bp.get("/voice-notes/<name>")
@login_required
def voice_note(name):
    """Play a voice note to exactly those who may read the work or the review it belongs to."""
    from lms.mentoring.models import Review

    submission = db.session.execute(db.select(Submission).filter_by(voice_note=name)).scalar_one_or_none()
    if submission is None:
        review = db.session.execute(db.select(Review).filter_by(voice_note=name)).scalar_one_or_none()
        submission = review.submission if review else None
    if submission is None or not can_read_mentoring(current_user, submission.user_id):
        abort(404)
    from lms.media.voice_notes import send_voice_note

    return send_voice_note(uploads_folder(), name)


@bp.get("/mentoring")
@role_required("mentor", "trainer", "admin")
def home():
    queue = queries.review_queue(current_user.id)
    return render_template("mentoring/home.html", mentees=queries.mentee_summaries(current_user.id), queue=queue,
                           titles=catalogue.lesson_titles([s.lesson_id for s in queue]),
                           localized=catalogue.localized)


@bp.route("/mentoring/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def review(submission_id):
    submission = db.get_or_404(Submission, submission_id)
    if not can_read_mentoring(current_user, submission.user_id):
        abort(403)
    form = forms.ReviewForm()
    reviewer = can_review(current_user, submission)
    if request.method == "POST":
        if not reviewer:
            abort(403)
        if form.validate_on_submit():
            from lms.media.voice_notes import VoiceError, voice_message

            stored_voice = None
            try:
                stored_voice = _save_voice(form.voice_note)
                services.review_work(current_user, submission, form.decision.data, form.feedback.data,
                                     stored_voice)
            except VoiceError as error:
                form.voice_note.errors.append(voice_message(error))
            except services.MentoringError as error:
                _drop_voice(stored_voice)
                flash(message(error), "error")
            else:
                db.session.commit()
                flash(_("Your review is sent to %(name)s.", name=submission.user.display_name), "success")
                following = queries.next_to_review(current_user.id)
                if following:
                    return redirect(url_for("mentoring.review", submission_id=following.id))
                flash(_("Nothing else is waiting for your review."), "info")
                return redirect(url_for("mentoring.home"))
    lesson = queries.lesson_of(submission)
    text, _fallback = lesson.text(str(current_user.locale))
    return render_template("mentoring/review.html", submission=submission, lesson=lesson, text=text, form=form,
                           reviewer=reviewer, rounds=queries.submissions_of(submission.user_id, lesson.id))


@bp.route("/mentoring/mentees/<int:user_id>", methods=["GET", "POST"])
@login_required
def mentee(user_id):
    learner = db.get_or_404(User, user_id)
    if not can_read_mentoring(current_user, learner.id):
        abort(403)
    form = forms.NoteForm()
    writer = can_mentor(current_user, learner.id)
    if request.method == "POST":
        if not writer:
            abort(403)
        if form.validate_on_submit():
            try:
                services.add_note(current_user, learner, form.met_on.data, form.notes.data, form.next_steps.data)
            except services.MentoringError as error:
                field = form.met_on if str(error) == "met_in_future" else form.notes
                field.errors = list(field.errors) + [message(error)]
            else:
                db.session.commit()
                flash(_("Meeting saved in the mentoring log."), "success")
                return redirect(url_for("mentoring.mentee", user_id=learner.id, _anchor="log"))
    submissions = queries.submissions_of(learner.id)
    activity = progress.activity_timeline(learner.id, limit=30)
    return render_template("mentoring/mentee.html", learner=learner, form=form, writer=writer,
                           submissions=submissions, notes=queries.notes_of(learner.id), activity=activity,
                           titles=catalogue.lesson_titles([s.lesson_id for s in submissions]),
                           localized=catalogue.localized)


@bp.get("/my-mentoring")
@login_required
def my_mentoring():
    """The learner's own log and work, as her mentor and trainer see it."""
    return redirect(url_for("mentoring.mentee", user_id=current_user.id))
