"""POST /api/v1/posts: posts and replies written offline, sent by the phone's queue; each is stored once."""
from datetime import datetime, timezone

from flask import Blueprint, jsonify, request
from flask_login import current_user

from lms.catalogue import queries as catalogue
from lms.community import conversations, queries
from lms.community.errors import CommunityError
from lms.extensions import csrf, db

bp = Blueprint("community_api", __name__, url_prefix="/api/v1")

MAX_POSTS = 50
MAX_BYTES = 256 * 1024


def error(status, text):
    return jsonify(error=text), status


@bp.before_request
def require_member():
    """Signed-out callers get a 401 (never a sign-in page), then the CSRF header is checked."""
    if not current_user.is_authenticated:
        return error(401, "authentication required")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


def _when(value):
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _store(item):
    """Store one item; return "accepted" or "duplicate", or raise CommunityError."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise CommunityError("bad_id")
    public_id = conversations.clean_public_id(item["id"])
    body = item.get("body")
    if not isinstance(body, str):
        raise CommunityError("empty")
    at = _when(item.get("at"))
    if isinstance(item.get("lesson"), str):
        lesson = catalogue.get_lesson(item["lesson"])
        if lesson is None:
            raise CommunityError("not_found")
        _post, created = conversations.ask_question(current_user, lesson, body, public_id, at=at)
    else:
        thread = queries.get_thread(item.get("thread")) if isinstance(item.get("thread"), str) else None
        reply_to = None
        if isinstance(item.get("reply_to"), str) and item["reply_to"]:
            reply_to = conversations.get_post(item["reply_to"])
            if reply_to is None:
                raise CommunityError("not_found")
        _post, created = conversations.add_post(current_user, thread, body, public_id, reply_to, at=at)
    return "accepted" if created else "duplicate"


@bp.post("/posts")
def post_posts():
    """Apply {"posts": [{"id", "thread" | "lesson", "reply_to"?, "body", "at"?}]}; answer per post."""
    if (request.content_length or 0) > MAX_BYTES:
        return error(413, f"the batch is larger than {MAX_BYTES // 1024} KB: send fewer posts at a time")
    raw = request.stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return error(413, f"the batch is larger than {MAX_BYTES // 1024} KB: send fewer posts at a time")
    import json

    try:
        body = json.loads(raw) if request.is_json else None
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("posts"), list):
        return error(400, 'the body must be JSON like {"posts": [{"id": "<uuid>", "thread": "<thread id>", '
                          '"body": "..."}]}')
    if len(body["posts"]) > MAX_POSTS:
        return error(413, f"at most {MAX_POSTS} posts per batch")
    result = {"accepted": [], "duplicates": [], "rejected": []}
    for item in body["posts"]:
        item_id = item.get("id") if isinstance(item, dict) else None
        savepoint = db.session.begin_nested()
        try:
            outcome = _store(item)
        except CommunityError as problem:
            savepoint.rollback()
            result["rejected"].append({"id": item_id if isinstance(item_id, str) else None, "error": str(problem)})
            continue
        savepoint.commit()
        result["accepted" if outcome == "accepted" else "duplicates"].append(item_id)
    db.session.commit()
    return jsonify(result)
