"""Sign-in, sign-out, registration, first-run setup and the user's own account pages."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext, refresh as refresh_locale
from flask_login import current_user, login_required

from lms.accounts import forms, queries, services
from lms.accounts.browser import sign_in_browser, sign_out_browser
from lms.accounts.signals import RegistrationRefused, user_registered
from lms.extensions import db

bp = Blueprint("accounts", __name__)


def safe_next(default="web.home"):
    """Return the ?next= target when it stays on this site."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return url_for(default)


def _profile_data(form):
    return {name: getattr(form, name).data for name in
            ("display_name", "locale", "country", "organisation", "phone", "email")}


def wait_message(seconds):
    minutes = max(1, round(seconds / 60))
    return ngettext("Too many attempts. Please wait %(num)d minute and try again.",
                    "Too many attempts. Please wait %(num)d minutes and try again.", minutes)


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@bp.route("/sign-in/code", methods=["GET", "POST"], endpoint="sign_in_with_code")
def sign_in():
    """Sign in with a password, or (second address) with a one-time code in a visible field."""
    if current_user.is_authenticated:
        return redirect(safe_next())
    with_code = request.endpoint == "accounts.sign_in_with_code"
    form = forms.CodeSignInForm() if with_code else forms.SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user, how = services.authenticate(form.username.data, form.password.data, request.remote_addr)
        except services.SignInRefused as refused:
            db.session.commit()  # keep the failure count
            status = 429 if refused.wait_seconds else 200
            if refused.wait_seconds:
                flash(wait_message(refused.wait_seconds), "error")
            else:
                form.password.errors.append(_("Wrong username or password. Check them and try again, "
                                              "or ask your trainer for a one-time code."))
        else:
            sign_in_browser(user, how, remember=not with_code and form.remember.data)
            if user.must_change_password:
                return redirect(url_for("accounts.change_password"))
            return redirect(safe_next())
    return render_template("accounts/sign_in.html", form=form, with_code=with_code,
                           registration_open=current_app.config["REGISTRATION_OPEN"]), status


@bp.post("/sign-out")
def sign_out():
    if forms.EmptyForm().validate_on_submit():
        return sign_out_browser(_("You are signed out."))
    return redirect(url_for("web.home"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of hers: a lost phone, a shared computer she forgot to sign out of."""
    if not forms.EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.profile"))
    services.sign_out_everywhere(current_user, current_user)
    return sign_out_browser(_("You are signed out on all your devices, this one included."))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        return render_template("accounts/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = forms.RegistrationForm()
    form.fill_choices()
    if request.method == "GET":
        form.locale.data = str(request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "fr")
        form.join_code.data = session.get("join_code", "")
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data, roles=("learner",),
                                        **_profile_data(form))
        except services.AccountError:
            form.username.errors.append(_("This username is taken. Try another one."))
            return render_template("accounts/register.html", form=form)
        try:
            user_registered.send(current_app._get_current_object(), user=user,
                                 join_code=(form.join_code.data or "").strip())
        except RegistrationRefused as refused:  # e.g. a mistyped cohort code: she corrects it, no account is made
            db.session.rollback()
            form[refused.field].errors.append(str(refused))
        else:
            sign_in_browser(user)
            refresh_locale()
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            return redirect(url_for("web.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if queries.admin_exists():
        return redirect(url_for("web.home"))
    form = forms.SetupForm()
    form.fill_choices()
    if request.method == "GET":
        form.locale.data = str(request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "fr")
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data, roles=("admin", "trainer"),
                                        **_profile_data(form))
        except services.AccountError:
            form.username.errors.append(_("This username is taken. Try another one."))
        else:
            sign_in_browser(user)
            current_app.extensions["lms.admin_exists"] = True
            refresh_locale()
            flash(_("The platform is ready. You are its administrator."), "success")
            return redirect(url_for("web.home"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user)
    form.fill_choices()
    if form.validate_on_submit():
        services.update_profile(current_user, **_profile_data(form), save_data=form.save_data.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, action_form=forms.EmptyForm())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Choose a new password. After a one-time code she is not asked for it again."""
    forced = current_user.must_change_password
    form = forms.ChangePasswordForm()
    if forced and current_user.session_kind == "code":
        del form.current
    status = 200
    if form.validate_on_submit():
        try:
            known = "current" not in form or services.check_current_password(
                current_user, form.current.data, request.remote_addr)
        except services.SignInRefused as refused:
            form.current.errors.append(wait_message(refused.wait_seconds))
            status = 429
        else:
            db.session.commit()  # keep the failure count
            if not known:
                form.current.errors.append(_("This is not your current password."))
            elif "current" in form and form.password.data == form.current.data:
                form.password.errors.append(_("Choose a password different from the current one."))
            else:
                services.change_password(current_user, form.password.data)
                db.session.commit()
                flash(_("Your new password is saved. You are signed out on your other devices."), "success")
                return redirect(url_for("web.home"))
    return render_template("accounts/change_password.html", form=form, forced=forced), status


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@login_required
def reset_password(user_id):
    """Give a learner a one-time code, shown once on screen (no email offline)."""
    from lms.accounts.models import User

    target = db.get_or_404(User, user_id)
    if not services.can_manage(current_user, target):
        abort(403)
    form = forms.EmptyForm()
    code = None
    if form.validate_on_submit():
        code = services.reset_password(current_user, target)
        db.session.commit()
    return render_template("accounts/reset_password.html", form=form, target=target, code=code,
                           last=services.last_one_time_code(target))
