"""Fixtures for the downloadable path file: the small test course, and a request in which to build files."""
import pytest

from lms.catalogue.models import LearningPath
from lms.extensions import db
from tests import course_tree


@pytest.fixture
def market(runner, tmp_path, admin):
    """The test course (three lessons, one image, two checks) as the path "market"."""
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
    return db.session.execute(db.select(LearningPath).filter_by(slug="market")).scalar_one()


@pytest.fixture
def request_as(app):
    """Run code inside a request to the centre, as a given user (or a visitor)."""
    from contextlib import contextmanager

    from flask_login import login_user

    @contextmanager
    def within(user=None, **request):
        with app.test_request_context("/", base_url="http://lms.centre:8080", **request):
            if user is not None:
                login_user(user)
            yield

    return within
