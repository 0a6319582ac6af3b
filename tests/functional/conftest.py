"""Fixtures for the functional tests: a small imported course, and a cohort around it."""
import pytest

from lms.catalogue.models import LearningPath, Lesson
from lms.extensions import db
from tests import course_tree, factories


@pytest.fixture
def course(runner, tmp_path, admin):
    """Three lessons: two with a check (stall: 1 question; prices: 1 multiple-choice), one without."""
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
    return {l.slug: l for l in db.session.execute(db.select(Lesson)).scalars()}


@pytest.fixture
def cohort(trainer, learner, mentor, course):
    """Fatou's cohort on that course: Mariam learns, Awa mentors her."""
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    return factories.cohort(trainer, learners=[learner], mentors=[mentor], paths=[path], mentor_of={learner: mentor})
