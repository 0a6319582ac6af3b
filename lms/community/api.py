"""POST /api/v1/posts: posts and replies written offline, sent by the phone's queue; each is stored once.
POST /api/v1/posts/voice: one such post with its voice note, which waited on the phone beside it."""
from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from lms.catalogue import queries as catalogue
from lms.community import conversations, policy, queries
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


def _store(item, voice=None):
    """Store one item (with its stored voice note, if any); return "accepted" or "duplicate", or raise
    CommunityError."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise CommunityError("bad_id")
    public_id = conversations.clean_public_id(item["id"])
    body = item.get("body", "" if voice else None)
    if not isinstance(body, str):
        raise CommunityError("empty")
    at = _when(item.get("at"))
    if isinstance(item.get("lesson"), str):
        lesson = catalogue.get_lesson(item["lesson"])
        if lesson is None:
            raise CommunityError("not_found")
        _post, created = conversations.ask_question(current_user, lesson, body, public_id, at=at, voice=voice)
    else:
        thread = queries.get_thread(item.get("thread")) if isinstance(item.get("thread"), str) else None
        reply_to = None
        if isinstance(item.get("reply_to"), str) and item["reply_to"]:
            reply_to = conversations.get_post(item["reply_to"])
            if reply_to is None:
                raise CommunityError("not_found")
        _post, created = conversations.add_post(current_user, thread, body, public_id, reply_to, at=at, voice=voice)
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


def voice_folder():
    """Where posts' voice notes are kept: beside their photos (views.photos_folder("community"))."""
    return Path(current_app.instance_path) / "uploads" / "community"


def _may_post_there(item):
    """Whether she may write where the item goes: a thread she can see, or a lesson that exists."""
    if isinstance(item.get("lesson"), str):
        return catalogue.get_lesson(item["lesson"]) is not None
    thread = queries.get_thread(item.get("thread")) if isinstance(item.get("thread"), str) else None
    return thread is not None and policy.can_see_thread(current_user, thread)


@bp.post("/posts/voice")
def post_voice_post():
    """Apply one post sent as multipart/form-data: id, thread | lesson, reply_to?, body?, at? and the file
    voice_note; answer as /posts does. A busy server or a full disk is a 503: the phone keeps it and retries."""
    from lms.media import voice_notes  # PyAV loads only when a voice note is sent

    voice_file = request.files.get("voice_note")
    if voice_file is None or not voice_file.filename:
        return error(400, "send the voice note as the file field voice_note, and the post's fields beside it")
    item = {key: request.form[key] for key in ("id", "thread", "lesson", "reply_to", "body", "at")
            if key in request.form}
    item_id = item.get("id")
    result = {"accepted": [], "duplicates": [], "rejected": []}
    try:
        existing = conversations.get_post(conversations.clean_public_id(item_id))
    except CommunityError as problem:
        result["rejected"].append({"id": item_id, "error": str(problem)})
        return jsonify(result)
    if existing is not None and existing.author_id == current_user.id:
        result["duplicates"].append(item_id)  # sent again after an answer that never reached the phone
        return jsonify(result)
    if not _may_post_there(item):  # checked before the transcode: an outsider costs the server nothing
        result["rejected"].append({"id": item_id, "error": "not_found"})
        return jsonify(result)
    try:
        voice = voice_notes.save_voice_note(voice_file.stream, voice_folder())
    except voice_notes.VoiceError as problem:
        if problem.code in ("busy", "disk_full"):
            return error(503, problem.code)
        result["rejected"].append({"id": item_id, "error": problem.code})
        return jsonify(result)
    try:
        outcome = _store(item, voice)
    except CommunityError as problem:
        db.session.rollback()
        voice_notes.remove_voice_note(voice_folder(), voice)
        result["rejected"].append({"id": item_id, "error": str(problem)})
        return jsonify(result)
    if outcome != "accepted":
        voice_notes.remove_voice_note(voice_folder(), voice)
    db.session.commit()
    result["accepted" if outcome == "accepted" else "duplicates"].append(item_id)
    return jsonify(result)
