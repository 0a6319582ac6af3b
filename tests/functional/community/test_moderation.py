"""Moderation: a hidden post keeps its reason for its author, is a hidden line for others; reports reach moderators."""
from lms.community import circles, conversations
from lms.community.models import PostReport
from lms.extensions import db
from tests.functional.community.conftest import thread_of
from tests.functional.community.test_matrix import as_user


def test_a_hidden_post_shows_its_reason_to_its_author_and_nothing_to_others(app, two_cohorts, learner):
    thread = thread_of(learner)
    post, _ = conversations.add_post(learner, thread, "Achetez mes pagnes pas chers !!!")
    db.session.commit()
    mentor = as_user(app, "awa")
    assert mentor.submit(f"/community/posts/{post.public_id}/hide", {"reason": ""}).status_code == 302
    db.session.refresh(post)
    assert post.hidden_at is None  # a reason is required
    mentor.submit(f"/community/posts/{post.public_id}/hide", {"reason": "Publicité"})
    mine = as_user(app, "mariam").get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "Achetez mes pagnes" in mine and "Hidden: Publicité" in mine
    member = circles.current_membership(learner.id)
    mate = next(m.user for m in db.session.execute(db.select(type(member)).filter_by(
        circle_id=member.circle_id, left_at=None)).scalars() if m.user_id != learner.id)
    theirs = as_user(app, mate.username).get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "Achetez mes pagnes" not in theirs and "A post was hidden by a moderator." in theirs
    reply = as_user(app, mate.username).submit(f"/community/threads/{thread.public_id}",
                                                    {"body": "ok", "reply_to": post.public_id})
    assert reply.status_code == 400


def test_a_member_reports_a_post_once_and_the_moderators_see_the_count(app, two_cohorts, learner):
    thread = thread_of(learner)
    post, _ = conversations.add_post(learner, thread, "Un message")
    db.session.commit()
    member = circles.current_membership(learner.id)
    mate = next(m.user for m in db.session.execute(db.select(type(member)).filter_by(
        circle_id=member.circle_id, left_at=None)).scalars() if m.user_id != learner.id)
    client = as_user(app, mate.username)
    for _ in range(2):
        client.submit(f"/community/posts/{post.public_id}/report", {"reason": "insultant"})
    assert db.session.execute(db.select(db.func.count(PostReport.id))).scalar() == 1
    assert "1 report" in as_user(app, "fatou").get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "1 report" not in client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
