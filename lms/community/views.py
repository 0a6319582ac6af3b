"""Community pages: conversations, lesson questions, circles and pairs, the directory, What's new."""
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.forms import EmptyForm
from lms.accounts.models import User
from lms.catalogue import queries as catalogue
from lms.cohorts.models import Cohort
from lms.community import circles, conversations, directory, forms, policy, queries, whatsnew
from lms.community.errors import CommunityError
from lms.community.models import Circle, PairMember, Post
from lms.extensions import db
from lms.media import private_files

bp = Blueprint("community", __name__, url_prefix="/community")

MESSAGES = {
    "empty": lambda: _("Write something first."),
    "too_long": lambda: _("This text is too long."),
    "not_found": lambda: _("This conversation is not one you can write in."),
    "hidden": lambda: _("This post was hidden: you cannot reply to it."),
    "too_fast": lambda: _("You are posting very fast. Wait a few minutes, then send again."),
    "bad_id": lambda: _("This form is out of date. Reload the page and send again."),
    "no_cohort": lambda: _("Join a cohort to ask questions on lessons."),
    "reason_needed": lambda: _("Say why you hide this post."),
    "too_few": lambda: _("The cohort needs at least two learners to make circles."),
    "no_circle": lambda: _("You are not in a circle yet."),
    "profile_incomplete": lambda: _("Give your business name, trade and town."),
    "bad_phone": lambda: _("Write the WhatsApp number with its country code, for example +221 77 123 45 67."),
    "too_large": lambda: _("This photo is too large (6 MB at most). Take it again in a lower quality."),
    "not_an_image": lambda: _("This file is not a photo we can read. Send a JPEG or PNG."),
    "damaged": lambda: _("This photo arrived damaged or incomplete. Send it again."),
    "busy": lambda: _("The server is busy with other photos. Send yours again in a minute."),
}


def message(error):
    if str(error) == "too_many_pixels":
        return _("This photo has too many pixels (%(megapixels)s megapixels at most). "
                 "Take it again in a lower resolution.", megapixels=error.megapixels)
    return MESSAGES.get(str(error), lambda: _("This change is not allowed."))()


def photos_folder(kind):
    return Path(current_app.instance_path) / "uploads" / kind


def save_photo(field, kind):
    """Store a photo through the practical-work pipeline (bounded decode, EXIF dropped); None without one."""
    if not field.data or not getattr(field.data, "filename", None):
        return None
    from lms.media import images
    from lms.mentoring import uploads

    return uploads.save_photo(field.data.stream, photos_folder(kind), images.limits(current_app.config))


def remove_photo(kind, name):
    if name:
        from lms.mentoring import uploads

        uploads.remove_photo(photos_folder(kind), name)


def save_voice(field):
    """Check, transcode and store a post's voice note (lms.media.voice_notes); None without one."""
    from lms.media import voice_notes  # PyAV loads only when a voice note is sent

    return voice_notes.save_from_field(field, photos_folder("community"))


def remove_voice(stored):
    if stored:
        from lms.media import voice_notes

        voice_notes.remove_voice_note(photos_folder("community"), stored)


def voice_refused(error):
    """The message for a refused voice note, or None when the error is about something else."""
    from lms.media.voice_notes import VoiceError, voice_message

    return voice_message(error) if isinstance(error, VoiceError) else None


def author_name(user):
    """Deactivated accounts' posts remain, attributed to a former member."""
    return user.display_name if user.active else _("former member")


def whatsapp_link(number, greeting):
    digits = directory.whatsapp_digits(number)
    return f"https://wa.me/{digits}?text={quote(greeting)}" if digits else None


@bp.app_context_processor
def helpers():
    return {"author_name": author_name}


# -- conversations --------------------------------------------------------------------------------------------


@bp.get("")
@login_required
def hub():
    return render_template("community/hub.html", cohorts=queries.hub(current_user))


def _visible_thread(public_id):
    thread = queries.get_thread(public_id)
    if thread is None or not policy.can_see_thread(current_user, thread):
        abort(404)
    return thread


def render_thread(thread, form=None, status=200):
    posts, older = queries.posts_of(thread, current_user, before=request.args.get("before", "")[:36] or None)
    moderator = policy.can_moderate(current_user, thread)
    return render_template(
        "community/thread.html", thread=thread, posts=posts, form=form or forms.PostForm(), moderator=moderator,
        older=older, paged="before" in request.args,
        reports=queries.reports_of(thread) if moderator else {}, action_form=EmptyForm(),
        circle_members=queries.circle_members(thread.circle_id) if thread.kind == "circle" else []), status


@bp.get("/threads/<public_id>")
@login_required
def show_thread(public_id):
    return render_thread(_visible_thread(public_id))


@bp.post("/threads/<public_id>")
@login_required
def write_post(public_id):
    thread = _visible_thread(public_id)
    form = forms.PostForm()
    if not form.validate_on_submit():
        return render_thread(thread, form, 400)
    reply_to = conversations.get_post(form.reply_to.data) if form.reply_to.data else None
    if form.reply_to.data and (reply_to is None or reply_to.thread_id != thread.id):
        flash(message("not_found"), "error")
        return render_thread(thread, form, 400)
    photo = voice = None
    try:
        photo = save_photo(form.photo, "community")
        voice = save_voice(form.voice_note)
        post, created = conversations.add_post(current_user, thread, form.body.data, form.post_id.data, reply_to,
                                               photo, voice=voice)
    except (CommunityError, ValueError) as error:  # ValueError: a photo's or a voice note's refusal
        db.session.rollback()
        remove_photo("community", photo)
        remove_voice(voice)
        refused = voice_refused(error)
        if refused:
            form.voice_note.errors = [refused]
        else:
            form.body.errors = [message(error)]
        return render_thread(thread, form, 400)
    if not created:
        remove_photo("community", photo)
        remove_voice(voice)
    db.session.commit()
    return redirect(url_for("community.show_thread", public_id=thread.public_id, _anchor=f"post-{post.public_id}"))


@bp.post("/lessons/<slug>/questions")
@login_required
def ask_question(slug):
    lesson = catalogue.get_lesson(slug) or abort(404)
    form = forms.QuestionForm()
    target = url_for("catalogue.show_lesson", slug=slug, step="last", _anchor="questions")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(target)
    photo = voice = None
    try:
        photo = save_photo(form.photo, "community")
        voice = save_voice(form.voice_note)
        post, created = conversations.ask_question(current_user, lesson, form.body.data, form.post_id.data, photo,
                                                   voice=voice)
    except (CommunityError, ValueError) as error:
        db.session.rollback()
        remove_photo("community", photo)
        remove_voice(voice)
        flash(voice_refused(error) or message(error), "error")
        return redirect(target)
    if not created:
        remove_photo("community", photo)
        remove_voice(voice)
    db.session.commit()
    flash(_("Your question is posted. Your cohort will see it under this lesson."), "success")
    return redirect(url_for("community.show_thread", public_id=post.thread.public_id))


def _post_action(public_id, change, done):
    post = conversations.get_post(public_id)
    if post is None or not policy.can_see_thread(current_user, post.thread):
        abort(404)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change(post, form.reason.data)
    except CommunityError as error:
        db.session.rollback()
        if str(error) == "not_allowed":
            abort(403)
        flash(message(error), "error")
    else:
        db.session.commit()
        flash(done(), "success")
    return redirect(url_for("community.show_thread", public_id=post.thread.public_id, _anchor=f"post-{public_id}"))


@bp.post("/posts/<public_id>/hide")
@login_required
def hide_post(public_id):
    return _post_action(public_id, lambda post, reason: conversations.hide_post(current_user, post, reason),
                        lambda: _("The post is hidden. Its author sees why."))


@bp.post("/posts/<public_id>/show")
@login_required
def unhide_post(public_id):
    return _post_action(public_id, lambda post, _reason: conversations.show_post(current_user, post),
                        lambda: _("The post is shown again."))


@bp.post("/posts/<public_id>/report")
@login_required
def report_post(public_id):
    return _post_action(public_id, lambda post, reason: conversations.report_post(current_user, post, reason),
                        lambda: _("Thank you. The trainer and mentors will look at this post."))


@bp.post("/posts/<public_id>/helpful")
@login_required
def mark_helpful(public_id):
    return _post_action(public_id, lambda post, _reason: conversations.mark_helpful(current_user, post),
                        lambda: _("Thank you: answered questions are shown first to the next learners."))


@bp.get("/photos/<name>")
@login_required
def post_photo(name):
    post = db.session.execute(db.select(Post).where(Post.photo == name)).scalars().first()
    if post is None or not policy.can_see_photo_of(current_user, post):
        abort(404)
    return private_files.send_private(photos_folder("community"), name)


@bp.get("/voice-notes/<name>")
@login_required
def voice_note(name):
    """Play a post's voice note to exactly those who may read the post (its photo's rule)."""
    post = db.session.execute(db.select(Post).where(Post.voice_note == name)).scalars().first()
    if post is None or not policy.can_see_photo_of(current_user, post):
        abort(404)
    from lms.media.voice_notes import send_voice_note

    return send_voice_note(photos_folder("community"), name)


# -- circles and pairs ----------------------------------------------------------------------------------------


def _managed(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    if not policy.can_manage_circles(current_user, cohort):
        abort(403)
    return cohort


@bp.get("/cohorts/<int:cohort_id>/circles")
@login_required
def manage_circles(cohort_id):
    cohort = _managed(cohort_id)
    return render_template("community/circles.html", cohort=cohort, circles=queries.circles_of(cohort.id),
                           unplaced=_unplaced(cohort), pairs=queries.week_pairs(cohort.id), week=circles.week_of(),
                           action_form=EmptyForm())


def _unplaced(cohort):
    placed = {m.user_id for _c, members in queries.circles_of(cohort.id) for m in members}
    return [u for u in circles.current_learners(cohort) if u.id not in placed]


def _circle_action(cohort_id, change, done):
    cohort = _managed(cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        change(cohort)
    except CommunityError as error:
        db.session.rollback()
        flash(message(error), "error")
    else:
        db.session.commit()
        flash(done(), "success")
    return redirect(url_for("community.manage_circles", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/circles/split")
@login_required
def split_circles(cohort_id):
    return _circle_action(cohort_id, lambda cohort: circles.split_into_circles(current_user, cohort),
                          lambda: _("The learners are in new circles."))


@bp.post("/cohorts/<int:cohort_id>/circles/move")
@login_required
def move_member(cohort_id):
    user_id = request.form.get("user_id", type=int)
    circle = db.session.get(Circle, request.form.get("circle_id", type=int) or 0)
    return _circle_action(cohort_id, lambda cohort: circles.move_member(current_user, cohort, user_id, circle),
                          lambda: _("She is in her new circle."))


@bp.post("/cohorts/<int:cohort_id>/pairs")
@login_required
def make_pairs(cohort_id):
    return _circle_action(cohort_id, lambda cohort: circles.make_week_pairs(current_user, cohort),
                          lambda: _("This week's pairs are made."))


@bp.post("/choices")
@login_required
def save_choices():
    form = forms.ChoicesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        circles.set_choices(current_user, pairing=form.pairing.data, share_phone=form.share_phone.data)
    except CommunityError as error:
        flash(message(error), "error")
    else:
        db.session.commit()
        flash(_("Your choices are saved."), "success")
    return redirect(url_for("community.my_circle"))


@bp.get("/circle")
@login_required
def my_circle():
    card = queries.circle_card(current_user)
    choices = forms.ChoicesForm(data={"pairing": card["member"].pairing, "share_phone": card["member"].share_phone}) \
        if card else None
    greeting = None
    links = {}
    if card and card["pair"]:
        for partner in card["pair"][1]:
            if partner.user.phone and partner.user.active and queries.partner_shares_phone(partner):
                greeting = _("Hello %(name)s, it is %(me)s from our circle. When can we talk this week?",
                             name=queries.first_name(partner.user), me=queries.first_name(current_user))
                links[partner.user_id] = whatsapp_link(partner.user.phone, greeting)
    blocked = db.session.execute(db.select(User).where(User.id.in_(circles.blocked_ids(current_user.id)))
                                 ).scalars().all()
    return render_template("community/circle.html", card=card, choices=choices, links=links,
                           talk_form=forms.TalkForm(), action_form=EmptyForm(), blocked=blocked)


@bp.post("/pairs/<public_id>/talked")
@login_required
def record_talk(public_id):
    form = forms.TalkForm()
    member = db.session.execute(db.select(PairMember).where(PairMember.public_id == public_id)).scalar_one_or_none()
    if member is None or member.user_id != current_user.id:
        abort(404)
    if not form.validate_on_submit():
        flash(message("too_long"), "error")
        return redirect(url_for("community.my_circle"))
    circles.record_talk(current_user, member, form.learned.data)
    db.session.commit()
    flash(_("Saved. Thank you for talking with your partner."), "success")
    return redirect(url_for("community.my_circle"))


@bp.post("/members/<int:user_id>/block")
@login_required
def block_member(user_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id:
        abort(404)
    circles.block_member(current_user, user)
    db.session.commit()
    flash(_("You will no longer see her posts or be paired with her."), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("community.my_circle"))


@bp.post("/members/<int:user_id>/unblock")
@login_required
def unblock_member(user_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    circles.unblock_member(current_user, user_id)
    db.session.commit()
    flash(_("You will see her posts again."), "success")
    return redirect(url_for("community.my_circle"))


# -- what's new -----------------------------------------------------------------------------------------------


@bp.get("/whats-new")
@login_required
def whats_new():
    found, last = whatsnew.items(current_user)
    whatsnew.mark_seen(current_user)
    db.session.commit()
    return render_template("community/whats_new.html", items=found, last=last)
