"""A trainer's odd folder never crashes the import: every problem is `file:line: level: message`, said again
until it is fixed, and a failed import leaves nothing behind."""
import hashlib
import os
import re
from pathlib import Path

import pytest

from lms.catalogue import sources
from lms.catalogue.models import LearningPath, Lesson
from lms.extensions import db
from tests import factories
from tests.conftest import mark_schema_changed
from tests.course_tree import carpentries_tree, image, write

DIAGNOSTIC = re.compile(r"^\S+:\d+: (error|warning): \S", re.M)


def run(runner, *args):
    return runner.invoke(args=["import-courses", *map(str, args)])


def no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def path(slug):
    return db.session.execute(db.select(LearningPath).filter_by(slug=slug)).scalar_one_or_none()


def notes(tmp_path):
    """A plain folder with one good lesson and a licence, to which each case adds its oddity."""
    folder = tmp_path / "notes"
    write(folder / "01-first.md", "# First\n\nA first lesson with enough words to be one.\n")
    write(folder / "LICENSE", "CC BY 4.0\n")
    return folder


def broken_link(folder):
    (folder / "02-gone.md").symlink_to("nowhere.md")
    return "notes/02-gone.md:1: error: 02-gone.md is a broken link"


def link_loop(folder):
    (folder / "02-ping.md").symlink_to("03-pong.md")
    (folder / "03-pong.md").symlink_to("02-ping.md")
    return ": error: 02-ping.md is a loop of links"


def latin1_file(folder):
    (folder / "02-cafe.md").write_bytes("# Café\n\nUn café très chaud.\n".encode("latin-1"))
    return "notes/02-cafe.md:1: error: not UTF-8 text"


def empty_file(folder):
    (folder / "02-empty.md").write_bytes(b"")
    return "notes/02-empty.md:1: warning: this file has no text: skipped"


CASES = {"broken link": broken_link, "loop of links": link_loop, "not UTF-8": latin1_file, "0 bytes": empty_file}


@pytest.mark.parametrize("check", [True, False], ids=["check", "import"])
@pytest.mark.parametrize("case", CASES)
def test_an_odd_file_is_a_diagnostic_never_a_traceback(runner, tmp_path, case, check):
    folder = notes(tmp_path)
    expected = CASES[case](folder)
    result = run(runner, folder, *(["--check"] if check else []))
    no_traceback(result)
    assert expected in result.output
    assert DIAGNOSTIC.search(result.output)
    if ": error: " in expected:
        assert result.exit_code == 1 and "nothing was imported" in result.output
        assert path("notes") is None
    else:
        assert result.exit_code == 0


def test_an_unreadable_file_is_named_with_its_reason(runner, tmp_path, monkeypatch):
    folder = notes(tmp_path)
    secret = write(folder / "02-locked.md", "# Locked\n\nText.\n")
    read_bytes = Path.read_bytes

    def refuse(self):
        if self.name == secret.name:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = run(runner, folder)
    no_traceback(result)
    assert "notes/02-locked.md:1: error: cannot read 02-locked.md: Permission denied" in result.output
    assert result.exit_code == 1


@pytest.mark.parametrize("check", [True, False], ids=["check", "import"])
def test_a_folder_named_like_a_lesson_is_not_one(runner, tmp_path, check):
    folder = notes(tmp_path)
    (folder / "notes.md").mkdir()
    result = run(runner, folder, *(["--check"] if check else []))
    no_traceback(result)
    assert result.exit_code == 0 and "added 1 (notes-first)" in result.output


def test_a_licenses_folder_names_the_licences_it_holds(runner, tmp_path):
    folder = tmp_path / "notes"
    write(folder / "01-first.md", "# First\n\nA first lesson with enough words to be one.\n")
    write(folder / "LICENSES" / "CC-BY-4.0.txt", "Attribution 4.0 International\n")
    write(folder / "LICENSES" / "MIT.txt", "MIT License\n")
    result = run(runner, folder)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert path("notes").credits["en"] == "Licence: CC-BY-4.0, MIT."


@pytest.fixture
def no_tables(app):
    db.drop_all()
    mark_schema_changed()
    yield
    mark_schema_changed()
    db.create_all()


@pytest.mark.parametrize("check", [True, False], ids=["check", "import"])
def test_an_instance_without_tables_is_told_to_run_init(runner, tmp_path, no_tables, check):
    result = run(runner, notes(tmp_path), *(["--check"] if check else []))
    no_traceback(result)
    assert result.exit_code == 1
    assert "run `lms init` first" in result.output


def test_a_failed_carpentries_import_leaves_no_image_behind(runner, app, tmp_path):
    lesson = carpentries_tree(tmp_path)
    write(lesson / "episodes" / "01-second.md", "---\ntitle: [broken\n---\nText\n")
    result = run(runner, lesson)
    assert result.exit_code == 1
    instance = Path(app.instance_path)
    assert not (instance / "media").exists() or not any((instance / "media").iterdir())
    assert not [n for n in os.listdir(instance) if n.startswith(".media-import-")]


def test_warnings_come_back_on_every_run_and_on_the_path_page_for_admins(runner, app, tmp_path, admin, learner):
    folder = notes(tmp_path)
    write(folder / "02-figure.md", "# Figure\n\nSee the drawing below, it shows the stall.\n\n![stall](stall.png)\n")
    warning = "notes/02-figure.md:5: warning: image not found: stall.png"
    assert warning in run(runner, folder).output
    again = run(runner, folder)
    assert "0 added, 0 updated, 2 unchanged" in again.output and warning in again.output
    assert warning in run(runner, folder, "--check").output
    assert len(path("notes").import_warnings) == 1  # said again, not stored twice

    def page(who):
        client = app.test_client()
        client.submit("/sign-in", {"username": who, "password": factories.PASSWORD})
        return client.get("/paths/notes").get_data(as_text=True)

    assert "image not found: stall.png" in page(admin.username) and "02-figure.md" in page(admin.username)
    assert "image not found" not in page(learner.username)


@pytest.mark.parametrize("text, line", [
    ("# Title\n\nA paragraph of words.\n\n![x](missing.png)\n", 5),
    ("# Title\n![x](missing.png)\n", 2),
    ("---\ntitle: Given\n---\n# Heading\n\nWords here.\n\n![x](missing.png)\n", 8),
    ("Title\n=====\n\nWords.\n\n![x](missing.png)\n", 6),
], ids=["after a # title", "right under it", "after front matter and a title", "after a setext title"])
def test_a_problem_is_reported_at_its_own_line(runner, tmp_path, text, line):
    folder = notes(tmp_path)
    write(folder / "02-lesson.md", text)
    result = run(runner, folder, "--check")
    assert f"notes/02-lesson.md:{line}: warning: image not found: missing.png" in result.output


def test_a_carpentries_episode_problem_is_reported_at_its_own_line(runner, tmp_path):
    lesson = carpentries_tree(tmp_path)
    write(lesson / "episodes" / "01-second.md", "---\ntitle: Second\n---\n\n# Second\n\nWords.\n\n![x](nope.png)\n")
    result = run(runner, lesson, "--check")
    assert "mini-carpentry/episodes/01-second.md:9: warning: image not found: nope.png" in result.output


def test_a_file_above_the_size_limit_is_an_error_at_its_first_line(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_TEXT_BYTES", 1024 * 1024)
    folder = notes(tmp_path)
    write(folder / "02-huge.md", "# Huge\n\n" + "word " * 220_000)
    result = run(runner, folder, "--check")
    no_traceback(result)
    assert "notes/02-huge.md:1: error: 02-huge.md is too large (1 MB at most)" in result.output
    assert result.exit_code == 1


def test_the_size_limit_is_four_megabytes_and_documented():
    assert sources.MAX_TEXT_BYTES == 4 * 1024 * 1024
    guide = (Path(__file__).parents[3] / "courses" / "README.md").read_text()
    assert "4 MB" in guide


def test_an_svg_figure_is_served_as_an_inert_image(runner, client, app, admin, tmp_path):
    folder = notes(tmp_path)
    write(folder / "02-drawing.md", "# Drawing\n\nThe drawing of the stall.\n\n![stall](stall.svg)\n")
    write(folder / "stall.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                '<rect width="10" height="10"/></svg>')
    image(folder / "photo.png", size=(60, 40))
    write(folder / "03-photo.md", "# Photo\n\nA photo of the stall.\n\n![photo](photo.png)\n")
    assert run(runner, folder).exit_code == 0
    media = Path(app.instance_path) / "media"
    svg = client.get(f"/media/{next(media.glob('*.svg')).name}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    png = client.get(f"/media/{next(media.glob('*.png')).name}")
    assert "sandbox" not in png.headers.get("Content-Security-Policy", "")


def test_a_callout_titled_note_says_note_once_and_a_lesson_of_h3_has_contents(runner, client, admin, tmp_path):
    folder = notes(tmp_path)
    write(folder / "02-steps.md", "# Steps\n\nFour steps to open the shop.\n\n!!! note\n    Open early.\n\n"
                                  "::: callout\n## Note\nDates are hard.\n:::\n\n"
                                  + "".join(f"### Step {n}\n\nDo step {n}.\n\n" for n in range(1, 5)))
    assert run(runner, folder).exit_code == 0
    page = client.get("/lessons/notes-steps?step=all").get_data(as_text=True)  # the whole lesson on one page
    assert page.count(">Note<") == 2  # one per box, never the label and the box's own heading
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S)
    assert contents and contents.group(0).count("<li>") == 4


def test_credits_keep_every_author_once_with_no_double_dot_and_come_from_the_folder_above(runner, tmp_path):
    repository = tmp_path / "project"
    (repository / ".git").mkdir(parents=True)
    write(repository / "LICENSE", "---\ntitle: Licence\n---\n\nCopyright (c) 2020 The Project. All rights reserved.\n\n"
                                  "Permission is hereby granted, free of charge, to any person\n")
    write(repository / "AUTHORS", "".join(f"Author Number{n}\n" for n in range(1, 10)))
    folder = repository / "docs"
    write(folder / "README.md", "# The [![build](https://x/b.svg)](https://x) Docs\n\n"
                                "[![badge](https://img.shields.io/x.svg)](https://example.org)\n\n"
                                "How to **use** the [project](https://example.org) in five short steps.\n")
    write(folder / "01-start.md", "# Start\n\nThe first steps with the project.\n")
    result = run(runner, folder)
    assert result.exit_code == 0 and "no licence" not in result.output, result.output
    docs = path("docs")
    assert docs.title["en"] == "The Docs"
    assert docs.summary["en"] == "How to use the project in five short steps."
    assert docs.credits["en"] == ("© 2020 The Project. Authors: Author Number1, Author Number2, Author Number3, "
                                  "Author Number4, Author Number5, Author Number6, Author Number7, Author Number8 "
                                  "et al. Licence: MIT.")


def test_the_folder_above_a_repository_is_never_read(runner, tmp_path):
    write(tmp_path / "LICENSE", "MIT License\n")
    folder = tmp_path / "project"
    (folder / ".git").mkdir(parents=True)
    write(folder / "01-start.md", "# Start\n\nThe first steps with the project.\n")
    result = run(runner, folder)
    assert "project: warning: no licence found" in result.output
    assert path("project").credits == {}


def test_no_licence_is_a_warning_kept_with_the_path(runner, tmp_path):
    folder = tmp_path / "shared" / "notes"
    write(folder / "01-first.md", "# First\n\nA first lesson with enough words to be one.\n")
    (tmp_path / "shared" / ".git").mkdir()
    result = run(runner, folder)
    assert result.exit_code == 0
    assert "notes: warning: no licence found" in result.output
    assert "no licence found" in path("notes").import_warnings[0]["message"]


def test_carpentries_credits_keep_the_first_author_and_never_a_rule(runner, tmp_path):
    lesson = carpentries_tree(tmp_path)
    write(lesson / "AUTHORS", "Ada Lovelace\n---\nGrace Hopper <grace@example.org>\n")
    assert run(runner, lesson).exit_code == 0
    assert path("mini-carpentry").credits["en"] == ("“Mini spreadsheets”, The Carpentries. Authors: Ada Lovelace, "
                                                    "Grace Hopper. Licence: CC-BY 4.0. Source: https://example.org/mini")


def test_an_unexpected_failure_is_one_line_and_changes_nothing(runner, app, tmp_path, monkeypatch):
    from lms.catalogue import importer

    def fail(*args):
        raise ValueError("something we did not foresee")

    monkeypatch.setattr(importer, "_apply", fail)
    folder = notes(tmp_path)
    image(folder / "logo.png", size=(900, 600))
    write(folder / "02-logo.md", "# Logo\n\nThe shop's logo, large.\n\n![logo](logo.png)\n")
    result = run(runner, folder)
    no_traceback(result)
    assert result.exit_code == 1
    assert "error: the import stopped on an unexpected problem (ValueError: something we did not foresee)" in result.output
    assert path("notes") is None and db.session.execute(db.select(Lesson)).first() is None
    instance = Path(app.instance_path)
    assert not (instance / "media").exists() or not any((instance / "media").iterdir())
    assert not [n for n in os.listdir(instance) if n.startswith(".media-import-")]


def test_a_loop_of_links_in_our_own_format_is_named_as_such(runner, tmp_path):
    from tests.course_tree import native_tree

    market = native_tree(tmp_path / "courses") / "01-market"
    (market / "03-ping.fr.md").symlink_to("03-pong.fr.md")
    (market / "03-pong.fr.md").symlink_to("03-ping.fr.md")
    result = run(runner, tmp_path / "courses", "--check")
    no_traceback(result)
    assert "courses/01-market/03-ping.fr.md:1: error: 03-ping.fr.md is a loop of links" in result.output
    assert result.exit_code == 1


def test_an_authors_file_in_latin1_is_read_with_a_warning(runner, tmp_path):
    lesson = carpentries_tree(tmp_path)
    (lesson / "AUTHORS").write_bytes("Zoë Dupré\nAda Lovelace\n".encode("latin-1"))
    result = run(runner, lesson)
    assert result.exit_code == 0, result.output
    assert "mini-carpentry/AUTHORS:1: warning: not UTF-8 text: read as Latin-1" in result.output
    assert "Authors: Zoë Dupré, Ada Lovelace." in path("mini-carpentry").credits["en"]


def test_no_reduced_png_is_heavier_than_its_original(runner, app, tmp_path):
    from PIL import Image

    folder = notes(tmp_path)
    pictures = {
        "flat.png": Image.new("RGB", (300, 200), (20, 120, 200)).quantize(2),  # as small as a PNG gets
        "palette.png": Image.new("RGB", (1200, 400), (250, 250, 250)).quantize(4),
        "noise.png": Image.effect_noise((900, 600), 80).convert("RGBA"),
        "grey.png": Image.linear_gradient("L").resize((800, 800)),
    }
    for name, picture in pictures.items():
        picture.save(folder / name, optimize=True)
    write(folder / "02-pictures.md", "# Pictures\n\nFour pictures of the stall.\n\n"
                                     + "".join(f"![{n}]({n})\n\n" for n in pictures))
    assert run(runner, folder).exit_code == 0
    media = Path(app.instance_path) / "media"
    originals = {p.name.split(".")[0]: p.stat().st_size for p in media.iterdir() if ".720." not in p.name}
    assert len(originals) == 4
    for small in media.glob("*.720.*"):
        assert small.stat().st_size < originals[small.name.split(".")[0]], small.name
    flat = hashlib.sha256((folder / "flat.png").read_bytes()).hexdigest()[:20]
    assert not list(media.glob(f"{flat}.720.*"))  # phones get the original itself
    html = db.session.execute(db.select(Lesson).filter_by(slug="notes-pictures")).scalar_one().text("en")[0].html
    for src in re.findall(r'<img src="/media/([^"]+)"', html):
        assert (media / src).is_file()


def test_a_folder_that_cannot_be_listed_is_named(runner, tmp_path, monkeypatch):
    folder = notes(tmp_path)
    iterdir = Path.iterdir

    def refuse(self):
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = run(runner, folder, "--check")
    no_traceback(result)
    assert f"{folder}: error: cannot read this folder: Permission denied" in result.output
    assert result.exit_code == 1
