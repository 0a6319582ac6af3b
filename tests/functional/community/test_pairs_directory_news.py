"""Weekly pairs with WhatsApp links, the directory, What's new, blocking and leaving the pairs."""
import re
from datetime import date, timedelta

from lms.community import circles, conversations, directory
from lms.community.models import DirectoryProfile, PairMember
from lms.extensions import db
from tests.functional.community.conftest import thread_of


def test_she_sees_her_partner_talks_and_her_trainer_sees_they_met(app, client, sign_in, two_cohorts, learner, trainer):
    from tests.functional.community.test_matrix import as_user

    cohort = two_cohorts["cohort"]
    circles.make_week_pairs(trainer, cohort)
    db.session.commit()
    mine = db.session.execute(db.select(PairMember).filter_by(user_id=learner.id)).scalar_one()
    partner = [m for m in mine.pair.members if m.user_id != learner.id][0]
    partner.user.phone = "+221 77 123 45 67"
    circles.set_choices(partner.user, share_phone=True)
    db.session.commit()
    sign_in("mariam")
    page = client.get("/community/circle").get_data(as_text=True)
    first = partner.user.display_name.split()[0]
    assert f"This week: talk with {partner.user.display_name}" in page
    assert "https://wa.me/221771234567?text=Hello%20" + first in page
    assert 'rel="noopener noreferrer external"' in page
    client.submit(f"/community/pairs/{mine.public_id}/talked", {"learned": "Elle vend sur Facebook"})
    board = as_user(app, "fatou").get(f"/community/cohorts/{cohort.id}/circles").get_data(as_text=True)
    assert "Elle vend sur Facebook" in board and "met" in board


def test_no_whatsapp_link_when_the_partner_did_not_share(client, sign_in, two_cohorts, learner, trainer):
    circles.make_week_pairs(trainer, two_cohorts["cohort"])
    for member in db.session.execute(db.select(PairMember)).scalars():
        member.user.phone = "+221 77 000 00 00"
    db.session.commit()
    sign_in("mariam")
    assert "wa.me" not in client.get("/community/circle").get_data(as_text=True)


def test_a_learner_who_leaves_the_pairing_or_blocks_someone_is_not_paired_with_her(two_cohorts, learner, trainer):
    cohort = two_cohorts["cohort"]
    member = circles.current_membership(learner.id)
    circle_mates = [m.user for m in db.session.execute(db.select(type(member)).filter_by(
        circle_id=member.circle_id, left_at=None)).scalars() if m.user_id != learner.id]
    circles.block_member(learner, circle_mates[0])
    db.session.commit()
    monday = circles.week_of(date(2026, 1, 5))
    for week in range(8):
        for pair in circles.make_week_pairs(trainer, cohort, monday + timedelta(weeks=week)):
            ids = {m.user_id for m in pair.members}
            assert not {learner.id, circle_mates[0].id} <= ids
    circles.set_choices(learner, pairing=False)
    made = circles.make_week_pairs(trainer, cohort, monday + timedelta(weeks=9))
    assert all(learner.id not in {m.user_id for m in p.members} for p in made)


def test_she_no_longer_sees_the_posts_of_a_member_she_blocked(client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    member = circles.current_membership(learner.id)
    other = next(m.user for m in db.session.execute(db.select(type(member)).filter_by(
        circle_id=member.circle_id, left_at=None)).scalars() if m.user_id != learner.id)
    conversations.add_post(other, thread, "Message à cacher")
    db.session.commit()
    sign_in("mariam")
    assert "Message à cacher" in client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    client.submit(f"/community/members/{other.id}/block", {})
    assert "Message à cacher" not in client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)


def test_the_directory_is_opt_in_for_members_only_and_leaving_is_immediate(app, client, sign_in, two_cohorts, learner):
    from tests.functional.community.test_matrix import as_user

    assert client.get("/community/directory").status_code == 302  # never to visitors
    sign_in("mariam")
    assert "Mariam Couture" not in client.get("/community/directory").get_data(as_text=True)
    response = client.submit("/community/directory/me", {"business_name": "Mariam Couture", "trade": "Couture",
                                                         "town": "Dakar", "whatsapp": "+221 77 555 44 33"})
    assert response.status_code == 302
    binta = as_user(app, "binta")
    page = binta.get("/community/directory?trade=Couture").get_data(as_text=True)
    assert "Mariam Couture" in page and "https://wa.me/221775554433" in page
    assert "Mariam Couture" not in binta.get("/community/directory?town=Thiès").get_data(as_text=True)
    client.submit("/community/directory/leave", {})
    assert db.session.execute(db.select(DirectoryProfile)).first() is None
    assert "Mariam Couture" not in binta.get("/community/directory").get_data(as_text=True)


def test_an_incomplete_profile_or_a_wrong_number_changes_nothing(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    assert client.submit("/community/directory/me", {"business_name": "", "trade": "x", "town": "y"}).status_code == 200
    bad = client.submit("/community/directory/me", {"business_name": "A", "trade": "x", "town": "y", "whatsapp": "12"})
    page = bad.get_data(as_text=True)
    assert re.search(r'<p class="error" id="whatsapp-error">[^<]*<span[^>]*>[^<]*</span>[^<]*country code', page)
    assert 'id="business_name-error"' not in page  # the message stands by the number, not by the name
    assert directory.profile_of(learner.id) is None


def test_whats_new_counts_replies_to_her_and_clears_once_read(app, client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    post, _ = conversations.add_post(learner, thread, "Qui vend du tissu ?")
    member = circles.current_membership(learner.id)
    other = next(m.user for m in db.session.execute(db.select(type(member)).filter_by(
        circle_id=member.circle_id, left_at=None)).scalars() if m.user_id != learner.id)
    conversations.add_post(other, thread, "Moi, au marché HLM", reply_to=post)
    db.session.commit()
    sign_in("mariam")
    home = client.get("/").get_data(as_text=True)
    assert 'class="unread"' in home
    news = client.get("/community/whats-new").get_data(as_text=True)
    assert f"{other.display_name} answered you" in news
    assert 'class="unread"' not in client.get("/").get_data(as_text=True)
