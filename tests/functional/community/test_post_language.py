"""What members write (posts, directory profiles) says its language, so French is read in French in an English page."""
import re

from lms.community.models import Post
from lms.extensions import db
from tests.functional.community.conftest import thread_of


def test_a_post_written_in_french_is_marked_french_for_a_reader_in_english(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    client.submit("/language", {"lang": "fr"})
    thread = thread_of(learner)
    client.submit(f"/community/threads/{thread.public_id}", {"body": "Bonjour **le cercle**"})
    client.submit("/sign-out")
    sign_in("aicha")
    client.submit("/language", {"lang": "en"})
    client.submit(f"/community/threads/{thread.public_id}", {"body": "Hello everyone"})
    db.session.rollback()
    assert sorted(db.session.execute(db.select(Post.language)).scalars()) == ["en", "fr"]
    page = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert re.search(r'<div lang="fr"><p>Bonjour <strong>le cercle</strong></p>', page)
    assert re.search(r'<div lang="en"><p>Hello everyone</p>', page)


def test_a_directory_profile_written_in_french_is_marked_french(client, sign_in, two_cohorts, learner):
    sign_in("mariam")
    client.submit("/language", {"lang": "fr"})
    client.submit("/community/directory/me", {"business_name": "Mariam Couture", "trade": "Couture", "town": "Dakar",
                                              "offer": "Robes sur mesure"})
    client.submit("/language", {"lang": "en"})
    page = client.get("/community/directory").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert 'Offers: <span lang="fr">Robes sur mesure</span>' in page
