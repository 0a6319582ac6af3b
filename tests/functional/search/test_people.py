"""Trainers, mentors and admins find people from the same box, limited to those they may see."""
import re

from lms.accounts import visibility
from lms.accounts.models import User
from lms.extensions import db


def people(client, q):
    html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    if '<h2 id="people">' not in html:
        return None
    section = html[html.index('<h2 id="people">'):html.index("</section>")]
    return re.findall(r'<a href="(/learners/\d+/progress)">([^<]+)</a>', section)


def test_an_admin_finds_anyone_by_name_or_username(client, admin, trainer, learner, sign_in):
    sign_in("amina")
    assert people(client, "mariam") == [(f"/learners/{learner.id}/progress", "Mariam Camara")]
    assert people(client, "ndiaye") == [(f"/learners/{trainer.id}/progress", "Fatou Ndiaye")]


def test_a_learner_sees_no_people_section(client, admin, learner, sign_in):
    sign_in("mariam")
    html = client.get("/search?q=amina").get_data(as_text=True)
    assert people(client, "amina") is None and "Amina Diallo" not in html


def test_a_visitor_sees_no_people_section(client, admin):
    assert people(client, "amina") is None


def test_a_mentor_with_no_mentee_finds_nobody_not_even_the_admin(client, admin, mentor, learner, sign_in):
    sign_in("awa")
    for name in ("amina", "mariam", "diallo"):
        assert people(client, name) is None  # the section only shows when someone matches
    html = client.get("/search?q=amina").get_data(as_text=True)
    assert "Amina Diallo" not in html and "No one matches “amina” among the people you can see." in html


def test_a_trainer_finds_only_the_people_a_rule_lets_her_see(client, admin, trainer, mentor, learner, sign_in,
                                                              monkeypatch):
    def her_cohort(actor):
        return db.select(User.id).where(User.username == "mariam") if actor.id == trainer.id else None

    monkeypatch.setattr(visibility, "RULES", [*visibility.RULES, her_cohort])
    sign_in("fatou")
    assert people(client, "a") == [(f"/learners/{learner.id}/progress", "Mariam Camara")]
