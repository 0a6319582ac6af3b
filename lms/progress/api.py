"""POST /api/v1/progress: the offline queue sends batches of events here; GET returns her state."""
import json

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from lms.extensions import csrf, db
from lms.progress import events, queries

bp = Blueprint("progress_api", __name__, url_prefix="/api/v1")

MAX_EVENTS = 500
MAX_BYTES = 512 * 1024


def error(status, message):
    return jsonify(error=message), status


@bp.before_request
def require_learner():
    """Signed-out callers get a 401 (never a sign-in page), then the CSRF header is checked."""
    if not current_user.is_authenticated:
        return error(401, "authentication required")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


@bp.post("/progress")
def post_progress():
    """Apply a batch {"events": [...]}; answer which were accepted, duplicates or rejected."""
    limit = current_app.config.get("PROGRESS_MAX_EVENTS", MAX_EVENTS)
    too_large = error(413, f"the batch is larger than {MAX_BYTES // 1024} KB: send fewer events at a time")
    if (request.content_length or 0) > MAX_BYTES:
        return too_large
    raw = request.stream.read(MAX_BYTES + 1)  # a body without a length is read no further than the limit
    if len(raw) > MAX_BYTES:
        return too_large
    body = _decode(raw) if request.is_json else None
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        return error(400, 'the body must be JSON like {"events": [{"id": "<uuid>", "type": "...", '
                          '"lesson": "<lesson id>", "at": "<ISO 8601>", "data": {...}}]}')
    if len(body["events"]) > limit:
        return error(413, f"at most {limit} events per batch")
    result = events.record_events(current_user, body["events"])
    db.session.commit()
    return jsonify(result.as_dict())


def _decode(raw):
    """Return the JSON body, or None when it is not JSON.

    A number too long for Python's int (over 4,300 digits) becomes a float (or
    infinity) instead of failing the whole batch: the event holding it is rejected
    on its own. Nesting too deep for the parser fails the body.
    """
    try:
        return json.loads(raw, parse_int=lambda digits: int(digits) if len(digits) <= 64 else float(digits))
    except (ValueError, RecursionError):
        return None


@bp.get("/progress")
def get_progress():
    """Return the signed-in learner's state per lesson."""
    states = {}
    for progress in queries.progress_by_lesson(current_user.id).values():
        states[progress.lesson.slug] = {
            "state": queries.lesson_state(progress),
            "completed_at": progress.completed_at.isoformat() + "Z" if progress.completed_at else None,
            "best_score": progress.best_score,
            "attempts": progress.attempts,
        }
    return jsonify(lessons=states)
