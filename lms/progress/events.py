"""Record learners' events exactly once and derive their progress from them.

Every way in — the offline queue's JSON batches, the plain HTML forms — ends in
`record_events`. Applying an event twice has no effect, and progress is
recomputed from the whole set of a learner's events for a lesson, so late or
out-of-order events give the same state as events in order.
"""
import hashlib
import hmac
import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import current_app

from lms.catalogue.models import Lesson
from lms.core.clock import trusted_now
from lms.core.database import insert_ignoring_duplicates
from lms.extensions import db
from lms.progress import certificates, grading
from lms.progress.models import EVENT_TYPES, LessonProgress, PathProgress, ProgressEvent, QuizAttempt
from lms.progress.signals import progress_changed

MAX_TIME_SPENT = 4 * 3600  # one report of activity never counts for more than this
CLOCK_SKEW = timedelta(minutes=5)
OLDEST = datetime(2020, 1, 1)
MAX_ID_LENGTH = 64  # a UUID in any of its spellings ("{…}", "urn:uuid:…") is shorter


@dataclass
class BatchResult:
    accepted: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    rejected: list = field(default_factory=list)

    def as_dict(self):
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def new_event_id():
    return str(uuid.uuid4())


def form_event_id(user_id, lesson_id, purpose):
    """Return the id a web form carries for one learner, lesson and purpose.

    Stable, so the same page twice is the same page (a 304) and the same form sent
    twice counts once; keyed with the site's secret, because an id belongs to whoever
    sends it first: an id another learner could compute, she could claim first and so
    block this learner's form for good.
    """
    return _keyed_uuid(f"lms-form:{user_id}:{lesson_id}:{purpose}")


def time_event_id(user_id, event_id):
    """Return the id of the time spent reported along with a form's event, as unguessable as it."""
    return _keyed_uuid(f"lms-time:{user_id}:{event_id}")


def _keyed_uuid(message):
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def parse_time(value, now):
    """Return a naive UTC datetime; a phone clock ahead of ours is brought back to now."""
    if not isinstance(value, str):
        raise ValueError("'at' must be an ISO 8601 date and time")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("'at' must be an ISO 8601 date and time") from None
    if moment.tzinfo is not None:
        try:  # year 1 or 9999 may fall off the calendar in UTC
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise ValueError("'at' is out of range") from None
    if moment < OLDEST:
        raise ValueError("'at' is too far in the past")
    return min(moment, now) if moment > now + CLOCK_SKEW else moment


def _validate(raw, lessons, now):
    """Return (event id, clean event dict) or raise ValueError with a message for the client."""
    if not isinstance(raw, dict):
        raise ValueError("an event must be an object")
    event_id = raw.get("id")
    try:
        if not isinstance(event_id, str) or len(event_id) > MAX_ID_LENGTH:
            raise ValueError
        event_id = str(uuid.UUID(event_id))
    except ValueError:
        raise ValueError("'id' must be a UUID") from None
    if not isinstance(raw.get("type"), str) or raw["type"] not in EVENT_TYPES:
        raise ValueError(f"'type' must be one of {', '.join(EVENT_TYPES)}")
    if not isinstance(raw.get("lesson"), str):
        raise ValueError("'lesson' must be a lesson id")
    lesson = lessons.get(raw["lesson"])
    if lesson is None:
        raise ValueError("unknown lesson")
    data = raw.get("data") or {}
    if not isinstance(data, dict):
        raise ValueError("'data' must be an object")
    event = {"id": event_id, "type": raw["type"], "lesson": lesson, "at": parse_time(raw.get("at"), now), "data": {}}
    if raw["type"] == "quiz_answered":
        language = data.get("language") or "fr"
        if not isinstance(language, str) or len(language) > 16:
            raise ValueError("data.language must be a language code such as fr or en")
        text, _ = lesson.text(language)
        if not text or not text.quiz:
            raise ValueError("this lesson has no knowledge check")
        error = grading.check_answers(text.quiz, data.get("answers"))
        if error:
            raise ValueError(error)
        event["data"] = {"answers": data["answers"], "language": text.language}
    elif raw["type"] == "time_spent":
        seconds = data.get("seconds")
        if (not isinstance(seconds, int | float) or isinstance(seconds, bool) or not math.isfinite(seconds)
                or seconds < 0):
            raise ValueError("data.seconds must be a positive number")
        event["data"] = {"seconds": int(min(seconds, MAX_TIME_SPENT))}
    return event_id, event


def _may_be_slug(value):
    """A string worth looking up: PostgreSQL refuses a NUL in any text parameter, and it is no lesson id."""
    return isinstance(value, str) and len(value) <= 200 and "\x00" not in value


def record_events(user, raw_events):
    """Validate and store a batch of events for this learner; the caller commits.

    Valid events are kept even when others in the batch are bad.
    """
    now = trusted_now()  # a server clock back in 1970 must not date her steps (or clamp them) there
    result = BatchResult()
    slugs = {e.get("lesson") for e in raw_events if isinstance(e, dict) and _may_be_slug(e.get("lesson"))}
    lessons = {l.slug: l for l in db.session.execute(
        db.select(Lesson).where(Lesson.slug.in_(slugs), Lesson.retired_at.is_(None))).scalars()} if slugs else {}
    valid, seen, repeated = [], set(), []
    for raw in raw_events:
        try:
            event_id, event = _validate(raw, lessons, now)
        except ValueError as error:
            result.rejected.append({"id": _echoed_id(raw), "error": str(error)})
            continue
        if event_id in seen:
            repeated.append(event_id)
            continue
        seen.add(event_id)
        valid.append(event)
    if not valid:
        return result
    _store(user, valid, now, result)
    # An id repeated in the batch shares the fate of its first copy: hers, or someone else's.
    kept = set(result.accepted) | set(result.duplicates)
    for event_id in repeated:
        if event_id in kept:
            result.duplicates.append(event_id)
        else:
            result.rejected.append({"id": event_id, "error": "this id is already used"})
    return result


def _echoed_id(raw):
    """Return the id to name a rejected event by: only a short string, never NaN or a megabyte."""
    event_id = raw.get("id") if isinstance(raw, dict) else None
    return event_id if isinstance(event_id, str) and len(event_id) <= MAX_ID_LENGTH else None


def _store(user, events, now, result):
    # End the read transaction first: on SQLite the write that follows must
    # start a fresh snapshot, or a concurrent batch would make it fail.
    db.session.commit()
    rows = [{"id": e["id"], "user_id": user.id, "lesson_id": e["lesson"].id, "type": e["type"],
             "occurred_at": e["at"], "received_at": now, "data": e["data"]} for e in events]
    inserted = insert_ignoring_duplicates(ProgressEvent.__table__, rows)
    owners = dict(db.session.execute(
        db.select(ProgressEvent.id, ProgressEvent.user_id).where(ProgressEvent.id.in_([e["id"] for e in events]))).all())
    touched, may_complete = set(), False
    for event in events:
        if event["id"] in inserted:
            result.accepted.append(event["id"])
            touched.add(event["lesson"].id)
            may_complete = may_complete or event["type"] in ("lesson_completed", "quiz_answered")
            if event["type"] == "quiz_answered":
                _grade(user, event)
        elif owners.get(event["id"]) == user.id:
            result.duplicates.append(event["id"])
        else:
            result.rejected.append({"id": event["id"], "error": "this id is already used"})
    if touched:
        lessons = {e["lesson"].id: e["lesson"] for e in events}
        recompute(user.id, [lessons[i] for i in sorted(touched)])
        if may_complete:  # opening a lesson or time spent never completes a path
            certificates.issue_completed(user, {lessons[i].path_id for i in touched})
        progress_changed.send(None, user_id=user.id, lesson_ids=sorted(touched))


def _grade(user, event):
    lesson = event["lesson"]
    text, _ = lesson.text(event["data"]["language"])
    score, passed, results = grading.grade(text.quiz, event["data"]["answers"], lesson.path.pass_mark)
    db.session.add(QuizAttempt(event_id=event["id"], user_id=user.id, lesson_id=lesson.id, occurred_at=event["at"],
                               language=text.language, score=score, passed=passed,
                               answers=event["data"]["answers"], results=results))


def recompute(user_id, lessons):
    """Derive one learner's progress in these lessons from all her events for them."""
    ids = [lesson.id for lesson in lessons]
    rows = _locked_progress(user_id, ids)
    events, attempts = {}, {}
    for lesson_id, kind, at, data in db.session.execute(
            db.select(ProgressEvent.lesson_id, ProgressEvent.type, ProgressEvent.occurred_at, ProgressEvent.data)
            .where(ProgressEvent.user_id == user_id, ProgressEvent.lesson_id.in_(ids))):
        events.setdefault(lesson_id, []).append((kind, at, data))
    for lesson_id, at, score, passed in db.session.execute(
            db.select(QuizAttempt.lesson_id, QuizAttempt.occurred_at, QuizAttempt.score, QuizAttempt.passed)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.lesson_id.in_(ids))):
        attempts.setdefault(lesson_id, []).append((at, score, passed))
    for lesson in lessons:
        _derive(rows[lesson.id], lesson, events.get(lesson.id, []), attempts.get(lesson.id, []))
    db.session.flush()
    summarise_paths([user_id])
    return rows


BATCH_LEARNERS = 500  # learners derived together by recompute_many: bounded memory, few statements


def recompute_many(touched):
    """Derive the progress of many learners at once: {user id: lesson ids} (the hub after a bundle).

    The same rule as recompute, in a fixed number of statements per BATCH_LEARNERS learners, each
    compiled once and run for many rows (executemany): the missing rows inserted with ON CONFLICT DO
    NOTHING, events and attempts read for the whole batch, the derived values written back by id.
    """
    lesson_ids = sorted({i for ids in touched.values() for i in ids})
    lessons = {lesson.id: lesson for lesson in db.session.execute(
        db.select(Lesson).where(Lesson.id.in_(lesson_ids))).scalars()} if lesson_ids else {}
    checked = {lesson_id: has_check(lesson) for lesson_id, lesson in lessons.items()}
    table = LessonProgress.__table__
    create = _insert_ignoring(table, ("user_id", "lesson_id"))
    update = table.update().where(table.c.id == db.bindparam("row_id")).values(
        {name: db.bindparam(name) for name in _DERIVED})
    users = sorted(touched)
    for start in range(0, len(users), BATCH_LEARNERS):
        batch = users[start:start + BATCH_LEARNERS]
        pairs = {(user_id, lesson_id) for user_id in batch for lesson_id in touched[user_id]}
        db.session.execute(create, [{"user_id": u, "lesson_id": l, "time_spent_seconds": 0, "attempts": 0,
                                     "failed_attempts": 0} for u, l in sorted(pairs)])
        row_ids = dict(((u, l), i) for i, u, l in db.session.execute(
            db.select(table.c.id, table.c.user_id, table.c.lesson_id).where(table.c.user_id.in_(batch))
            .order_by(table.c.id).with_for_update()) if (u, l) in pairs)
        events, attempts = {}, {}
        for user_id, lesson_id, kind, at, data in db.session.execute(
                db.select(ProgressEvent.user_id, ProgressEvent.lesson_id, ProgressEvent.type,
                          ProgressEvent.occurred_at, ProgressEvent.data).where(ProgressEvent.user_id.in_(batch))):
            if (user_id, lesson_id) in pairs:
                events.setdefault((user_id, lesson_id), []).append((kind, at, data))
        for user_id, lesson_id, at, score, passed in db.session.execute(
                db.select(QuizAttempt.user_id, QuizAttempt.lesson_id, QuizAttempt.occurred_at, QuizAttempt.score,
                          QuizAttempt.passed).where(QuizAttempt.user_id.in_(batch))):
            if (user_id, lesson_id) in pairs:
                attempts.setdefault((user_id, lesson_id), []).append((at, score, passed))
        rows = []
        for pair in sorted(pairs):
            derived = _Derived()
            _derive(derived, lessons[pair[1]], events.get(pair, []), attempts.get(pair, []), checked[pair[1]])
            rows.append({"row_id": row_ids[pair], **{name: getattr(derived, name) for name in _DERIVED}})
        db.session.execute(update, rows)
        summarise_paths(batch)


def summarise_paths(user_ids):
    """Sum these learners' lesson progress per path again (PathProgress), in two statements."""
    lesson_progress, lessons = LessonProgress.__table__, Lesson.__table__
    db.session.execute(PathProgress.__table__.delete().where(PathProgress.user_id.in_(user_ids)))
    db.session.execute(PathProgress.__table__.insert().from_select(
        ["user_id", "path_id", "lessons_started", "lessons_completed", "last_activity_at"],
        db.select(lesson_progress.c.user_id, lessons.c.path_id, db.func.count(),
                  db.func.count(lesson_progress.c.completed_at), db.func.max(lesson_progress.c.last_activity_at))
        .join(lessons, lessons.c.id == lesson_progress.c.lesson_id)
        .where(lesson_progress.c.user_id.in_(user_ids), lessons.c.retired_at.is_(None))
        .group_by(lesson_progress.c.user_id, lessons.c.path_id)))


_DERIVED = ("first_opened_at", "last_opened_at", "last_activity_at", "time_spent_seconds", "attempts",
            "failed_attempts", "best_score", "passed_at", "completed_at")


class _Derived:
    """The derived values of one LessonProgress, before they are written back in bulk."""


def _insert_ignoring(table, key):
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=list(key))


def _derive(progress, lesson, events, attempts, checked=None):
    opened = [at for kind, at, _ in events if kind == "lesson_opened"]
    progress.first_opened_at = min(opened, default=None) or min((at for _, at, _ in events), default=None)
    progress.last_opened_at = max(opened, default=None)
    progress.last_activity_at = max((at for _, at, _ in events), default=None)
    progress.time_spent_seconds = sum(int(data.get("seconds", 0)) for kind, _, data in events if kind == "time_spent")
    progress.attempts = len(attempts)
    progress.failed_attempts = sum(1 for _, _, passed in attempts if not passed)
    progress.best_score = max((score for _, score, _ in attempts), default=None)
    progress.passed_at = min((at for at, _, passed in attempts if passed), default=None)
    if has_check(lesson) if checked is None else checked:
        progress.completed_at = progress.passed_at
    else:
        progress.completed_at = min((at for kind, at, _ in events if kind == "lesson_completed"), default=None)


def has_check(lesson):
    return any(t.quiz for t in lesson.texts)


def _locked_progress(user_id, lesson_ids):
    """Return {lesson id: LessonProgress}, creating missing rows and locking them (PostgreSQL)
    so that two batches for the same learner are applied one after the other."""
    insert_ignoring_duplicates(LessonProgress.__table__, [
        {"user_id": user_id, "lesson_id": lesson_id, "time_spent_seconds": 0, "attempts": 0, "failed_attempts": 0}
        for lesson_id in lesson_ids], key=("user_id", "lesson_id"))
    return {p.lesson_id: p for p in db.session.execute(
        db.select(LessonProgress).where(LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids))
        .order_by(LessonProgress.lesson_id).with_for_update()).scalars()}


def newest_received_at():
    """Return the server time of the newest event received, or None: the floor of a trusted clock."""
    return db.session.execute(db.select(db.func.max(ProgressEvent.received_at))).scalar()


def record_one(user, lesson, kind, event_id=None, data=None, at=None):
    """Record one event made by a web form; the form carries its id, so a resubmission counts once."""
    raw = {"id": event_id or new_event_id(), "type": kind, "lesson": lesson.slug,
           "at": (at or trusted_now()).isoformat() + "Z", "data": data or {}}
    return record_events(user, [raw])
