"""Trainer pages for cohorts, and the learner's side: joining with a code, PIN sign-in."""
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import force_locale, get_locale, gettext as _, ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from lms.accounts import services as accounts
from lms.accounts.forms import EmptyForm
from lms.accounts.guards import role_required
from lms.accounts.models import User
from lms.accounts.browser import sign_in_browser
from lms.accounts.signals import RegistrationRefused, user_registered
from lms.catalogue import queries as catalogue
from lms.cohorts import enrolment, forms, queries, services
from lms.cohorts.models import Cohort, Invitation
from lms.cohorts.policy import can_manage_cohort
from lms.core.i18n import supported_languages
from lms.extensions import db
from lms.site.addresses import phone_url

bp = Blueprint("cohorts", __name__)

MESSAGES = {
    "not_a_mentor": lambda: _("This person does not have the mentor role. An administrator can give it."),
    "not_a_learner_here": lambda: _("This learner is not in the cohort."),
    "not_a_mentor_here": lambda: _("Add this mentor to the cohort first."),
    "no_mentors": lambda: _("Add at least one mentor to the cohort first."),
    "already_trainer": lambda: _("She is already a trainer."),
    "path_not_completed": lambda: _("She must first complete the Training of trainers path (with its certificate)."),
    "unknown_code": lambda: _("No open cohort has this code. Check it with your trainer."),
    "not_allowed": lambda: _("This change is not allowed."),
    "already_member": lambda: _("She is already in the cohort."),
}
CSV_ERRORS = {
    "name_missing": lambda: _("the name is missing"),
    "name_too_long": lambda: _("the name is longer than 120 characters"),
    "bad_phone": lambda: _("the phone number is not valid"),
    "bad_language": lambda: _("the language must be fr or en"),
    "bad_username": lambda: _("the username may only hold letters, digits, dots and dashes (3 to 40)"),
    "username_taken": lambda: _("this username is already used: ask her to join with the cohort code"),
}


def message(error):
    return MESSAGES.get(str(error), MESSAGES["not_allowed"])()


def managed_cohort(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_manage_cohort(current_user, cohort):
        abort(403)
    return cohort


def join_url(cohort):
    return phone_url("cohorts.join", code=cohort.join_code)


def _path_choices(form):
    form.paths.choices = [SelectChoice(p.id, catalogue.localized(p.title, str(current_user.locale)))
                          for p in catalogue.list_paths()]


@bp.get("/cohorts")
@role_required("trainer", "admin")
def list_cohorts():
    return render_template("cohorts/index.html", cohorts=queries.list_cohorts_for(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@role_required("trainer", "admin")
def new_cohort():
    form = forms.CohortForm()
    _path_choices(form)
    if form.validate_on_submit():
        paths = [p for p in catalogue.list_paths() if p.id in form.paths.data]
        cohort = services.create_cohort(current_user, form.name.data, paths, form.language.data,
                                        form.starts_on.data, form.ends_on.data, form.place.data)
        cohort.pin_sign_in = form.pin_sign_in.data
        db.session.commit()
        flash(_("Cohort created. Share its code %(code)s with your learners.", code=cohort.join_code), "success")
        return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@login_required
def edit_cohort(cohort_id):
    cohort = managed_cohort(cohort_id)
    form = forms.CohortForm(obj=cohort)
    _path_choices(form)
    if request.method == "GET":
        form.paths.data = [p.id for p in cohort.paths]
    if form.validate_on_submit():
        paths = [p for p in catalogue.list_paths() if p.id in form.paths.data]
        services.update_cohort(current_user, cohort, name=form.name.data.strip(), language=form.language.data,
                               starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                               place=form.place.data.strip() or None, pin_sign_in=form.pin_sign_in.data, paths=paths)
        db.session.commit()
        flash(_("Cohort saved."), "success")
        return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=cohort)


@bp.get("/cohorts/<int:cohort_id>")
@login_required
def show_cohort(cohort_id):
    return _cohort_page(managed_cohort(cohort_id))


def _cohort_page(cohort, add_form=None):
    """The cohort's page; `add_form` brings back the invitation form with what she typed and why it failed."""
    learners = services.active_members(cohort, "learner")
    mentors = services.active_members(cohort, "mentor")
    holders = services.trainer_path_holders(l.id for l in learners)
    return render_template(
        "cohorts/show.html", cohort=cohort, learners=learners, mentors=mentors, mentor_of=queries.mentor_of(cohort.id),
        history=queries.assignment_history(cohort.id), join_url=join_url(cohort), add_form=add_form or forms.AddMemberForm(),
        action_form=EmptyForm(), pin_form=forms.PinSheetForm(), localized=catalogue.localized,
        invited=queries.pending_invitations_to(cohort.id),
        can_certify={l.id: l.id in holders and not l.has_role("trainer") for l in learners},
        unassigned=queries.unassigned_learners(cohort.id), certifiable=queries.certifiable_learners(cohort_id=cohort.id),
        can_reset={l.id: accounts.can_manage(current_user, l, visible=True) for l in learners},
        completion=queries.completion_of(cohort))


@bp.get("/cohorts/<int:cohort_id>/sheet")
@login_required
def sign_up_sheet(cohort_id):
    """Show the sign-up sheet for the wall: a QR code and four steps, in the cohort's language."""
    cohort = managed_cohort(cohort_id)
    import segno  # only this page needs it; keeps the server small

    url = join_url(cohort)
    language = cohort.language if cohort.language in supported_languages() else str(get_locale())
    with force_locale(language):
        # The learners read the sheet on the wall: it speaks the cohort's language, the page around it the trainer's.
        qr = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#1d1d24",
                                                     title=_("QR code of the address to join the cohort"))
        sheet = render_template("cohorts/_sheet.html", cohort=cohort, url=url, qr=qr, language=language,
                                localized=catalogue.localized)
    return render_template("cohorts/sheet.html", cohort=cohort, sheet=Markup(sheet))


@bp.post("/cohorts/<int:cohort_id>/members")
@login_required
def add_member(cohort_id):
    """Invite an existing account: she joins when she accepts (an admin's addition is immediate)."""
    cohort = managed_cohort(cohort_id)
    form = forms.AddMemberForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _cohort_page(cohort, add_form=form)
    user = accounts.get_user_by_username(form.username.data)
    if user is None or not user.active:
        form.username.errors.append(_("No active account has this username. To give a new learner an account, "
                                      "use “Enrol learners”."))
        return _cohort_page(cohort, add_form=form)
    try:
        made = services.invite(current_user, cohort, user, form.role.data)
    except services.CohortError as error:
        form.username.errors.append(message(error))
        return _cohort_page(cohort, add_form=form)
    db.session.commit()
    if isinstance(made, Invitation):
        flash(_("%(name)s is invited. She joins the cohort when she accepts, on her Join page.",
                name=user.display_name), "success")
    else:
        flash(_("%(name)s added to the cohort.", name=user.display_name), "success")
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))


@bp.post("/invitations/<public_id>")
@login_required
def answer_invitation(public_id):
    """Only the invited person answers her invitation."""
    invitation = db.first_or_404(db.select(Invitation).filter_by(public_id=public_id))
    if invitation.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        accept = request.form.get("answer") == "accept"
        try:
            services.answer_invitation(current_user, invitation, accept)
        except services.CohortError as error:
            flash(message(error), "error")
        else:
            db.session.commit()
            flash(_("You joined the cohort %(name)s.", name=invitation.cohort.name) if accept
                  else _("Invitation declined."), "success" if accept else "info")
    return redirect(url_for("cohorts.join"))


def _current_member(cohort, user_id, role):
    """Return the user if she is a current member in this role, else answer 404."""
    user = db.get_or_404(User, user_id)
    member = services.membership(cohort, user, role) if role in ("learner", "mentor") else None
    if member is None or member.left_at is not None:
        abort(404)
    return user


@bp.get("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@login_required
def confirm_remove(cohort_id, user_id):
    """Say what removing her does before it is done (the button on the cohort page only leads here)."""
    cohort = managed_cohort(cohort_id)
    role = request.args.get("role", "learner")
    user = _current_member(cohort, user_id, role)
    return render_template("cohorts/confirm.html", cohort=cohort, form=EmptyForm(), kind="remove", person=user,
                           role=role, action=url_for("cohorts.remove_member", cohort_id=cohort.id, user_id=user.id))


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@login_required
def remove_member(cohort_id, user_id):
    cohort = managed_cohort(cohort_id)
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        services.remove(current_user, cohort, user, request.form.get("role", "learner"))
        db.session.commit()
        flash(_("%(name)s left the cohort. Her history is kept.", name=user.display_name), "success")
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))


def _mentor_changes(form):
    """Return [(learner id, mentor id or None)] from one learner's form, or from the whole table:
    `mentor-<learner id>` against `was-<learner id>` (what the table showed), so that only what she
    changed is saved: a table opened before someone else's change does not undo it. None when a
    value is not a number."""
    if "learner_id" in form:
        pairs = [(form.get("learner_id"), form.get("mentor_id", ""))]
    else:
        pairs = [(key.removeprefix("mentor-"), value) for key, value in form.items(multi=True)
                 if key.startswith("mentor-") and value != form.get("was-" + key.removeprefix("mentor-"))]
    try:
        return [(int(learner), int(mentor) if mentor else None) for learner, mentor in pairs]
    except ValueError:
        return None


@bp.post("/cohorts/<int:cohort_id>/mentors")
@login_required
def assign_mentor(cohort_id):
    """Save every mentor changed in the table, each through the service; all or nothing."""
    cohort = managed_cohort(cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    changes = _mentor_changes(request.form)
    back = redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id, _anchor="learners"))
    if changes is None:
        flash(message("not_allowed"), "error")
        return back
    if not changes:
        flash(_("No mentor was changed."), "info")
        return back
    for learner_id, mentor_id in changes:
        learner = db.session.get(User, learner_id)
        mentor = db.session.get(User, mentor_id) if mentor_id else None
        try:
            if learner is None or (mentor_id and mentor is None):
                raise services.CohortError("not_allowed")
            services.assign_mentor(current_user, cohort, learner, mentor)
        except services.CohortError as error:
            db.session.rollback()
            name = learner.display_name if learner else str(learner_id)
            flash(_("%(name)s: %(problem)s Nothing was saved.", name=name, problem=message(error)), "error")
            return back
    db.session.commit()
    flash(ngettext("%(num)d mentor assignment saved.", "%(num)d mentor assignments saved.", len(changes)), "success")
    return back


@bp.post("/cohorts/<int:cohort_id>/mentors/balance")
@login_required
def balance_mentors(cohort_id):
    cohort = managed_cohort(cohort_id)
    if EmptyForm().validate_on_submit():
        try:
            made = services.balance_mentors(current_user, cohort)
        except services.CohortError as error:
            flash(message(error), "error")
        else:
            db.session.commit()
            if made:
                flash(ngettext("%(num)d learner got a mentor.", "%(num)d learners got a mentor.", len(made)),
                      "success")
            else:
                flash(_("Every learner already has a mentor: nothing changed."), "info")
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id, _anchor="learners"))


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["GET", "POST"])
@login_required
def bulk_enrol(cohort_id):
    """Enrol from a CSV file in two steps: first what will happen, line by line; then, confirmed, do it."""
    cohort = managed_cohort(cohort_id)
    form = forms.BulkEnrolForm()
    if form.validate_on_submit():
        plan = enrolment.plan_rows(cohort, form.text_read, form.rows, tuple(current_app.config["LANGUAGES"]))
        if not any(item.action in ("create", "invite") for item in plan):
            form.text.errors.append(_("No line of this file can be enrolled: correct the lines below and send it again."))
        elif request.form.get("confirm") == "1":
            result = enrolment.apply_plan(current_user, cohort, plan)
            db.session.commit()
            return render_template("cohorts/enrolled.html", cohort=cohort, created=result.created,
                                   invited=result.invited, plan=plan, join_url=join_url(cohort),
                                   describe=describe_row)
        else:
            return render_template("cohorts/enrol_preview.html", cohort=cohort, form=form, plan=plan,
                                   text=form.text_read, describe=describe_row)
        return render_template("cohorts/enrol.html", cohort=cohort, form=form, plan=plan, describe=describe_row), 422
    return render_template("cohorts/enrol.html", cohort=cohort, form=form, plan=None)


def describe_row(item):
    """Say in words what enrolment does with one line."""
    if item.action == "create":
        return _("new account: %(username)s", username=item.username)
    if item.action == "invite":
        return _("she already has an account (%(username)s): she is invited and joins when she accepts",
                 username=item.user.username)
    if item.action == "member":
        return _("already in the cohort: nothing to do")
    if item.action == "repeated":
        return _("the same learner as line %(line)d: skipped", line=item.expected)
    if item.error == "wrong_fields":
        return _("%(found)d fields instead of %(expected)d: is the separator right? (a comma or a semicolon "
                 "between name, username or phone, and language)", found=item.found, expected=item.expected)
    return CSV_ERRORS[item.error]()


@bp.get("/cohorts/<int:cohort_id>/pins")
@login_required
def confirm_pins(cohort_id):
    """Say that the old PINs stop working, and for whom, before printing new ones."""
    cohort = managed_cohort(cohort_id)
    learners = [l for l in services.active_members(cohort) if l.learner_only and l.active]
    return render_template("cohorts/confirm.html", cohort=cohort, form=forms.PinSheetForm(), kind="pins",
                           count=len(learners), action=url_for("cohorts.make_pins", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/pins")
@login_required
def make_pins(cohort_id):
    """New PINs for every learner-only member (the old ones stop working), valid for the days chosen."""
    cohort = managed_cohort(cohort_id)
    form = forms.PinSheetForm()
    if not form.validate_on_submit():
        abort(400)
    pins = services.set_pins(current_user, cohort, valid_days=form.valid_days.data or None)
    cohort.pin_sign_in = True
    db.session.commit()
    return render_template("cohorts/pins.html", cohort=cohort,
                           pins=sorted(pins.items(), key=lambda item: item[0].display_name),
                           expires_at=next((services.membership(cohort, u).pin_expires_at for u in pins), None),
                           pin_url=phone_url("cohorts.pin_sign_in", code=cohort.join_code))


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>/certify-trainer")
@login_required
def confirm_certify(cohort_id, user_id):
    """Say what certifying her gives her, or why she cannot be certified yet."""
    cohort = managed_cohort(cohort_id)
    learner = _current_member(cohort, user_id, "learner")
    problem = ("already_trainer" if learner.has_role("trainer") else
               None if services.has_completed_trainer_path(learner) else "path_not_completed")
    return render_template("cohorts/confirm.html", cohort=cohort, form=EmptyForm(), kind="certify", person=learner,
                           problem=message(problem) if problem else None,
                           action=url_for("cohorts.certify_trainer", cohort_id=cohort.id, user_id=learner.id))


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/certify-trainer")
@login_required
def certify_trainer(cohort_id, user_id):
    cohort = managed_cohort(cohort_id)
    learner = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.certify_trainer(current_user, learner, cohort)
    except services.CohortError as error:
        flash(message(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now a trainer. Welcome to the cascade!", name=learner.display_name), "success")
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))


@bp.route("/join", methods=["GET", "POST"])
@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code=None):
    """Join a cohort with its code; visitors first sign in or create an account."""
    form = forms.JoinForm()
    if request.method == "GET" and code:
        form.code.data = code
    cohort = queries.get_by_join_code(form.code.data) if form.code.data else None
    if not current_user.is_authenticated:
        if code and cohort:
            session["join_code"] = cohort.join_code
        return render_template("cohorts/join.html", form=form, cohort=cohort, visitor=True)
    if form.validate_on_submit():
        try:
            cohort = services.join_with_code(current_user, form.code.data)
        except services.CohortError as error:
            form.code.errors.append(message(error))
        else:
            db.session.commit()
            session.pop("join_code", None)
            flash(_("You joined the cohort %(name)s.", name=cohort.name), "success")
            return redirect(url_for("web.home"))
    return render_template("cohorts/join.html", form=form, cohort=cohort, visitor=False,
                           mine=queries.cohorts_of_member(current_user.id),
                           invitations=queries.pending_invitations(current_user.id), action_form=EmptyForm())


@user_registered.connect
def join_after_registration(_app, user, join_code, **_extra):
    """A learner who registers with her cohort's code (typed, or from a join link) joins it."""
    code = join_code or session.pop("join_code", "")
    if not code:
        return
    try:
        cohort = services.join_with_code(user, code)
    except services.CohortError:
        session.pop("join_code", None)  # a stale link's code is not offered again
        raise RegistrationRefused("join_code", _(
            "No open cohort has the code %(code)s. Check it with your trainer, or leave it empty and join later "
            "from the Join page.", code=code)) from None
    else:
        session.pop("join_code", None)
        flash(_("You joined the cohort %(name)s.", name=cohort.name), "success")


@bp.route("/c/<code>/pin", methods=["GET", "POST"])
def pin_sign_in(code):
    """The shared computer of a training room: pick your name, type your PIN."""
    cohort = queries.get_by_join_code(code)
    if cohort is None or not cohort.pin_sign_in:
        abort(404)
    form = forms.PinSignInForm()
    form.learner.choices = [SelectChoice(u.id, u.display_name) for u in queries.pin_learners(cohort)]
    status = 200
    if form.validate_on_submit():
        try:
            user = services.pin_sign_in(cohort, form.learner.data, form.pin.data, request.remote_addr)
        except accounts.SignInRefused as refused:
            db.session.commit()
            status = 429 if refused.wait_seconds else 200
            if refused.wait_seconds:
                flash(_("Too many attempts. Please wait a few minutes and try again."), "error")
            else:
                form.pin.errors.append(_("Wrong PIN. Try again, or ask your trainer."))
        else:
            sign_in_browser(user, "pin")
            return redirect(url_for("web.home"))
    return render_template("cohorts/pin_sign_in.html", cohort=cohort, form=form), status
