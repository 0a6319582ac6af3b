"""The cascade goes on by itself: a certified trainer also mentors, reviews her cohorts' work, and her
trainer is prompted to certify a learner who earned the Training of trainers certificate."""
import pytest

from lms.accounts.models import UserRole
from lms.catalogue.models import LearningPath
from lms.cohorts import services as cohorts
from lms.extensions import db
from lms.mentoring import services as mentoring
from lms.progress.models import Certificate
from tests import factories


@pytest.fixture
def trainer_path(course):
    """Pretend the test course is the Training of trainers path."""
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    path.slug = "training-of-trainers"
    db.session.commit()
    return path


def certify_path(learner, path):
    db.session.add(Certificate(code=f"TEST-{learner.id:04d}-0000", user_id=learner.id, path_id=path.id,
                               language="en", completed_at=db.func.now()))
    db.session.commit()


def test_certifying_a_trainer_grants_the_mentor_role_too(trainer, learner, trainer_path):
    cohort = factories.cohort(trainer, learners=[learner], paths=[trainer_path])
    certify_path(learner, trainer_path)
    certification = cohorts.certify_trainer(trainer, learner, cohort)
    db.session.commit()
    assert learner.roles == {"learner", "trainer", "mentor"}
    granted = db.session.execute(db.select(UserRole).filter_by(user_id=learner.id, role="mentor")).scalar_one()
    assert granted.granted_at is not None
    assert certification.certified_by_id == trainer.id  # who granted both roles


def test_a_new_trainer_runs_her_own_cohort_mentors_it_and_reviews_it(client, trainer, learner, trainer_path,
                                                                     course, sign_in):
    cohort = factories.cohort(trainer, learners=[learner], paths=[trainer_path])
    certify_path(learner, trainer_path)
    cohorts.certify_trainer(trainer, learner, cohort)
    db.session.commit()

    # Mariam, now a trainer, creates her cohort and adds herself as its mentor: no administrator needed.
    own = cohorts.create_cohort(learner, "Thiès", [trainer_path])
    cohorts.invite(learner, own, learner, "mentor")
    db.session.commit()
    assert [m.username for m in cohorts.active_members(own, "mentor")] == ["mariam"]

    binta = factories.user("binta", display_name="Binta Sow")
    factories.join(own, binta)
    submission = mentoring.submit_work(binta, course["market-stall"], text="Mon étal")
    db.session.commit()
    sign_in("mariam")
    assert f"/mentoring/submissions/{submission.id}" in client.get("/mentoring").get_data(as_text=True)
    client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "approved", "feedback": "Bravo."})
    db.session.refresh(submission)
    assert submission.status == "approved"


def test_her_trainer_is_prompted_to_certify_her(client, trainer, learner, trainer_path, sign_in):
    cohort = factories.cohort(trainer, learners=[learner], paths=[trainer_path])
    sign_in("fatou")
    prompt = "Mariam Camara earned the Training of trainers certificate: certify her as a trainer."
    assert prompt not in client.get("/").get_data(as_text=True)
    certify_path(learner, trainer_path)
    home = client.get("/").get_data(as_text=True)
    assert prompt in home and f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer" in home
    assert prompt in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)

    client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer")
    assert prompt not in client.get("/").get_data(as_text=True)
    db.session.refresh(learner)
    assert learner.has_role("trainer") and learner.has_role("mentor")


def test_another_trainer_is_not_prompted_and_cannot_certify(client, trainer, learner, trainer_path, sign_in):
    cohort = factories.cohort(trainer, learners=[learner], paths=[trainer_path])
    certify_path(learner, trainer_path)
    factories.user("ramata", roles=("trainer",))
    sign_in("ramata")
    assert "Mariam Camara" not in client.get("/").get_data(as_text=True)
    assert client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/certify-trainer").status_code == 403
    db.session.refresh(learner)
    assert not learner.has_role("trainer")
