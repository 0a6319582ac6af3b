"""Request guards: who is signed in, first-run setup, forced password change, role checks."""
from functools import wraps

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.accounts import queries, sessions
from lms.extensions import login_manager

# Endpoints reachable before the first admin exists or before a forced password change.
OPEN_ENDPOINTS = {"static", "web.healthz", "web.set_language", "web.service_worker", "web.manifest",
                  "web.offline", "web.offline_strings", "site.ca_certificate", "site.trust_check",
                  "sync.push_part", "sync.pull_changes", "sync.course_archive"}  # signed by a centre's key, not a session


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(require_setup)
    app.before_request(require_new_password)


@login_manager.user_loader
def load_user(session_id):
    """Both cookies name a server-side session: an ended one signs nobody in."""
    return sessions.load(session_id)


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(error="authentication required"), 401
    from flask import flash
    flash(login_manager.login_message, "info")
    return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def require_setup():
    """Lead every page to the setup page until an administrator exists."""
    if current_app.extensions.get("lms.admin_exists"):
        return None
    if request.endpoint in OPEN_ENDPOINTS | {"accounts.setup"}:
        return None
    if queries.admin_exists():
        current_app.extensions["lms.admin_exists"] = True
        return None
    if wants_json():
        return jsonify(error="site not set up"), 503
    return redirect(url_for("accounts.setup"))


def require_new_password():
    """Keep a user who signed in with a one-time code on the password page."""
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if request.endpoint in OPEN_ENDPOINTS | {"accounts.change_password", "accounts.sign_out"}:
        return None
    if wants_json():
        return jsonify(error="password change required"), 403
    return redirect(url_for("accounts.change_password"))


def role_required(*roles, centre_staff=False):
    """Allow the view only to signed-in users holding one of these roles.

    centre_staff=True also lets in, at the hub, a centre's staff whose account came by
    sync: only for pages that scope what they show to her own centre.
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            allowed = current_user.holds_role(*roles) if centre_staff else current_user.has_role(*roles)
            if not allowed:
                abort(403)
            if current_user.session_kind == "pin" and not set(roles) <= {"learner"}:
                abort(403)  # a PIN opens learning only, never a role's pages
            return view(*args, **kwargs)
        return wrapped
    return decorator
