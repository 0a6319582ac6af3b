import pytest

from lms.catalogue.models import LearningPath, Lesson
from lms.extensions import db
from tests import course_tree, factories


@pytest.fixture
def course(runner, tmp_path, admin):
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
    return {l.slug: l for l in db.session.execute(db.select(Lesson)).scalars()}


@pytest.fixture
def cohort(trainer, learner, mentor, course):
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    return factories.cohort(trainer, learners=[learner], mentors=[mentor], paths=[path], mentor_of={learner: mentor})
