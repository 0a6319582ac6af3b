"""The compact cohort page: one line per learner, every mentor in one form, confirmations before what cannot be undone."""
import re

import pytest

from lms.catalogue.models import LearningPath
from lms.cohorts import services as cohorts
from lms.cohorts.models import MentorAssignment, Membership, TrainerCertification
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import Certificate
from tests import factories


@pytest.fixture
def crowd(cohort, trainer, learner, mentor):
    """Binta and Coumba learn too; Dior mentors as well. Binta and Coumba start without a mentor."""
    binta = factories.user("binta", display_name="Binta Sow")
    coumba = factories.user("coumba", display_name="Coumba Diop")
    dior = factories.user("dior", roles=("mentor",), display_name="Dior Fall")
    for person in (binta, coumba):
        factories.join(cohort, person)
    factories.join(cohort, dior, "mentor")
    for person in (binta, coumba):
        cohorts.assign_mentor(trainer, cohort, person, None)
    db.session.commit()
    return {"binta": binta, "coumba": coumba, "dior": dior}


def current_mentors(cohort):
    return {a.learner.username: a.mentor.username for a in db.session.execute(
        db.select(MentorAssignment).filter_by(cohort_id=cohort.id, ended_at=None)).scalars()}


def test_one_line_per_learner_and_one_form_for_every_mentor(client, cohort, learner, crowd, sign_in):
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    table = re.search(r'<table class="members">(.*?)</table>', page, re.S).group(1)
    assert table.count("<tr>") == 4  # a header and three learners
    assert page.count('action="/cohorts/%d/mentors"' % cohort.id) == 1 and page.count("Save all mentors") == 1
    assert '<label for="mentor-%d" class="visually-hidden">Mentor of Mariam Camara</label>' % learner.id in page
    assert "<form" not in table  # row actions are links to confirmation pages
    assert re.search(r'>Remove<span class="visually-hidden"> Mariam Camara</span></a>', table)
    assert re.search(r'>One-time code<span class="visually-hidden"> for Binta Sow</span></a>', table)
    assert '<td class="progress">0%</td>' in table


def test_mentors_are_assigned_for_the_whole_table_in_one_submit(client, cohort, learner, mentor, crowd, sign_in):
    binta, coumba, dior = crowd["binta"], crowd["coumba"], crowd["dior"]
    sign_in("fatou")
    response = client.submit(f"/cohorts/{cohort.id}/mentors", {
        f"was-{learner.id}": str(mentor.id), f"mentor-{learner.id}": str(mentor.id),  # unchanged
        f"was-{binta.id}": "", f"mentor-{binta.id}": str(dior.id),
        f"was-{coumba.id}": "", f"mentor-{coumba.id}": str(mentor.id)}, follow_redirects=True)
    assert "2 mentor assignments saved." in response.get_data(as_text=True)
    assert current_mentors(cohort) == {"mariam": "awa", "binta": "dior", "coumba": "awa"}
    mariam_rows = db.session.execute(db.select(MentorAssignment).filter_by(learner_id=learner.id)).scalars().all()
    assert len(mariam_rows) == 1  # unchanged: not ended and made again
    client.submit(f"/cohorts/{cohort.id}/mentors", {f"was-{binta.id}": str(dior.id), f"mentor-{binta.id}": ""})
    assert "binta" not in current_mentors(cohort)
    with_dior = db.session.execute(db.select(MentorAssignment).filter_by(learner_id=binta.id, mentor_id=dior.id))
    assert with_dior.scalar_one().ended_at  # ended, not erased


def test_a_table_opened_before_another_change_does_not_undo_it(client, cohort, trainer, learner, mentor, crowd,
                                                               sign_in):
    sign_in("fatou")
    client.get(f"/cohorts/{cohort.id}")  # the table shows Awa for Mariam...
    cohorts.assign_mentor(trainer, cohort, learner, crowd["dior"])  # ...then someone gives her Dior
    db.session.commit()
    page = client.submit(f"/cohorts/{cohort.id}/mentors", {f"was-{learner.id}": str(mentor.id),
                                                           f"mentor-{learner.id}": str(mentor.id)},
                         follow_redirects=True).get_data(as_text=True)
    assert "No mentor was changed." in page and current_mentors(cohort)["mariam"] == "dior"


def test_one_bad_row_saves_nothing_and_says_which(client, cohort, learner, mentor, crowd, sign_in):
    outsider = factories.user("eve", roles=("mentor",), display_name="Eve Outsider")
    binta = crowd["binta"]
    sign_in("fatou")
    page = client.submit(f"/cohorts/{cohort.id}/mentors", {
        f"was-{binta.id}": "", f"mentor-{binta.id}": str(crowd["dior"].id),
        f"was-{learner.id}": str(mentor.id), f"mentor-{learner.id}": str(outsider.id)},
        follow_redirects=True).get_data(as_text=True)
    assert "Mariam Camara: Add this mentor to the cohort first. Nothing was saved." in page
    assert current_mentors(cohort) == {"mariam": "awa"}
    page = client.submit(f"/cohorts/{cohort.id}/mentors", {f"mentor-{binta.id}": "abc"},
                         follow_redirects=True).get_data(as_text=True)
    assert "This change is not allowed." in page and current_mentors(cohort) == {"mariam": "awa"}


def test_removing_asks_first_and_the_post_does_it(client, cohort, learner, mentor, sign_in):
    sign_in("fatou")
    url = f"/cohorts/{cohort.id}/members/{learner.id}/remove"
    page = client.get(url + "?role=learner").get_data(as_text=True)
    assert "Remove Mariam Camara from the cohort?" in page and "Her account, her progress and her work are kept" in page
    assert f'action="{url}"' in page and '<input type="hidden" name="role" value="learner">' in page
    assert db.session.execute(db.select(Membership).filter_by(user_id=learner.id)).scalar_one().left_at is None
    client.submit(url, {"role": "learner"})
    assert db.session.execute(db.select(Membership).filter_by(user_id=learner.id)).scalar_one().left_at is not None
    assert client.get(url + "?role=learner").status_code == 404  # she is no longer a member
    mentor_page = client.get(f"/cohorts/{cohort.id}/members/{mentor.id}/remove?role=mentor").get_data(as_text=True)
    assert "stops mentoring in this cohort" in mentor_page
    assert client.get(f"/cohorts/{cohort.id}/members/{mentor.id}/remove?role=admin").status_code == 404


def test_certifying_asks_first_and_the_post_does_it(client, cohort, learner, sign_in):
    sign_in("fatou")
    url = f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer"
    page = client.get(url).get_data(as_text=True)
    assert "She must first complete the Training of trainers path" in page and f'action="{url}"' not in page
    path = LearningPath(slug="training-of-trainers", title={"en": "ToT"})
    db.session.add(path)
    db.session.flush()
    db.session.add(Certificate(code="AAAA-BBBB-CCCC", user_id=learner.id, path_id=path.id, language="en",
                               completed_at=utcnow()))
    db.session.commit()
    listing = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="{url}">Certify as trainer<span class="visually-hidden">: Mariam Camara</span></a>' in listing
    page = client.get(url).get_data(as_text=True)
    assert "Certify Mariam Camara as a trainer?" in page and f'action="{url}"' in page
    db.session.refresh(learner)
    assert "trainer" not in learner.roles and not db.session.execute(db.select(TrainerCertification)).first()
    client.submit(url)
    db.session.refresh(learner)
    assert "trainer" in learner.roles


def test_new_pins_are_confirmed_with_their_validity(client, cohort, learner, sign_in):
    cohort.pin_sign_in = True
    db.session.commit()
    sign_in("fatou")
    listing = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/pins">Print new PINs</a>' in listing
    page = client.get(f"/cohorts/{cohort.id}/pins").get_data(as_text=True)
    assert "1 learner gets a new PIN." in page and "The old PINs stop working." in page
    assert 'name="valid_days"' in page and f'action="/cohorts/{cohort.id}/pins"' in page
    member = db.session.execute(db.select(Membership).filter_by(user_id=learner.id)).scalar_one()
    assert member.pin_hash is None
    sheet = client.submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "7"}).get_data(as_text=True)
    assert re.search(r'class="code">\d{4}<', sheet)
    db.session.refresh(member)
    assert member.pin_hash is not None


@pytest.mark.parametrize("url", ["/cohorts/{c}/members/{l}/remove", "/cohorts/{c}/learners/{l}/certify-trainer",
                                 "/cohorts/{c}/pins"])
def test_confirmation_pages_belong_to_the_cohort_trainer(client, cohort, learner, sign_in, url):
    factories.user("ramata", roles=("trainer",))
    sign_in("ramata")
    assert client.get(url.format(c=cohort.id, l=learner.id)).status_code == 403
