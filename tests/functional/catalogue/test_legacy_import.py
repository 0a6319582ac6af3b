"""An older Carpentries lesson (Jekyll layout) imported whole: its episodes, boxes, links and notes, not its scaffolding."""
import re
from html import escape, unescape
from pathlib import Path

import pytest

from lms.catalogue.foreign import parser
from lms.catalogue.models import LearningPath
from lms.extensions import db
from tests import factories
from tests.course_tree import image, write

GIT_NOVICE = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "carpentries-git-novice-legacy"
RAW_MARKUP = ("{:", "{{", "{%", 'markdown="1"', "###", "```", "~~~", ":::")

EPISODE = """\
---
title: "Tracking Changes"
teaching: 20
exercises: 10
questions:
- "How do I record changes?"
objectives:
- "Go through the modify-add-commit cycle."
keypoints:
- "`git add` puts files in the staging area."
---
A [commit]({{ page.root }}{% link reference.md %}#commit) records changes; see the [setup]({{ page.root }}/02-setup/).

![The staging area](../fig/staging.png)

Ask {{ site.maintainer }}.

~~~
$ git add mars.txt
~~~
{: .language-bash}

> ## Choosing a Message
>
> Which message is best? Type `git commit -m "{{ msg }}"`.
>
> > ## Solution
> >
> > Answer 3.
> {: .solution}
{: .challenge}

{% include links.md %}
[Git]: is used in [the book][pro-git].
"""


def legacy_tree(root):
    folder = Path(root) / "git-novice"
    write(folder / "_config.yml", 'carpentry: "swc"\ntitle: "Version Control with Git"\nkind: "lesson"\n')
    write(folder / "AUTHORS", "Alison Appling\nSean Aubin\n")
    write(folder / "CITATION", "Please cite as: https://github.com/swcarpentry/git-novice\n")
    write(folder / "LICENSE.md", "---\nlayout: page\n---\nLicensed under the Creative Commons Attribution 4.0 license.\n")
    write(folder / "index.md", "---\nlayout: lesson\nroot: .\n---\nWolfman and Dracula want to work on the plans together.\n")
    write(folder / "_episodes" / "01-changes.md", EPISODE)
    write(folder / "_episodes" / "02-setup.md", "---\ntitle: Setting Up Git\n---\n> ## Before you start\n> Open a shell.\n"
                                                "{: .prereq}\nRun `git config` as {{ site.admin }}.\n")
    write(folder / "setup.md", "---\ntitle: Setup\n---\n\nInstall Git.\n")
    write(folder / "_episodes" / "03-break.md", "---\nlayout: break\ntitle: Coffee Break\nbreak: 15\n---\n")
    write(folder / "reference.md", "---\nlayout: reference\n---\n\n## Glossary\n\n{:auto_ids}\ncommit\n:   a recorded change\n")
    write(folder / "_extras" / "guide.md", "---\ntitle: Instructor Notes\n---\n\nLive-code everything.\n")
    write(folder / "_extras" / "about.md", "---\ntitle: About\n---\n\n{% include carpentries.html %}\n")
    write(folder / "_includes" / "links.md", "[pro-git]: https://git-scm.com/book\n[contributing]: {{ repo_url }}/x\n")
    write(folder / "_includes" / "header.md", "Not a lesson.\n")
    write(folder / "_layouts" / "episode.md", "{{ content }}\n")
    write(folder / "404.md", "---\ntitle: Page not found\n---\n\n# Oops\n")
    write(folder / "CONTRIBUTING.md", "How to contribute.\n")
    write(folder / ".github" / "ISSUE_TEMPLATE.md", "Describe the bug.\n")
    image(folder / "fig" / "staging.png", size=(80, 40))
    return folder


@pytest.fixture
def imported(runner, tmp_path, admin, trainer, learner):
    result = runner.invoke(args=["import-courses", str(legacy_tree(tmp_path))])
    assert result.exit_code == 0, result.output
    return result


def test_an_older_carpentries_lesson_is_imported_as_its_episodes_setup_and_reference(imported):
    path = db.session.execute(db.select(LearningPath).filter_by(slug="git-novice")).scalar_one()
    assert [l.slug for l in path.lessons] == ["git-novice-changes", "git-novice-setup", "git-novice-setup-2",
                                              "git-novice-reference"]
    assert [l.text("en")[0].title for l in path.lessons] == ["Tracking Changes", "Setting Up Git", "Setup", "Reference"]
    assert path.summary == {"en": "Wolfman and Dracula want to work on the plans together."}
    assert path.source_id == "repo:github.com/swcarpentry/git-novice"
    assert path.credits["en"] == ("“Version Control with Git”, The Carpentries. Authors: Alison Appling, Sean Aubin. "
                                  "Licence: CC BY 4.0. Source: https://github.com/swcarpentry/git-novice")
    assert "Live-code everything" in path.trainer_notes["en"]
    assert "Oops" not in path.trainer_notes["en"] and "About" not in path.trainer_notes["en"]


def test_boxes_fold_solutions_and_front_matter_shows_its_questions_objectives_and_key_points(imported):
    path = db.session.execute(db.select(LearningPath).filter_by(slug="git-novice")).scalar_one()
    text = path.lessons[0].text("en")[0]
    html = text.html
    assert text.minutes == 30 and text.objectives == ["Go through the modify-add-commit cycle."]
    assert '<div class="block block-challenge">' in html and '<details class="block block-solution">' in html
    assert "Answer 3." in html.split('<details class="block block-solution">')[1]
    assert '<div class="block block-questions">' in html and "How do I record changes?" in html
    assert html.rstrip().endswith("</div>") and "<code>git add</code> puts files in the staging area." in html
    assert '<code class="language-bash">$ git add mars.txt\n</code>' in html
    assert '<code>git commit -m "{{ msg }}"</code>' in unescape(html).replace("&quot;", '"')
    assert 'href="/lessons/git-novice-reference#commit"' in html and 'href="/lessons/git-novice-setup"' in html
    assert 'href="https://git-scm.com/book"' in html
    assert re.search(r'<img src="/media/[0-9a-f]{20}[^"]*\.png" alt="The staging area"', html)
    outside_code = re.sub(r"<code[^>]*>.*?</code>", "", html, flags=re.S)
    assert not [raw for raw in RAW_MARKUP if raw in outside_code]
    assert '<span id="commit"></span>commit' in path.lessons[3].text("en")[0].html


def test_scaffolding_is_not_imported_and_unknown_liquid_is_reported_at_its_line(imported, app):
    assert "_includes" not in imported.output and "404.md" not in imported.output and ".github" not in imported.output
    warnings = [line for line in imported.output.split("\n") if "warning" in line]
    assert len(warnings) == 2  # `{{ msg }}` is inside code: left alone, not reported
    assert "git-novice/_episodes/01-changes.md:16: warning: Liquid variable {{ site.maintainer }}" in warnings[0]
    assert "git-novice/_episodes/02-setup.md:7: warning: Liquid variable {{ site.admin }}" in warnings[1]


def test_a_learner_reads_the_episode_and_never_the_instructor_notes(imported, app):
    for who in (None, "mariam"):
        client = app.test_client()
        if who:
            client.submit("/sign-in", {"username": who, "password": factories.PASSWORD})
        lesson = client.get("/lessons/git-novice-changes")
        assert lesson.status_code == 200 and "Choosing a Message" in lesson.get_data(as_text=True)
        assert "Live-code everything" not in client.get("/paths/git-novice").get_data(as_text=True)


# -- the real git lesson, when the shared corpora are there ---------------------

def code_in(source):
    """Every code span and code block of a Markdown source, as the author wrote them."""
    codes = []
    for token in parser().parse(source):
        if token.type in ("fence", "code_block"):
            codes.append(token.content)
        for child in token.children or []:
            if child.type == "code_inline":
                codes.append(child.content)
    return codes


@pytest.mark.skipif(not GIT_NOVICE.is_dir(), reason="the shared corpora are not on this machine")
def test_the_git_lesson_in_the_legacy_layout_imports_faithfully(runner, admin):
    result = runner.invoke(args=["import-courses", str(GIT_NOVICE)])
    assert result.exit_code == 0, result.output
    assert "image not found" not in result.output and "unknown lesson" not in result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug="carpentries-git-novice-legacy")).scalar_one()
    episodes = sorted(p for p in (GIT_NOVICE / "_episodes").glob("*.md"))
    sources = episodes + [GIT_NOVICE / "setup.md", GIT_NOVICE / "reference.md", GIT_NOVICE / "_extras" / "discuss.md"]
    assert [Path(l.text("en")[0].source_path).name for l in path.lessons] == [p.name for p in sources]
    slugs = {f"/lessons/{l.slug}": l for l in path.lessons}
    for lesson, source in zip(path.lessons, sources):
        text = lesson.text("en")[0]
        header = re.search(r"^title:\s*\"?(.*?)\"?\s*$", source.read_text(), re.M)
        assert text.title == (header.group(1) if header else "Reference")
        html = text.html
        outside_code = re.sub(r"<(code|pre)[^>]*>.*?</\1>", "", html, flags=re.S)
        assert not [raw for raw in RAW_MARKUP if raw in outside_code], source.name
        body = source.read_text()
        assert html.count('<details class="block block-solution">') == body.count("{: .solution}"), source.name
        assert html.count('<div class="block block-challenge">') == len(re.findall(r"^\{: \.challenge\}", body, re.M))
        for code in code_in(body):
            assert escape(code, quote=False) in html.replace("&quot;", '"').replace("&#x27;", "'"), (source.name, code)
        for target in re.findall(r'href="(/lessons/[^"#]*)(?:#([^"]*))?"', html):
            assert target[0] in slugs, (source.name, target)
            if target[1]:
                assert f'id="{target[1]}"' in slugs[target[0]].text("en")[0].html, (source.name, target)
        assert "<em>[" not in html  # an image that was not found
    assert "Instructor Notes" in path.trainer_notes["en"]


def test_an_rmd_lesson_without_its_links_file_is_imported_with_a_warning(runner, tmp_path, admin):
    folder = tmp_path / "r-novice"
    write(folder / "_config.yml", "title: R for beginners\n")
    write(folder / "_episodes" / "README.txt", "built from _episodes_rmd\n")
    write(folder / "_episodes_rmd" / "01-plot.Rmd",
          "---\ntitle: Plotting\n---\n\n```{r}\nplot(1:10)\n```\n\n{% include links.md %}\n")
    result = runner.invoke(args=["import-courses", str(folder)])
    assert result.exit_code == 0, result.output
    assert "r-novice/_episodes_rmd/01-plot.Rmd:9: warning: _includes/links.md not found" in result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug="r-novice")).scalar_one()
    assert [l.text("en")[0].title for l in path.lessons] == ["Plotting"]


def test_a_broken_config_or_a_links_file_outside_the_folder_is_refused_at_its_line(runner, tmp_path, admin):
    folder = legacy_tree(tmp_path)
    write(tmp_path / "secret.md", "[pro-git]: https://secret.example.org\n")
    (folder / "_includes" / "links.md").unlink()
    (folder / "_includes" / "links.md").symlink_to(tmp_path / "secret.md")
    result = runner.invoke(args=["import-courses", "--check", str(folder)])
    assert "git-novice/_episodes/01-changes.md:33: error: _includes/links.md leads outside the course folder" in result.output
    write(folder / "_config.yml", "title: [unclosed\n")
    result = runner.invoke(args=["import-courses", str(folder)])
    assert result.exit_code != 0 and "git-novice/_config.yml:2: error: malformed metadata" in result.output
    assert db.session.execute(db.select(LearningPath).filter_by(slug="git-novice")).scalar_one_or_none() is None


def test_html_links_the_discussion_page_and_an_edited_links_file(runner, tmp_path, admin):
    folder = legacy_tree(tmp_path)
    write(folder / "_episodes" / "02-setup.md",
          '---\ntitle: Setting Up Git\n---\nSee the <a href="{{ page.root }}/reference/#commit">glossary</a> '
          'and <a href="{{ page.root }}{% link _episodes/01-changes.md %}">the changes</a>.\n')
    write(folder / "_extras" / "discuss.md", "---\ntitle: Discussion\n---\n\nWhy not use Dropbox? "
                                             "Read [the book][pro-git].\n\n{% include links.md %}\n")
    result = runner.invoke(args=["import-courses", str(folder)])
    assert result.exit_code == 0, result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug="git-novice")).scalar_one()
    setup = path.lessons[1].text("en")[0].html
    assert 'href="/lessons/git-novice-reference#commit"' in setup and 'href="/lessons/git-novice-changes"' in setup
    # the discussion page answers learners' questions: a lesson for everyone; the guide stays for trainers
    assert [l.slug for l in path.lessons][-1] == "git-novice-discuss"
    assert "Dropbox" in path.lessons[-1].text("en")[0].html and "Dropbox" not in path.trainer_notes["en"]
    assert 'href="https://git-scm.com/book"' in path.lessons[-1].text("en")[0].html
    # an edit of _includes/links.md alone renders again the pages that include it, and only those
    write(folder / "_includes" / "links.md", "[pro-git]: https://git-scm.com/book/fr\n")
    result = runner.invoke(args=["import-courses", str(folder)])
    assert "2 updated" in result.output, result.output  # 01-changes and discuss include it
    db.session.expire_all()
    assert 'href="https://git-scm.com/book/fr"' in path.lessons[-1].text("en")[0].html
