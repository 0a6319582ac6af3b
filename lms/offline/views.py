"""Download a path as one file, and receive the progress that file sends back from the phone."""
import json

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import force_locale, get_locale, lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from lms.catalogue import queries as catalogue
from lms.catalogue.models import LearningPath
from lms.extensions import db
from lms.offline import build, services, tokens
from lms.offline.addresses import progress_address
from lms.web.savedata import save_data_requested

bp = Blueprint("offline", __name__, url_prefix="/offline")

MAX_EVENTS = 1000
MAX_BYTES = 512 * 1024
# What the progress service says when it refuses an event, in her language.
REASONS = {
    services.NOT_IN_PATH: _l("this lesson is not part of the path of this file"),
    services.NOT_FROM_FILE: _l("this file does not record such a step"),
    services.NOT_AN_EVENT: _l("this step could not be read"),
    "unknown lesson": _l("this lesson is no longer offered"),
    "this id is already used": _l("this step could not be read"),
    "'at' is too far in the past": _l("the phone's date was wrong when this step was made"),
}
TOKEN_PROBLEMS = {
    "unreadable": (400, _l("This file cannot send progress: it was changed, or it was made by another site.")),
    "expired": (403, _l("This file is too old to send progress. Download the path again from the centre's site, "
                        "then tick your lessons in the new file.")),
    "revoked": (403, _l("This file was made before you signed out of all your devices or changed your password, "
                        "so it can no longer send progress. Download the path again.")),
    "inactive": (403, _l("This account is closed: this file can no longer send progress. Ask your trainer.")),
}


@bp.get("/paths/<slug>/file")
@login_required
def download_file(slug):
    """Give her the path as one HTML file to keep, named after the path, its language and the day
    (`?audio=on`: with the recorded readings inside)."""
    path = catalogue.get_path(slug) or abort(404)
    made = build.build_file(current_user, path, str(get_locale()), progress_address(), save_data_requested(),
                            audio=request.args.get("audio") == "on")
    response = current_app.response_class(made.html, mimetype="text/html")
    response.headers.set("Content-Disposition", "attachment", filename=made.name)
    response.cache_control.private = True
    response.cache_control.no_store = True  # it holds her token
    return response


@bp.post("/progress")
def receive_progress():
    """Record the progress a downloaded file sends, on the authority of the token inside it.

    Exempt from CSRF protection: the form is posted from a page opened from the
    phone's Downloads (file://), which has neither her session cookie nor a CSRF
    token. The signed token is the authority instead, and it is what CSRF protection
    would guard: another site cannot forge this post without the token, which only
    her file holds, and even with it could only record her own steps in that path.
    """
    language = _page_language(None)
    if (request.content_length or 0) > MAX_BYTES:
        return _refused(413, _l("Too much progress to send at once. Ask your trainer for help."), language)
    request.max_content_length = MAX_BYTES
    request.max_form_memory_size = MAX_BYTES
    try:
        form = request.form
    except RequestEntityTooLarge:
        return _refused(413, _l("Too much progress to send at once. Ask your trainer for help."), language)
    language = _page_language(form.get("language"))
    try:
        grant = tokens.read_token(form.get("token"))
    except tokens.TokenError as error:
        status, message = TOKEN_PROBLEMS[error.reason]
        return _refused(status, message, language)
    try:
        raw_events = json.loads(form.get("events") or "null")
    except ValueError:
        raw_events = None
    if not isinstance(raw_events, list):
        return _refused(400, _l("The progress in this file could not be read. Open the file again and send it "
                                "once more."), language)
    if len(raw_events) > MAX_EVENTS:
        return _refused(413, _l("Too much progress to send at once. Ask your trainer for help."), language)
    receipt = services.receive_progress(grant, raw_events, language)
    db.session.commit()
    path = db.session.get(LearningPath, grant.path_id)
    with force_locale(language):
        return render_template("offline/received.html", receipt=receipt, learner=grant.user, impersonal=True,
                               path_title=catalogue.localized(path.title, language) if path else "",
                               reasons={key: str(value) for key, value in REASONS.items()})


def _page_language(wanted):
    return wanted if wanted in current_app.config["LANGUAGES"] else str(get_locale())


def _refused(status, message, language):
    with force_locale(language):
        return render_template("offline/refused.html", message=str(message), impersonal=True), status
