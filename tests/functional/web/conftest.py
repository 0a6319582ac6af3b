import pytest

from tests import course_tree


@pytest.fixture
def course(runner, tmp_path, admin):
    """The market path: "Your stall" (with an image), "Les prix", "Fermer l'étal"."""
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output
