"""What progress adds to the catalogue's pages: states, the learner's forms, her last check."""
from flask import request
from flask_login import current_user

from lms.core.hooks import page_context
from lms.extensions import db
from lms.progress import certificates, events, queries


@page_context.connect_via("catalogue.list_paths")
def paths_progress(_sender, paths, **_extra):
    if not current_user.is_authenticated:
        return None
    return {"progress": queries.path_percentages(current_user.id, paths)}


@page_context.connect_via("catalogue.show_path")
def path_progress(_sender, path, **_extra):
    if not current_user.is_authenticated:
        return None
    lessons = [l.id for l in path.lessons if l.retired_at is None]
    states = {lesson_id: queries.lesson_state(p) for lesson_id, p in
              queries.progress_by_lesson(current_user.id, lessons).items()}
    certificate = next((c for c in queries.certificates_of(current_user.id) if c.path_id == path.id), None)
    done = sum(1 for state in states.values() if state == "done")
    # Every lesson done and still no certificate: say what is missing, so 100 % is never a dead end.
    missing = certificates.missing_for(current_user, path) if lessons and done == len(lessons) and not certificate \
        else []
    return {"lesson_status": states, "certificate": certificate, "lessons_total": len(lessons),
            "lessons_done": done, "missing": missing, "panels": ["progress/_path_panel.html"]}


def _prefetch():
    """Return True when the browser fetches the page ahead of her (saving it for offline, a preload)."""
    return "prefetch" in (request.headers.get("Purpose", "") + request.headers.get("Sec-Purpose", "")).lower()


@page_context.connect_via("catalogue.show_lesson")
def lesson_progress(_sender, lesson, text, quiz_answers=None, quiz_missing=(), reading=None, **_extra):
    """Add her progress and her check; quiz_answers and quiz_missing: her answers came back with questions left out.

    reading: where she is in the lesson. Opening it counts where it starts (its first step, or the
    whole lesson), so the time she spends is counted from there; reaching the last of its steps
    completes a lesson without a check, with the id of its "I have finished" form: once, either way.
    """
    if not current_user.is_authenticated:
        return {"panels": ["progress/_sign_in_to_track.html"]}
    # Saving a path for offline is not reading it, nor is a form on the page shown again.
    if request.method == "GET" and not _prefetch():
        if reading is None or reading.starts:
            events.record_one(current_user, lesson, "lesson_opened")
        if reading is not None and reading.reached_last_step and not events.has_check(lesson):
            events.record_one(current_user, lesson, "lesson_completed",
                              event_id=events.form_event_id(current_user.id, lesson.id, "done"))
        db.session.commit()
    progress = queries.progress_by_lesson(current_user.id, [lesson.id]).get(lesson.id)
    attempt = queries.latest_attempt(current_user.id, lesson.id) if text.quiz else None
    return {
        "lesson_progress": progress,
        "quiz_action": f"/lessons/{lesson.slug}/check",
        # Her answers sent back with errors replace the last try on the form: she is answering anew.
        "quiz_result": attempt if quiz_answers is None else None,
        "quiz_right": sum(1 for r in attempt.results.values() if r.get("correct")) if attempt else 0,
        "quiz_answers": quiz_answers,
        "quiz_missing": list(quiz_missing),
        # Stable ids: the same page twice is the same form (a 304 for the phone), and sending it
        # twice counts once; a new try at the check gets a new id once the last one is recorded.
        "done_event_id": events.form_event_id(current_user.id, lesson.id, "done"),
        "quiz_event_id": events.form_event_id(current_user.id, lesson.id, f"quiz-{progress.attempts if progress else 0}"),
        "panels": ["progress/_lesson_panel.html"],
    }
