"""Attack: a mentor's feedback tries to make the learner's browser request pages and to show fake buttons."""
import re

from lms.extensions import db
from lms.mentoring.models import Review, Submission

ATTACK = ('![t](/media/../lessons/market-prices)\n\n'
          '<img src="/media/%2e%2e/sign-out"> <img src="/media/..\\lessons\\market-prices">\n\n'
          '<a class="primary button" href="https://pay.example/">Pay your certificate fee</a>\n\n'
          '<div class="flash flash-success" markdown="1">**Certified!**</div>\n\n'
          'Please add your **prices**. ![your stall](/media/3f9a0c.png)')


def feedback_blocks(page):
    """The mentor's words in each feedback box, after the box's own title."""
    return re.findall(r'<div class="block block-feedback"><p class="block-title">[^<]*</p>(.*?)</div>', page, re.S)


def review_with(client, sign_in, feedback):
    sign_in("mariam")
    client.submit("/lessons/market-stall/work", {"text": "Mon étal."}, content_type="multipart/form-data")
    client.submit("/sign-out")
    sign_in("awa")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "changes_requested", "feedback": feedback})
    client.submit("/sign-out")
    sign_in("mariam")


def assert_harmless(html):
    assert "class=" not in html and "id=" not in html
    assert re.findall(r'src="([^"]*)"', html) == ["/media/3f9a0c.png"]
    assert "<strong>prices</strong>" in html and "Pay your certificate fee" in html


def test_feedback_is_stored_and_shown_without_requests_or_fake_buttons(client, cohort, sign_in):
    review_with(client, sign_in, ATTACK)
    db.session.rollback()
    assert_harmless(db.session.execute(db.select(Review.feedback_html)).scalar_one())
    [lesson_feedback] = feedback_blocks(client.get("/lessons/market-stall").get_data(as_text=True))
    assert_harmless(lesson_feedback)
    home = client.get("/").get_data(as_text=True)
    assert "Pay your certificate fee" in home
    assert 'class="primary button" href="https://pay.example/"' not in home and "/media/.." not in home


def test_feedback_stored_under_older_rules_is_cleaned_when_shown(client, cohort, sign_in):
    review_with(client, sign_in, "Please add your **prices**.")
    review = db.session.execute(db.select(Review)).scalar_one()
    review.feedback_html = ('<p>Please add your <strong>prices</strong>. <img src="/media/3f9a0c.png"></p>'
                            '<p><img src="/media/../lessons/market-prices">'
                            '<a class="primary button" href="https://pay.example/">Pay your certificate fee</a></p>')
    db.session.commit()
    [lesson_feedback] = feedback_blocks(client.get("/lessons/market-stall").get_data(as_text=True))
    assert_harmless(lesson_feedback)
    client.submit("/sign-out")
    sign_in("awa")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    [mentor_view] = feedback_blocks(client.get(f"/mentoring/submissions/{submission.id}").get_data(as_text=True))
    assert_harmless(mentor_view)
