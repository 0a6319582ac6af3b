"""A learner reads, answers checks and finishes lessons with plain forms (no JavaScript)."""
import re

from lms.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent, QuizAttempt


def form_fields(page, form_class):
    form = re.search(rf'<form[^>]*class="{form_class}"[^>]*>(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'name="(event_id|csrf_token|language)" value="([^"]*)"', form))


def progress_of(user, lesson):
    db.session.rollback()
    return db.session.execute(db.select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id)).scalar_one_or_none()


def test_opening_a_lesson_is_recorded(client, learner, sign_in, course):
    sign_in("mariam")
    client.get("/lessons/market-closing")
    assert progress_of(learner, course["market-closing"]).first_opened_at is not None


def test_visitors_are_invited_to_sign_in_and_nothing_is_recorded(client, course):
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "to keep track of your progress" in page
    assert db.session.execute(db.select(ProgressEvent)).first() is None


def test_marking_a_lesson_done_twice_counts_once(client, learner, sign_in, course):
    sign_in("mariam")
    fields = form_fields(client.get("/lessons/market-closing").get_data(as_text=True), "done-form")
    first = client.post("/lessons/market-closing/done", data=fields, follow_redirects=True)
    assert "Lesson completed. Well done!" in first.get_data(as_text=True)
    client.post("/lessons/market-closing/done", data=fields)  # the same form sent again (a double tap)
    db.session.rollback()
    completions = db.session.execute(db.select(ProgressEvent).filter_by(type="lesson_completed")).scalars().all()
    assert len(completions) == 1
    assert progress_of(learner, course["market-closing"]).completed_at is not None
    assert "You completed this lesson." in client.get("/lessons/market-closing").get_data(as_text=True)


def test_a_wrong_answer_shows_explanations_and_a_retry_then_passing_completes(client, learner, sign_in, course):
    sign_in("mariam")
    page = client.get("/lessons/market-stall?lang=fr").get_data(as_text=True)
    fields = form_fields(page, "quiz-form")
    response = client.post("/lessons/market-stall/check", data={**fields, "q1": "a2"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "0% right; 70% is needed" in page
    assert "Non, ils font fuir." in page  # the explanation of her (wrong) answer
    assert "Try again" in page
    assert progress_of(learner, course["market-stall"]).completed_at is None

    fields = form_fields(page, "quiz-form")
    page = client.post("/lessons/market-stall/check", data={**fields, "q1": "a1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Well done: 100% right" in page
    progress = progress_of(learner, course["market-stall"])
    assert progress.completed_at is not None and progress.attempts == 2 and progress.failed_attempts == 1
    assert progress.best_score == 100
    attempts = db.session.execute(db.select(QuizAttempt).order_by(QuizAttempt.id)).scalars().all()
    assert [a.answers for a in attempts] == [{"q1": ["a2"]}, {"q1": ["a1"]}]


def test_multiple_choice_needs_every_right_answer(client, learner, sign_in, course):
    sign_in("mariam")
    fields = form_fields(client.get("/lessons/market-prices").get_data(as_text=True), "quiz-form")
    page = client.post("/lessons/market-prices/check", data={**fields, "q1": ["a1"]},
                       follow_redirects=True).get_data(as_text=True)
    assert "0% right" in page


def test_unanswered_questions_are_pointed_out(client, learner, sign_in, course):
    sign_in("mariam")
    fields = form_fields(client.get("/lessons/market-stall").get_data(as_text=True), "quiz-form")
    page = client.post("/lessons/market-stall/check", data=fields, follow_redirects=True).get_data(as_text=True)
    assert "Answer every question before checking." in page
    assert db.session.execute(db.select(QuizAttempt)).first() is None


def test_time_since_she_opened_the_lesson_is_counted_once(client, learner, sign_in, course):
    from datetime import timedelta

    sign_in("mariam")
    fields = form_fields(client.get("/lessons/market-closing").get_data(as_text=True), "done-form")
    opened = db.session.execute(db.select(ProgressEvent).filter_by(type="lesson_opened")).scalar_one()
    opened.occurred_at -= timedelta(minutes=12)  # she read for twelve minutes
    db.session.commit()
    from lms.progress.events import recompute
    recompute(learner.id, [course["market-closing"]])
    db.session.commit()
    client.post("/lessons/market-closing/done", data=fields)
    client.post("/lessons/market-closing/done", data=fields)
    assert 12 * 60 <= progress_of(learner, course["market-closing"]).time_spent_seconds < 13 * 60


def test_the_same_lesson_page_twice_is_the_same_page(client, learner, sign_in, course):
    sign_in("mariam")
    first = client.get("/lessons/market-stall").get_data(as_text=True)
    second = client.get("/lessons/market-stall").get_data(as_text=True)
    assert form_fields(first, "quiz-form")["event_id"] == form_fields(second, "quiz-form")["event_id"]


def test_saving_a_path_for_offline_does_not_count_as_reading(client, learner, sign_in, course):
    sign_in("mariam")
    client.get("/lessons/market-closing", headers={"Purpose": "prefetch"})
    assert progress_of(learner, course["market-closing"]) is None


def test_my_learning_and_continue_where_you_left_off(client, learner, sign_in, course):
    sign_in("mariam")
    client.get("/lessons/market-stall")
    fields = form_fields(client.get("/lessons/market-closing").get_data(as_text=True), "done-form")
    client.post("/lessons/market-closing/done", data=fields)
    page = client.get("/my-learning").get_data(as_text=True)
    assert "Selling at the market" in page and "33% done" in page
    assert "Continue where you left off" in page and "Your stall" in page
    assert "completed" in page and "Fermer l" in page
    home = client.get("/").get_data(as_text=True)
    assert "Continue where you left off" in home and 'href="/lessons/market-stall"' in home
    assert "33% done" in client.get("/paths").get_data(as_text=True)
    path_page = client.get("/paths/market").get_data(as_text=True)
    assert "1 of 3 lessons completed" in path_page and 'class="tag tag-done"' in path_page


def test_french_learner_sees_her_progress_in_french(client, learner, sign_in, course):
    learner.locale = "fr"
    db.session.commit()
    sign_in("mariam")
    fields = form_fields(client.get("/lessons/market-stall").get_data(as_text=True), "quiz-form")
    page = client.post("/lessons/market-stall/check", data={**fields, "q1": "a2"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Réessayer" in page
    assert "Mes apprentissages" in client.get("/my-learning").get_data(as_text=True)


def test_nobody_reads_another_learners_progress_without_the_right_role(client, learner, mentor, trainer, admin,
                                                                      sign_in, course):
    from tests import factories

    factories.user("binta")
    sign_in("binta")
    assert client.get(f"/learners/{learner.id}/progress").status_code == 403
    client.submit("/sign-out")
    sign_in("awa")
    assert client.get(f"/learners/{learner.id}/progress").status_code == 403
    client.submit("/sign-out")
    sign_in("amina")
    page = client.get(f"/learners/{learner.id}/progress")
    assert page.status_code == 200 and "Progress: Mariam Camara" in page.get_data(as_text=True)
    client.submit("/sign-out")
    assert "/sign-in" in client.get(f"/learners/{learner.id}/progress").headers["Location"]
