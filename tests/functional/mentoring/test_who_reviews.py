"""Nobody's work goes to nobody: every learner who joins gets a reviewer, and sees her name."""
import pytest

from lms.accounts.models import User
from lms.catalogue.models import LearningPath
from lms.cohorts import services as cohorts
from lms.cohorts.models import MentorAssignment
from lms.extensions import db
from lms.mentoring import services as mentoring
from lms.mentoring.models import Submission
from lms.mentoring.policy import reviewer_for
from tests import factories


def send_work(client, text, slug="market-stall"):
    return client.submit(f"/lessons/{slug}/work", {"text": text}, content_type="multipart/form-data",
                         follow_redirects=True).get_data(as_text=True)


def current_mentor(learner):
    assignment = db.session.execute(db.select(MentorAssignment).filter_by(learner_id=learner.id, ended_at=None)
                                    ).scalar_one_or_none()
    return assignment.mentor if assignment else None


@pytest.fixture
def path(course):
    return db.session.execute(db.select(LearningPath)).scalar_one()


@pytest.fixture
def open_cohort(trainer, mentor, path):
    """Fatou's cohort with two mentors and nobody learning yet."""
    coumba = factories.user("coumba", roles=("mentor",), display_name="Coumba Diop")
    return factories.cohort(trainer, mentors=[mentor, coumba], paths=[path])


def test_joining_with_the_code_gives_the_mentor_with_the_fewest_mentees(client, open_cohort, learner, sign_in):
    binta = factories.user("binta", display_name="Binta Sow")
    factories.join(open_cohort, binta)  # Awa (first by name among equals) now mentors Binta
    assert current_mentor(binta).username == "awa"
    sign_in("mariam")
    client.submit("/join", {"code": open_cohort.join_code})
    assert current_mentor(learner).username == "coumba"

    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "Your mentor Coumba Diop reviews your work." in page
    assert "Send my work to Coumba Diop" in page
    assert "Your work is sent to Coumba Diop." in send_work(client, "Mon étal.")


def test_registering_with_the_code_assigns_a_mentor_too(client, open_cohort):
    client.submit("/register", {"username": "dior", "display_name": "Dior Fall", "password": "une phrase de passe",
                                "confirm": "une phrase de passe", "locale": "en", "join_code": open_cohort.join_code})
    dior = db.session.execute(db.select(User).filter_by(username="dior")).scalar_one()
    assert current_mentor(dior) is not None


def test_accepting_an_invitation_and_csv_enrolment_assign_mentors(app, client, open_cohort, trainer, sign_in):
    khady = factories.user("khady", display_name="Khady Ba")
    cohorts.answer_invitation(khady, cohorts.invite(trainer, open_cohort, khady), accept=True)
    db.session.commit()
    assert current_mentor(khady) is not None

    sign_in("fatou")
    client.submit(f"/cohorts/{open_cohort.id}/enrol", {"text": "Ndèye Sarr, ndeye, fr\nRama Gueye, rama, en\n",
                                                           "confirm": "1"})
    for username in ("ndeye", "rama"):
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        assert current_mentor(user) is not None, username
    loads = [db.session.execute(db.select(db.func.count()).select_from(MentorAssignment)
                                .filter_by(mentor_id=m.id, ended_at=None)).scalar() for m in
             cohorts.active_members(open_cohort, "mentor")]
    assert sorted(loads) == [1, 2]  # balanced as they joined


def test_without_a_mentor_the_trainer_reviews_and_the_learner_reads_her_name(client, trainer, learner, path,
                                                                              sign_in):
    cohort = factories.cohort(trainer, learners=[learner], paths=[path])
    sign_in("mariam")
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "Your trainer Fatou Ndiaye reviews your work." in page
    assert "Your work is sent to Fatou Ndiaye." in send_work(client, "Mon étal.")
    assert "your mentor" not in client.get("/").get_data(as_text=True).lower().replace("my mentoring", "")
    client.submit("/sign-out")

    sign_in("fatou")
    assert "1 practical work is waiting for your review." in client.get("/").get_data(as_text=True)
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert f"/mentoring/submissions/{submission.id}" in client.get("/mentoring").get_data(as_text=True)
    show = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 learner has no mentor: the trainer reviews her work." in show and "tag-unassigned" in show
    page = client.submit(f"/mentoring/submissions/{submission.id}", {"decision": "approved", "feedback": "Bien."},
                         follow_redirects=True).get_data(as_text=True)
    assert "Nothing else is waiting for your review." in page
    db.session.refresh(submission)
    assert submission.status == "approved"


def test_mentors_added_later_take_over_by_balancing(trainer, learner, mentor, path):
    cohort = factories.cohort(trainer, learners=[learner], paths=[path])
    stall = path.lessons[0]
    assert reviewer_for(learner.id, stall).kind == "trainer"
    factories.join(cohort, mentor, "mentor")
    cohorts.balance_mentors(trainer, cohort)
    db.session.commit()
    reviewer = reviewer_for(learner.id, stall)
    assert (reviewer.kind, reviewer.user.username) == ("mentor", "awa")


def test_outside_any_cohort_she_is_told_no_one_will_review_and_how_to_join(client, learner, course, sign_in):
    sign_in("mariam")
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "No one will review this work yet: you are not in a cohort." in page and 'href="/join"' in page
    assert "Save my work" in page and "Send my work to" not in page
    page = send_work(client, "Mon étal.")
    assert "No one will review it until you join a cohort." in page
    assert "sent to your mentor" not in page and "is sent to" not in page


def test_the_reviewer_goes_to_the_next_work_waiting(client, cohort, learner, mentor, course, sign_in):
    binta = factories.user("binta", display_name="Binta Sow")
    factories.join(cohort, binta)  # Awa is the only mentor: she gets Binta
    first = mentoring.submit_work(learner, course["market-stall"], text="Mariam")
    second = mentoring.submit_work(binta, course["market-stall"], text="Binta")
    db.session.commit()
    sign_in("awa")
    response = client.submit(f"/mentoring/submissions/{first.id}", {"decision": "approved", "feedback": "ok"})
    assert response.headers["Location"].endswith(f"/mentoring/submissions/{second.id}")
    response = client.submit(f"/mentoring/submissions/{second.id}", {"decision": "approved", "feedback": "ok"},
                             follow_redirects=True)
    assert response.request.path == "/mentoring"
    assert "Nothing else is waiting for your review." in response.get_data(as_text=True)


def test_a_resubmission_starts_from_her_last_round(client, cohort, learner, mentor, course, sign_in):
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal <b>rangé</b>.")
    mentoring.review_work(mentor, submission, "changes_requested", "Ajoutez les prix.")
    db.session.commit()
    sign_in("mariam")
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    assert "Mon étal &lt;b&gt;rangé&lt;/b&gt;.</textarea>" in page
    assert "Send my work again to Awa Koné" in page


# Attacks: reviewing is for the reviewer of the work, her current trainer, or an admin.

def test_a_trainer_cannot_review_work_of_a_learner_outside_her_cohorts(app, client, cohort, learner, course,
                                                                      sign_in):
    factories.user("ramata", roles=("trainer",))
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    db.session.commit()
    sign_in("ramata")
    assert client.submit(f"/mentoring/submissions/{submission.id}",
                         {"decision": "approved", "feedback": "ok"}).status_code == 403
    db.session.refresh(submission)
    assert submission.status == "submitted"


def test_a_trainer_whose_learner_left_cannot_review_her_work_any_more(client, cohort, trainer, learner, course,
                                                                    sign_in):
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    cohorts.remove(trainer, cohort, learner)
    db.session.commit()
    with pytest.raises(mentoring.MentoringError):
        mentoring.review_work(trainer, submission, "approved", "ok")


def test_a_mentor_who_is_not_assigned_cannot_review(client, cohort, learner, course, sign_in):
    coumba = factories.user("coumba", roles=("mentor",), display_name="Coumba Diop")
    factories.join(cohort, coumba, "mentor")  # in the same cohort, but Awa mentors Mariam
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    db.session.commit()
    sign_in("coumba")
    assert client.submit(f"/mentoring/submissions/{submission.id}",
                         {"decision": "approved", "feedback": "ok"}).status_code in (403, 404)
    assert f"/mentoring/submissions/{submission.id}" not in client.get("/mentoring").get_data(as_text=True)
    with pytest.raises(mentoring.MentoringError):
        mentoring.review_work(coumba, submission, "approved", "ok")
    db.session.refresh(submission)
    assert submission.status == "submitted"


def test_a_mentor_replaced_by_another_cannot_review_any_more(cohort, trainer, learner, mentor, course):
    coumba = factories.user("coumba", roles=("mentor",), display_name="Coumba Diop")
    factories.join(cohort, coumba, "mentor")
    cohorts.assign_mentor(trainer, cohort, learner, coumba)
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    db.session.commit()
    with pytest.raises(mentoring.MentoringError):
        mentoring.review_work(mentor, submission, "approved", "ok")
    assert mentoring.review_work(coumba, submission, "approved", "ok").decision == "approved"


def test_she_cannot_review_her_own_work_even_as_her_cohorts_trainer(trainer, path, course):
    cohort = factories.cohort(trainer, paths=[path])
    cohorts.enrol(trainer, cohort, trainer)  # the trainer follows her own cohort as a learner
    submission = mentoring.submit_work(trainer, course["market-stall"], text="Moi")
    db.session.commit()
    with pytest.raises(mentoring.MentoringError):
        mentoring.review_work(trainer, submission, "approved", "ok")
