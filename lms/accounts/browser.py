"""Sign a browser in and out: the cookie side of lms.accounts.sessions."""
from flask import flash, redirect, session, url_for
from flask_login import current_user, login_user, logout_user

from lms.accounts import sessions
from lms.extensions import db


def sign_in_browser(user, kind="password", remember=False):
    """Sign this browser in with a new server-side session, and commit."""
    session.pop("lang", None)
    sessions.start(user, kind, remember)
    if kind == "code":
        sessions.end_others(user)  # she lost her password: whoever held her old sessions is out
    db.session.commit()
    login_user(user, remember=remember)


def sign_out_browser(message):
    """End this browser's server-side session, delete the remember cookie too, and go home."""
    if current_user.is_authenticated:
        sessions.end(current_user)
        db.session.commit()
    logout_user()
    remember = session.get("_remember")
    session.clear()
    if remember:
        session["_remember"] = remember  # tells Flask-Login to delete the "Stay signed in" cookie
    flash(message, "info")
    response = redirect(url_for("web.home"))
    response.headers["Clear-Site-Data"] = '"cache"'  # her pages in the browser's cache go too
    return response
