"""What the community adds to other pages: questions under each lesson, the header's unread count, the home card."""
from flask import request
from flask_login import current_user

from lms.core.hooks import page_context


@page_context.connect_via("catalogue.show_lesson")
def lesson_questions(_sender, lesson, **_extra):
    from lms.community import conversations, forms, queries

    if not current_user.is_authenticated:
        return None
    questions = queries.lesson_questions(lesson, current_user)
    can_ask = conversations.cohort_for_question(current_user, lesson) is not None
    if not questions and not can_ask:
        return None
    return {"lesson_questions": questions, "question_form": forms.QuestionForm() if can_ask else None,
            "panels": ["community/_lesson_questions.html"]}


class UnreadCount:
    """The header's number, counted only if the page shows it."""

    def __init__(self, user):
        self.user, self.value = user, None

    def __int__(self):
        if self.value is None:
            from lms.community.whatsnew import count_unread

            self.value = count_unread(self.user)
        return self.value

    def __bool__(self):
        return int(self) > 0

    def __str__(self):
        return str(int(self))


def community_context():
    """whats_new_count for the header; community_home() for the learner's home page."""
    if not current_user.is_authenticated or request.endpoint in ("static", "web.service_worker"):
        return {}
    return {"whats_new_count": UnreadCount(current_user), "community_home": _home_card}


def _home_card():
    from lms.community import queries

    return queries.circle_card(current_user)


def init_app(app):
    app.context_processor(community_context)
