"""Two cohorts with their circles: Fatou's (Mariam, her mentor Awa, and five more) and Ramata's (Binta and four more)."""
import pytest

from lms.catalogue.models import LearningPath
from lms.community import circles
from lms.extensions import db
from tests import factories


@pytest.fixture
def two_cohorts(cohort, trainer, learner, mentor, admin):
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    more = [factories.user(name, display_name=f"{name.title()} Diop") for name in ("aicha", "coumba", "dior", "khady",
                                                                                     "fanta")]
    for user in more:
        factories.join(cohort, user)
    other_trainer = factories.user("ramata", roles=("trainer",), display_name="Ramata Sy")
    other_mentor = factories.user("coumba.m", roles=("mentor",), display_name="Coumba Mentor")
    others = [factories.user(name, display_name=f"{name.title()} Sow") for name in ("binta", "ndeye", "rama", "sokhna",
                                                                                      "yacine")]
    other = factories.cohort(other_trainer, learners=others, mentors=[other_mentor], paths=[path], name="Thiès")
    circles.split_into_circles(trainer, cohort)
    circles.split_into_circles(other_trainer, other)
    db.session.commit()
    return {"cohort": cohort, "other": other, "more": more, "others": others, "other_trainer": other_trainer,
            "other_mentor": other_mentor}


def thread_of(user):
    from lms.community import queries

    return queries.circle_thread(circles.current_membership(user.id).circle_id)
