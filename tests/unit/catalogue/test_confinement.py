"""Attacks on the importer: course folders that point outside themselves must never be read or published."""
import json
import os
from pathlib import Path

import pytest

from lms.catalogue.models import LearningPath, LessonText
from lms.extensions import db
from tests import course_tree

SECRET = "TOP-SECRET-7f3a"
LESSON = f"---\nid: market-secret\ntitle: Secret\nminutes: 5\n---\n\n{SECRET} lives here.\n"


@pytest.fixture
def outside(tmp_path):
    """Files beside the course folder, that no course may publish."""
    folder = tmp_path / "outside"
    course_tree.write(folder / "secret.fr.md", LESSON)
    course_tree.write(folder / "outside.md", f"---\ntitle: Outside\n---\n\n{SECRET}\n")
    course_tree.write(folder / "LICENSE", f"{SECRET} licence\n")
    course_tree.write(folder / "AUTHORS", f"header\n{SECRET} Author <x@example.org>\n")
    course_tree.write(folder / "module" / "module.yaml", "id: secret-module\ntitle: Secret\n")
    course_tree.write(folder / "module" / "01-secret.fr.md", LESSON)
    course_tree.write(folder / "path" / "path.yaml", course_tree.PATH_YAML.replace("id: market", "id: secret"))
    course_tree.write(folder / "path" / "01-secret.fr.md", LESSON)
    course_tree.image(folder / "secret.png", size=(300, 200))
    (folder / "secret.csv").write_text(f"{SECRET},1\n")
    return folder


def run_import(runner, folder):
    result = runner.invoke(args=["import-courses", str(folder), "--json"])
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, data


def assert_nothing_published(app, client):
    """The secret is nowhere: not in the database, not on any page, not among the media files."""
    for text in db.session.execute(db.select(LessonText)).scalars():
        assert SECRET not in text.html + text.plain_text + text.title
    for path in db.session.execute(db.select(LearningPath)).scalars():
        assert SECRET not in json.dumps([path.title, path.summary, path.credits], ensure_ascii=False)
    pages = ["/paths"] + [f"/paths/{p.slug}" for p in db.session.execute(db.select(LearningPath)).scalars()]
    for url in pages:
        assert SECRET not in client.get(url).get_data(as_text=True)
    media = Path(app.instance_path) / "media"
    for file in media.iterdir() if media.exists() else []:
        assert SECRET.encode() not in file.read_bytes()


def link(link, target):
    link = Path(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    return link


def test_a_lesson_linked_to_a_file_outside_is_refused(runner, client, app, tmp_path, outside):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "01-market" / "03-secret.fr.md", outside / "secret.fr.md")
    result, data = run_import(runner, courses)
    assert result.exit_code != 0
    assert (f"courses/01-market/03-secret.fr.md:1: error: 03-secret.fr.md leads outside the course folder "
            f"(to {outside / 'secret.fr.md'}): refused") in result.output
    assert not data["ok"]
    assert_nothing_published(app, client)


def test_a_lesson_linked_to_a_system_file_is_refused(runner, client, app, tmp_path):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "01-market" / "03-os.fr.md", "/etc/hostname")
    result, _ = run_import(runner, courses)
    assert result.exit_code != 0
    assert "courses/01-market/03-os.fr.md:1: error: 03-os.fr.md leads outside the course folder" in result.output


def test_a_module_folder_linked_outside_is_refused(runner, client, app, tmp_path, outside):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "01-market" / "02-module", outside / "module")
    result, _ = run_import(runner, courses)
    assert result.exit_code != 0
    assert "courses/01-market/02-module/module.yaml:1: error: module.yaml leads outside the course folder" \
        in result.output
    assert_nothing_published(app, client)


def test_a_path_folder_linked_outside_is_refused(runner, client, app, tmp_path, outside):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "02-secret", outside / "path")
    result, _ = run_import(runner, courses)
    assert result.exit_code != 0
    assert "courses/02-secret/path.yaml:1: error: path.yaml leads outside the course folder" in result.output
    assert_nothing_published(app, client)


def test_a_plain_folder_with_linked_readme_licence_and_sub_folder_is_refused(runner, client, app, tmp_path, outside):
    root = course_tree.plain_tree(tmp_path)
    (root / "README.md").unlink()
    (root / "LICENSE").unlink()
    link(root / "README.md", outside / "outside.md")
    link(root / "LICENSE", outside / "LICENSE")
    link(root / "03-more", outside / "module")
    result, _ = run_import(runner, root)
    assert result.exit_code != 0
    for name in ("README.md", "LICENSE", "03-more/01-secret.fr.md"):
        assert f"notes-de-cours/{name}:1: error: {Path(name).name} leads outside the course folder" in result.output
    assert_nothing_published(app, client)


def test_carpentries_episodes_named_outside_and_a_linked_authors_file_are_refused(runner, client, app, tmp_path,
                                                                                  outside):
    root = course_tree.carpentries_tree(tmp_path)
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- 00-first.md\n",
                                                 "- 00-first.md\n- /etc/hostname\n- ../../outside/outside.md\n"))
    (root / "AUTHORS").unlink()
    link(root / "AUTHORS", outside / "AUTHORS")
    link(root / "episodes" / "02-linked.md", outside / "outside.md")
    result, _ = run_import(runner, root)
    assert result.exit_code != 0
    output = result.output
    assert "mini-carpentry/config.yaml:8: error: an episode must be a file inside episodes/, not /etc/hostname" \
        in output
    assert ("mini-carpentry/config.yaml:9: error: an episode must be a file inside episodes/, "
            "not ../../outside/outside.md") in output
    assert "mini-carpentry/AUTHORS:1: error: AUTHORS leads outside the course folder" in output
    assert_nothing_published(app, client)


def test_carpentries_episodes_found_in_the_folder_may_not_link_outside(runner, client, app, tmp_path, outside):
    root = course_tree.carpentries_tree(tmp_path)
    config = root / "config.yaml"
    config.write_text(config.read_text().split("episodes:")[0])  # episodes come from the folder listing
    link(root / "episodes" / "02-linked.md", outside / "outside.md")
    result, _ = run_import(runner, root)
    assert result.exit_code != 0
    assert ("mini-carpentry/episodes/02-linked.md:1: error: 02-linked.md leads outside the course folder"
            in result.output)
    assert_nothing_published(app, client)


def test_images_and_downloads_outside_the_folder_are_refused_with_their_line(runner, client, app, tmp_path, outside):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "01-market" / "linked.png", outside / "secret.png")
    lesson = courses / "01-market" / "02-prices.fr.md"
    lesson.write_text(lesson.read_text() + "\n![x](linked.png)\n\n[data](../../outside/secret.csv)\n")
    result, _ = run_import(runner, courses)
    assert result.exit_code != 0
    assert "courses/01-market/02-prices.fr.md:21: error: linked.png leads outside the course folder" in result.output
    assert ("courses/01-market/02-prices.fr.md:23: error: ../../outside/secret.csv leads outside the course folder"
            in result.output)
    assert "image not found" not in result.output and "unknown lesson or file" not in result.output
    assert_nothing_published(app, client)


def test_a_broken_link_is_a_clear_error_not_a_traceback(runner, client, app, tmp_path):
    courses = course_tree.native_tree(tmp_path / "courses")
    link(courses / "01-market" / "03-gone.fr.md", courses / "01-market" / "nowhere.fr.md")
    root = course_tree.plain_tree(tmp_path)
    link(root / "03-gone.md", root / "nowhere.md")
    for folder, name in ((courses, "courses/01-market/03-gone.fr.md"), (root, "notes-de-cours/03-gone.md")):
        result, _ = run_import(runner, folder)
        assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
        assert f"{name}:1: error: {Path(name).name} is a broken link" in result.output
        assert "Traceback" not in result.output


def test_links_that_stay_inside_the_folder_keep_working(runner, client, app, tmp_path):
    courses = course_tree.native_tree(tmp_path / "courses")
    shared = course_tree.write(tmp_path / "courses" / "shared" / "closing.fr.md", course_tree.CLOSING_FR)
    link(courses / "01-market" / "03-closing.fr.md", shared)
    link(courses / "01-market" / "same-stall.png", courses / "01-market" / "stall.png")
    prices = courses / "01-market" / "02-prices.fr.md"
    prices.write_text(prices.read_text() + "\n![x](same-stall.png)\n")
    result, data = run_import(runner, courses)
    assert result.exit_code == 0, result.output
    assert data["paths"][0]["lessons"] == ["market-stall", "market-prices", "market-closing"]


@pytest.mark.parametrize("url", ["/media/../secret_key", "/media/%2e%2e/secret_key", "/media/..%2fsecret_key",
                                 "/media/%2e%2e%2fsecret_key", "/media//etc/hostname", "/media/%2fetc%2fhostname",
                                 "/media/..%5csecret_key"])
def test_media_urls_never_leave_the_media_folder(client, app, admin, url):
    (Path(app.instance_path) / "media").mkdir(exist_ok=True)
    (Path(app.instance_path) / "secret_key").write_text(SECRET)
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert SECRET not in body
