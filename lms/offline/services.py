"""Record the progress a downloaded path file sends back, within what its token allows."""
import uuid
from dataclasses import dataclass, field

from lms.catalogue.models import Lesson
from lms.extensions import db
from lms.progress import events, queries as progress
from lms.progress.models import QuizAttempt

FILE_EVENT_TYPES = ("lesson_completed", "quiz_answered")  # all the file ever makes
NOT_IN_PATH = "not a lesson of this file's path"
NOT_FROM_FILE = "not something this file records"
NOT_AN_EVENT = "not an event"


@dataclass
class Receipt:
    """What one sending recorded, for the page she sees."""

    completed: list = field(default_factory=list)  # titles of lessons marked as done
    graded: list = field(default_factory=list)  # (lesson title, score %, passed)
    already: int = 0  # events recorded by an earlier sending
    refused: list = field(default_factory=list)  # (lesson title or id, reason)
    lessons_done: int = 0
    lessons_total: int = 0


def receive_progress(grant, raw_events, language):
    """Record the events a file sent for the learner and lessons of its grant; the caller commits.

    Events keep the ids the file made, so sending the same file twice records each once.
    """
    lessons = {lesson.slug: lesson for lesson in db.session.execute(
        db.select(Lesson).where(Lesson.id.in_(grant.lesson_ids))).scalars()} if grant.lesson_ids else {}
    receipt, allowed = Receipt(), []
    for raw in raw_events:
        lesson_slug = raw.get("lesson") if isinstance(raw, dict) else None
        if not isinstance(raw, dict):
            receipt.refused.append(("?", NOT_AN_EVENT))
        elif not isinstance(lesson_slug, str) or lesson_slug not in lessons:
            receipt.refused.append((str(lesson_slug)[:120], NOT_IN_PATH))
        elif raw.get("type") not in FILE_EVENT_TYPES:
            receipt.refused.append((_title(lessons[lesson_slug], language), NOT_FROM_FILE))
        else:
            allowed.append(raw)
    result = events.record_events(grant.user, allowed) if allowed else events.BatchResult()
    by_id = {}
    for raw in allowed:
        by_id[str(raw.get("id"))] = by_id[_uuid_text(raw.get("id"))] = raw
    accepted = set(result.accepted)
    scores = {event_id: (score, passed) for event_id, score, passed in db.session.execute(
        db.select(QuizAttempt.event_id, QuizAttempt.score, QuizAttempt.passed)
        .where(QuizAttempt.event_id.in_(accepted)))} if accepted else {}
    for raw in allowed:
        event_id = _uuid_text(raw.get("id"))
        if event_id not in accepted:
            continue
        accepted.discard(event_id)  # an id twice in one sending counts once
        lesson = lessons[raw["lesson"]]
        if raw["type"] == "lesson_completed":
            receipt.completed.append(_title(lesson, language))
        elif event_id in scores:
            receipt.graded.append((_title(lesson, language), *scores[event_id]))
    receipt.already = len(result.duplicates)
    for rejected in result.rejected:
        raw = by_id.get(str(rejected.get("id")), {})
        lesson = lessons.get(raw.get("lesson"))
        receipt.refused.append((_title(lesson, language) if lesson else "?", rejected["error"]))
    active = [lesson.id for lesson in lessons.values() if lesson.retired_at is None]
    states = progress.progress_by_lesson(grant.user.id, active)
    receipt.lessons_total = len(active)
    receipt.lessons_done = sum(1 for p in states.values() if progress.lesson_state(p) == "done")
    return receipt


def _title(lesson, language):
    text, _fallback = lesson.text(language)
    return text.title if text else lesson.slug


def _uuid_text(value):
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
