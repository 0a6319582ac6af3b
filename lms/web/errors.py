"""Error pages in the visitor's language, JSON for API callers."""
from flask import jsonify, render_template
from werkzeug.exceptions import HTTPException

from lms.accounts.guards import wants_json
from lms.extensions import db


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def handle_http_error(error):
    if wants_json():
        return jsonify(error=error.description or error.name), error.code
    if error.code in (400, 403, 404, 405, 413, 429, 500):
        return render_template("web/error.html", code=error.code), error.code
    return error


def handle_unexpected_error(error):
    db.session.rollback()
    from flask import current_app
    if current_app.config.get("TESTING") and current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    current_app.logger.exception("unexpected error")
    if wants_json():
        return jsonify(error="internal server error"), 500
    return render_template("web/error.html", code=500), 500
