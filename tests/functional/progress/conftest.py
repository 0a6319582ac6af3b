import pytest

from lms.catalogue.models import Lesson
from lms.extensions import db
from tests import course_tree


@pytest.fixture
def course(runner, tmp_path, admin):
    """Three lessons: two with a check (stall: 1 question; prices: 1 multiple-choice), one without."""
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
    return {l.slug: l for l in db.session.execute(db.select(Lesson)).scalars()}
