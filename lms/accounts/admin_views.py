"""Administration of users: list, search, roles, deactivation."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import forms, queries, services
from lms.accounts.guards import role_required
from lms.accounts.models import ROLES, User
from lms.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

ERRORS = {
    "cannot_remove_own_admin": lambda: _("You cannot remove your own administrator role."),
    "cannot_deactivate_self": lambda: _("You cannot deactivate your own account."),
}


@bp.get("/users")
@role_required("admin")
def list_users():
    text = request.args.get("q", "")[:100]
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    page = db.paginate(queries.search_users(text, role), per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, q=text, role=role, roles=ROLES,
                           role_labels=forms.ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Create an account with its roles; the code for its first sign-in is shown once."""
    form = forms.NewUserForm()
    form.fill_choices()
    if form.validate_on_submit():
        try:
            user, code = services.create_account_with_code(
                current_user, form.username.data, form.roles.data,
                **{name: getattr(form, name).data for name in
                   ("display_name", "locale", "country", "organisation", "phone", "email")})
        except services.AccountError as error:
            if str(error) == "username_taken":
                form.username.errors.append(_("This username is taken. Try another one."))
            else:
                flash(ERRORS.get(str(error), lambda: _("This change is not allowed."))(), "error")
        else:
            db.session.commit()
            return render_template("accounts/reset_password.html", target=user, code=code, form=None, last=None,
                                   created=True)
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id):
    user = db.get_or_404(User, user_id)
    form = forms.RolesForm()
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit():
        try:
            services.set_roles(current_user, user, form.roles.data)
        except services.AccountError as error:
            flash(ERRORS.get(str(error), lambda: _("This change is not allowed."))(), "error")
        else:
            db.session.commit()
            flash(_("Roles saved for %(name)s.", name=user.display_name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form, action_form=forms.EmptyForm(),
                           role_labels=forms.ROLE_LABELS)


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id):
    user = db.get_or_404(User, user_id)
    form = forms.EmptyForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        try:
            services.set_active(current_user, user, active)
        except services.AccountError as error:
            flash(ERRORS.get(str(error), lambda: _("This change is not allowed."))(), "error")
        else:
            db.session.commit()
            flash(_("Account reactivated.") if active else _("Account deactivated. Its history is kept."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@role_required("admin")
def sign_out_everywhere(user_id):
    user = db.get_or_404(User, user_id)
    if forms.EmptyForm().validate_on_submit():
        services.sign_out_everywhere(current_user, user)
        db.session.commit()
        flash(_("%(name)s is signed out on all devices.", name=user.display_name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
