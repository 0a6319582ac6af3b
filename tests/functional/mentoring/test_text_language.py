"""Mariam reads in English, her mentor Awa writes in French: each text is marked with the language it was written in,
so a screen reader reads Awa's French feedback in French inside Mariam's English page."""
import re

from lms.extensions import db
from lms.mentoring.models import MentoringNote, Review, Submission


def in_language(client, language):
    client.submit("/language", {"lang": language})


def test_work_feedback_and_notes_keep_the_language_they_were_written_in(client, cohort, sign_in, learner):
    sign_in("mariam")
    in_language(client, "en")
    client.submit("/lessons/market-stall/work", {"text": "My stall, three photos."}, content_type="multipart/form-data")
    client.submit("/sign-out")
    sign_in("awa")
    in_language(client, "fr")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit(f"/mentoring/submissions/{submission.id}",
                  {"decision": "changes_requested", "feedback": "Ajoute tes **prix**."})
    client.submit(f"/mentoring/mentees/{learner.id}", {"met_on": "2026-12-01", "notes": "Elle vend au marché.",
                                                       "next_steps": "Des photos nettes."})
    db.session.rollback()
    assert db.session.execute(db.select(Submission.language)).scalar_one() == "en"
    assert db.session.execute(db.select(Review.language)).scalar_one() == "fr"
    assert db.session.execute(db.select(MentoringNote.language)).scalar_one() == "fr"

    review_page = client.get(f"/mentoring/submissions/{submission.id}").get_data(as_text=True)
    assert '<html lang="fr"' in review_page
    assert '<p class="pre" lang="en">My stall, three photos.</p>' in review_page
    mentee_page = client.get(f"/mentoring/mentees/{learner.id}").get_data(as_text=True)
    assert '<p class="pre" lang="fr">Elle vend au marché.</p>' in mentee_page

    client.submit("/sign-out")
    sign_in("mariam")
    for address in ("/lessons/market-stall", "/"):
        page = client.get(address).get_data(as_text=True)
        assert '<html lang="en"' in page
        assert re.search(r'<div lang="fr"><p>Ajoute tes <strong>prix</strong>\.</p>', page), address


def test_feedback_written_before_languages_were_recorded_takes_the_page_language(client, cohort, sign_in):
    sign_in("mariam")
    client.submit("/lessons/market-stall/work", {"text": "Mon étal."}, content_type="multipart/form-data")
    client.submit("/sign-out")
    sign_in("awa")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "changes_requested", "feedback": "Les prix."})
    db.session.execute(db.update(Review).values(language=None))
    db.session.commit()
    page = client.get(f"/mentoring/submissions/{submission.id}").get_data(as_text=True)
    assert re.search(r'<div><p>Les prix\.</p></div>', page)  # no lang: nobody knows, so nothing is claimed
