"""A Carpentries Workbench lesson, complete: SVG figures, index summary, learners' pages, notes for trainers only."""
import re
from pathlib import Path

import pytest

from lms.catalogue.models import LearningPath
from lms.extensions import db
from tests import factories
from tests.course_tree import image, write

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" onload="alert(1)">'
       '<script>alert(2)</script><rect width="10" height="10"/></svg>')
SHELL = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "carpentries-shell-novice-workbench"


def workbench_tree(root):
    folder = Path(root) / "mini-workbench"
    write(folder / "config.yaml", "title: 'Mini shell'\nsource: 'https://github.com/example/mini-shell'\n"
                                  "episodes:\n- 01-intro.md\nlearners:\ninstructors:\n")
    write(folder / "index.md", "---\nsite: sandpaper::sandpaper_site\n---\n\n"
                               "[![badge](https://img.shields.io/x.svg)](https://example.org)\n\n"
                               "The shell lets you *talk* to your computer with `ls` and friends.\n")
    write(folder / "episodes" / "01-intro.md",
          "---\ntitle: Introducing the Shell\nteaching: 5\nexercises: 0\n---\n\n"
          "![](fig/tree.svg){alt='a file tree'}\n\n![](/episodes/fig/photo.png){alt='root-relative'}\n\n"
          "Type `<img src=\"x\">` literally.\n\n"
          "::::::::::::::::::::::::::::::::::::: instructor\nAsk who has used a terminal.\n"
          "::::::::::::::::::::::::::::::::::::::::::::::::\n\n"
          "::::::::::::::::::::::: callout\n## Good to know\nThe prompt is `$`.\n:::::::::::::::::::::::\n\n"
          "See ![](fig/missing.png)\n")
    write(folder / "episodes" / "fig" / "tree.svg", SVG)
    image(folder / "episodes" / "fig" / "photo.png", size=(60, 40))
    write(folder / "learners" / "setup.md", "---\ntitle: Setup\n---\n\nDownload [the data](data/files.zip).\n")
    write(folder / "episodes" / "data" / "files.zip", "PK")
    write(folder / "learners" / "reference.md", "---\ntitle: Glossary\n---\n\nshell\n: a program\n")
    write(folder / "instructors" / "instructor-notes.md", "---\ntitle: Instructor notes\n---\n\nStart slowly.\n")
    return folder


@pytest.fixture
def imported(runner, tmp_path, admin, trainer, learner):
    result = runner.invoke(args=["import-courses", str(workbench_tree(tmp_path))])
    assert result.exit_code == 0, result.output
    return result


def test_a_workbench_lesson_is_complete(imported, client, app):
    path = db.session.execute(db.select(LearningPath).filter_by(slug="mini-workbench")).scalar_one()
    assert [l.slug for l in path.lessons] == ["mini-workbench-intro", "mini-workbench-setup", "mini-workbench-reference"]
    assert path.summary == {"en": "The shell lets you talk to your computer with ls and friends."}
    assert path.source_id == "repo:github.com/example/mini-shell"
    intro = path.lessons[0].text("en")[0]
    assert intro.title == "Introducing the Shell"
    assert len(re.findall(r'<img src="/media/[0-9a-f]{20}\.svg" alt="a file tree"', intro.html)) == 1
    assert 'alt="root-relative"' in intro.html
    assert "Ask who has used" not in intro.html and "Ask who has used" in intro.trainer_html
    assert intro.html.count("Good to know") == 1 and "Note</p>" not in intro.html
    svg = next(Path(app.instance_path, "media").glob("*.svg")).read_text()
    assert "<rect" in svg and "script" not in svg and "onload" not in svg
    setup = path.lessons[1].text("en")[0]
    assert re.search(r'href="/media/[0-9a-f]{20}-files\.zip"', setup.html)
    assert "<dt>shell</dt>" in path.lessons[2].text("en")[0].html
    assert "mini-workbench/episodes/01-intro.md:" in imported.output and "image not found: fig/missing.png" in imported.output
    assert "error" not in imported.output


def test_notes_for_trainers_and_import_warnings_are_not_shown_to_learners(imported, app):
    lesson_url, path_url = "/lessons/mini-workbench-intro", "/paths/mini-workbench"

    def pages(who):
        client = app.test_client()
        if who:
            client.submit("/sign-in", {"username": who, "password": factories.PASSWORD})
        return client.get(lesson_url).get_data(as_text=True), client.get(path_url).get_data(as_text=True)

    for who in (None, "mariam"):
        lesson, path = pages(who)
        assert "Ask who has used" not in lesson
        assert "Start slowly" not in path and "fig/missing.png" not in path
    lesson, path = pages("fatou")
    assert "Ask who has used" in lesson
    assert "Start slowly" in path and "fig/missing.png" not in path  # warnings are for admins
    _lesson, path = pages("amina")
    assert "image not found: fig/missing.png" in path and "01-intro.md:" in path


def trainer_html(path, episode):
    """Instructor notes are kept apart from the page: their code spans are there."""
    lesson = next(l for l in path.lessons if l.slug.endswith(episode.stem.split("-", 1)[1]))
    return lesson.text("en")[0].trainer_html


@pytest.mark.skipif(not SHELL.is_dir(), reason="the shared corpora are not here")
def test_the_shared_shell_lesson_with_its_svg_figures(runner, client, admin):
    result = runner.invoke(args=["import-courses", str(SHELL)])
    assert result.exit_code == 0, result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug=SHELL.name)).scalar_one()
    assert [l.slug.removeprefix(SHELL.name + "-") for l in path.lessons] == [
        "intro", "filedir", "create", "pipefilter", "loop", "script", "find", "setup", "reference", "discuss",
        "resources"]
    assert path.lessons[0].text("en")[0].title == "Introducing the Shell"
    assert path.summary["en"].startswith("The Unix shell has been around longer")
    referenced = set()
    for episode in sorted((SHELL / "episodes").glob("*.md")):
        text = episode.read_text()
        referenced |= set(re.findall(r"\]\((fig/[^)\s]+\.svg)\)", text))
        html = client.get(f"/lessons/{SHELL.name}-{episode.stem.split('-', 1)[1]}?step=all").get_data(as_text=True)
        main = html.split('<main', 1)[1]
        for raw in (":::", "{alt=", "{:", "{{", "{%", 'markdown="1"', "```"):
            assert raw not in main, (episode.name, raw)
        spans = [s for s in re.findall(r"(?<!`)`([^`\n]+)`(?!`)", re.sub(r"```.*?```", "", text, flags=re.S))]
        rendered = [re.sub(r"&(lt|gt|amp|quot|#x27|#39);", lambda m: {"lt": "<", "gt": ">", "amp": "&", "quot": '"',
                                                                          "#x27": "'", "#39": "'"}[m.group(1)], c)
                    for c in re.findall(r"<code>(.*?)</code>", main + trainer_html(path, episode), re.S)]
        assert all(span in rendered for span in spans if "{" not in span), (episode.name, [
            span for span in spans if span not in rendered and "{" not in span])
    assert referenced and "error" not in result.output
    assert "not a readable image" not in result.output
