"""Circles, circle and cohort threads, posts and replies, lesson questions: what members see and write."""
import re
import uuid

from lms.community import queries
from lms.community.models import Post, Thread
from lms.extensions import db
from tests.functional.community.conftest import thread_of


def posts_in(thread):
    return db.session.execute(db.select(Post).where(Post.thread_id == thread.id)).scalars().all()


def test_a_learner_sees_her_circle_on_her_home_page(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    html = client.get("/").get_data(as_text=True)
    assert "My circle" in html
    assert "Aicha" in html  # first names of her circle, never another cohort's
    assert "Binta" not in html


def test_she_writes_in_her_circle_and_the_same_form_sent_twice_is_stored_once(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    thread = thread_of(learner)
    page = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    post_id = re.search(r'name="post_id" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(2):
        response = client.submit(f"/community/threads/{thread.public_id}", {"post_id": post_id, "body": "Bonjour **le cercle**"})
        assert response.status_code == 302
    posts = posts_in(thread)
    assert len(posts) == 1 and posts[0].public_id == post_id
    assert "<strong>le cercle</strong>" in client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)


def test_markdown_is_sanitised(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    thread = thread_of(learner)
    client.submit(f"/community/threads/{thread.public_id}", {"body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    html = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "javascript:" not in html


def test_bad_posts_get_a_clear_error_and_change_nothing(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    thread = thread_of(learner)
    empty = client.submit(f"/community/threads/{thread.public_id}", {"body": "   "})
    assert empty.status_code == 400 and "Write something first." in empty.get_data(as_text=True)
    long = client.submit(f"/community/threads/{thread.public_id}", {"body": "x" * 2001})
    assert long.status_code == 400
    assert posts_in(thread) == []


def test_she_cannot_read_or_write_in_another_circle_or_cohort(client, sign_in, two_cohorts, learner):
    other_thread = thread_of(two_cohorts["others"][0])
    sign_in("mariam")
    assert client.get(f"/community/threads/{other_thread.public_id}").status_code == 404
    assert client.submit(f"/community/threads/{other_thread.public_id}", {"body": "coucou"}).status_code == 404
    assert posts_in(other_thread) == []
    cohort_thread = queries.cohort_thread(two_cohorts["other"].id)
    assert client.get(f"/community/threads/{cohort_thread.public_id}").status_code == 404


def test_the_trainer_and_mentor_of_the_cohort_read_every_circle_not_others(app, two_cohorts, learner):
    from tests.functional.community.test_matrix import as_user

    thread = thread_of(learner)
    assert as_user(app, "fatou").get(f"/community/threads/{thread.public_id}").status_code == 200
    assert as_user(app, "awa").get(f"/community/threads/{thread.public_id}").status_code == 200
    assert as_user(app, "ramata").get(f"/community/threads/{thread.public_id}").status_code == 404
    assert as_user(app, "coumba.m").get(f"/community/threads/{thread.public_id}").status_code == 404


def test_a_reply_to_a_hidden_post_is_refused(client, sign_in, two_cohorts, learner, mentor):
    from lms.community import conversations

    thread = thread_of(learner)
    post, _ = conversations.add_post(learner, thread, "Premier message")
    conversations.hide_post(mentor, post, "hors sujet")
    db.session.commit()
    sign_in("mariam")
    response = client.submit(f"/community/threads/{thread.public_id}", {"body": "réponse", "reply_to": post.public_id})
    assert response.status_code == 400
    assert "hidden" in response.get_data(as_text=True)
    assert len(posts_in(thread)) == 1


def test_questions_on_a_lesson_are_seen_by_her_cohort_and_answered_first(app, client, sign_in, two_cohorts, learner,
                                                                        course):
    from tests.functional.community.test_matrix import as_user

    sign_in("mariam")
    response = client.submit("/community/lessons/market-stall/questions", {"body": "Comment fixer le prix ?"})
    assert response.status_code == 302
    thread = db.session.execute(db.select(Thread).filter_by(kind="question")).scalar_one()
    assert thread.cohort_id == two_cohorts["cohort"].id
    aicha = as_user(app, "aicha")
    assert "Comment fixer le prix" in aicha.get("/lessons/market-stall").get_data(as_text=True)
    assert "Comment fixer le prix" not in as_user(app, "binta").get("/lessons/market-stall").get_data(as_text=True)
    aicha.submit(f"/community/threads/{thread.public_id}", {"body": "Regarde les voisins."})
    answer = [p for p in posts_in(thread) if p.author.username == "aicha"][0]
    # Another question, unanswered, asked later.
    as_user(app, "dior").submit("/community/lessons/market-stall/questions", {"body": "Et la TVA ?"})
    assert client.submit(f"/community/posts/{answer.public_id}/helpful", {}).status_code == 302
    db.session.refresh(answer)
    assert answer.helpful_at is not None
    page = as_user(app, "khady").get("/lessons/market-stall").get_data(as_text=True)
    assert page.index("Comment fixer le prix") < page.index("Et la TVA")
    # Only the one who asked marks an answer helpful.
    assert as_user(app, "dior").submit(f"/community/posts/{answer.public_id}/helpful", {}).status_code == 403


def test_a_deactivated_member_s_posts_remain_as_former_member(client, sign_in, two_cohorts, learner):
    from lms.community import conversations

    aicha = two_cohorts["more"][0]
    thread = thread_of(learner)
    if thread_of(aicha).id != thread.id:
        from lms.community import circles
        circles.move_member(two_cohorts["cohort"].trainer, two_cohorts["cohort"], aicha.id, thread.circle)
    conversations.add_post(aicha, thread, "Je pars bientôt")
    aicha.active = False
    db.session.commit()
    sign_in("mariam")
    html = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "Je pars bientôt" in html and "former member" in html and "Aicha Diop" not in html


def test_a_post_id_taken_by_someone_else_is_refused(client, sign_in, two_cohorts, learner):
    from lms.community import conversations

    thread = thread_of(learner)
    taken = str(uuid.uuid4())
    conversations.add_post(learner, thread, "à moi", taken)
    db.session.commit()
    other = thread_of(two_cohorts["others"][0])
    sign_in("binta")
    response = client.submit(f"/community/threads/{other.public_id}", {"body": "vol", "post_id": taken})
    assert response.status_code == 400
    assert posts_in(other) == []
