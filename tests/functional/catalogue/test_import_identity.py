"""A foreign folder never takes over another path: identity, --as, --replace, --check per path, no file left."""
import json

from lms.catalogue.models import LearningPath, Lesson
from lms.extensions import db
from tests import course_tree
from tests.course_tree import image, write


def run(runner, *args):
    return runner.invoke(args=["import-courses", *map(str, args)])


def path(slug):
    return db.session.execute(db.select(LearningPath).filter_by(slug=slug)).scalar_one_or_none()


def website_folder(root):
    """A stranger's folder that happens to be named like our built-in path."""
    folder = root / "elsewhere" / "website"
    write(folder / "01-html.md", "# HTML\n\nTags and `<img>` elements.\n")
    return folder


def test_a_folder_named_like_a_path_does_not_replace_it(runner, tmp_path):
    courses = course_tree.native_tree(tmp_path / "courses")
    assert run(runner, courses).exit_code == 0
    ours = path("market")
    before = [(l.slug, l.retired_at) for l in ours.lessons]
    stranger = tmp_path / "elsewhere" / "market"
    write(stranger / "01-intro.md", "# Intro\n\nSomething else entirely.\n")
    result = run(runner, stranger)
    assert result.exit_code == 1
    assert "the path id 'market' is already used by another source (native:market)" in result.output
    assert "--as ID" in result.output and "--replace" in result.output
    db.session.expire_all()
    assert [(l.slug, l.retired_at) for l in path("market").lessons] == before
    assert path("market").source_format == "native"


def test_as_gives_a_foreign_folder_its_own_id(runner, tmp_path):
    run(runner, course_tree.native_tree(tmp_path / "courses"))
    stranger = tmp_path / "elsewhere" / "market"
    write(stranger / "01-intro.md", "# Intro\n\nSomething else entirely.\n")
    result = run(runner, stranger, "--as", "stall-notes")
    assert result.exit_code == 0, result.output
    assert [l.slug for l in path("stall-notes").lessons] == ["stall-notes-intro"]
    assert path("market").retired_at is None
    assert run(runner, stranger, "--as", "Not An Id").exit_code == 1


def test_replace_lets_another_source_take_a_path_over_and_says_what_retires(runner, tmp_path):
    first = tmp_path / "one" / "docs"
    write(first / "a.md", "# A\n\nText.\n")
    write(first / "b.md", "# B\n\nText.\n")
    assert run(runner, first).exit_code == 0
    second = tmp_path / "two" / "docs"
    write(second / "a.md", "# A again\n\nOther text.\n")
    write(second / "c.md", "# C\n\nText.\n")
    assert run(runner, second).exit_code == 1
    check = run(runner, second, "--replace", "--check")
    assert check.exit_code == 0, check.output
    assert "docs: added 1 (docs-c); changed 1 (docs-a); retired 1 (docs-b)" in check.output
    assert path("docs").source_id == f"dir:{first.resolve()}"
    assert run(runner, second, "--replace").exit_code == 0
    db.session.expire_all()
    assert path("docs").source_id == f"dir:{second.resolve()}"
    retired = db.session.execute(db.select(Lesson).filter_by(slug="docs-b")).scalar_one()
    assert retired.retired_at is not None


def test_the_same_repository_in_another_folder_is_the_same_source(runner, tmp_path):
    first = course_tree.carpentries_tree(tmp_path / "a")
    (first / "config.yaml").write_text((first / "config.yaml").read_text() + "\nsource: 'https://github.com/x/mini'\n")
    assert run(runner, first).exit_code == 0, run(runner, first).output
    moved = tmp_path / "b" / first.name
    moved.parent.mkdir()
    first.rename(moved)
    result = run(runner, moved)
    assert result.exit_code == 0, result.output
    assert path(first.name).source_id == "repo:github.com/x/mini"


def test_check_lists_additions_per_path_as_json(runner, tmp_path):
    folder = tmp_path / "notes"
    write(folder / "a.md", "# A\n\nText.\n")
    result = runner.invoke(args=["import-courses", str(folder), "--check", "--json"])
    assert json.loads(result.stdout)["plan"] == {"notes": {"added": ["notes-a"], "changed": [], "retired": []}}
    assert path("notes") is None


def test_a_failed_import_leaves_no_file_in_the_media_folder(runner, app, tmp_path):
    folder = tmp_path / "notes"
    write(folder / "a.md", "# A\n\n![logo](logo.png)\n")
    image(folder / "logo.png", size=(900, 600))
    write(folder / "b.md", "---\ntitle: [broken\n---\nText\n")
    result = run(runner, folder)
    assert result.exit_code == 1
    media = app.instance_path + "/media"
    import os
    assert not os.path.exists(media) or os.listdir(media) == []
    assert not [n for n in os.listdir(app.instance_path) if n.startswith(".media-import-")]
    (folder / "b.md").unlink()
    assert run(runner, folder).exit_code == 0
    assert len(os.listdir(media)) == 2  # the original and its reduced copy, once committed


def test_warnings_are_kept_and_said_again_when_files_did_not_change(runner, tmp_path):
    folder = tmp_path / "notes"
    write(folder / "a.md", "# A\n\nSee ![x](missing.png)\n")
    write(folder / "LICENSE", "CC BY 4.0\n")
    first = run(runner, folder)
    assert "notes/a.md:3: warning: image not found: missing.png" in first.output
    again = run(runner, folder, "--check")
    assert "notes/a.md:3: warning: image not found: missing.png" in again.output
    assert path("notes").import_warnings == [{"file": "notes/a.md", "line": 3,
                                              "message": "image not found: missing.png"}]
