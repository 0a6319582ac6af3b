"""What mentoring adds to a lesson page: the form to hand in work, and the feedback received."""
from flask_login import current_user

from lms.core.hooks import page_context
from lms.mentoring import forms, policy, queries


@page_context.connect_via("catalogue.show_lesson")
def lesson_work(_sender, lesson, text, work_form=None, **_extra):
    """Add her practical work; work_form: the form she sent, come back with errors, shown again as she typed it."""
    # The practical work may be written in one language only: it still applies (in that language).
    written_in = text if text.assignment else next((t for t in lesson.texts if t.assignment), None)
    if not current_user.is_authenticated or not written_in:
        return None
    submissions = queries.submissions_of(current_user.id, lesson.id)
    latest = submissions[0] if submissions else None
    if work_form is None:
        # Changes requested: she starts again from her last round, not from an empty form. formdata=None:
        # on a page shown again after another form's POST, this form does not take that form's fields.
        again = {"text": latest.text, "link": latest.link} if latest and latest.status == "changes_requested" else None
        work_form = forms.SubmissionForm(formdata=None, data=again)
    return {"work_form": work_form, "submissions": submissions, "assignment": written_in.assignment,
            "assignment_language": written_in.language, "reviewer": policy.reviewer_for(current_user.id, lesson),
            "panels": ["mentoring/_lesson_work.html"]}
