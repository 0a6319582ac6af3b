"""What mentoring adds to a lesson page: the form to hand in work, and the feedback received."""
from flask_login import current_user

from lms.core.hooks import page_context
from lms.mentoring import forms, policy, queries


@page_context.connect_via("catalogue.show_lesson")
def lesson_work(_sender, lesson, text, **_extra):
    # The practical work may be written in one language only: it still applies.
    assignment = text.assignment or next((t.assignment for t in lesson.texts if t.assignment), None)
    if not current_user.is_authenticated or not assignment:
        return None
    submissions = queries.submissions_of(current_user.id, lesson.id)
    latest = submissions[0] if submissions else None
    # Changes requested: she starts again from her last round, not from an empty form.
    again = {"text": latest.text, "link": latest.link} if latest and latest.status == "changes_requested" else None
    return {"work_form": forms.SubmissionForm(data=again), "submissions": submissions, "assignment": assignment,
            "reviewer": policy.reviewer_for(current_user.id, lesson), "panels": ["mentoring/_lesson_work.html"]}
