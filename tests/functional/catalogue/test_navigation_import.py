"""A trainer imports a folder written with MkDocs, GitBook, mdBook, Jupyter Book or Docusaurus:
its lessons come in the order, with the titles and in the sections its own navigation gives."""
import re
from pathlib import Path

import pytest

from lms.catalogue.models import LearningPath
from lms.extensions import db

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "mkdocs-docs"
TEXT = "This is the page for the shop, and you read it with the others in the group.\n"


def write(root, files):
    for name, text in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(root)


def imported(runner, folder, slug):
    result = runner.invoke(args=["import-courses", str(folder)])
    assert result.exit_code == 0, result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug=slug)).scalar_one()
    lessons = [l for l in path.lessons if l.retired_at is None]
    rows = [(l.module.title["en"] if l.module else None, l.text("en")[0].title) for l in lessons]
    return result, path, lessons, rows


def test_an_mkdocs_site_imports_in_nav_order_with_nav_titles_and_sections(runner, tmp_path):
    folder = write(tmp_path / "shop-site", {
        "mkdocs.yml": "site_name: Shop basics\nnav:\n  - Welcome: index.md\n  - Selling:\n"
                      "    - At the market: selling/market.md\n    - Online:\n      - selling/online/page.md\n"
                      "      - selling/online/gone.md\n  - Money: money.md\n"
                      "theme:\n  icon: !!python/name:material.icons.shop\n",
        "docs/index.md": "# Shop basics\n\n" + TEXT, "docs/selling/market.md": "# The market\n\n" + TEXT,
        "docs/selling/online/page.md": "Your page\n=========\n\n" + TEXT, "docs/money.md": "# Money\n\n" + TEXT,
        "docs/draft.md": "# Draft\n\n" + TEXT})
    result, path, lessons, rows = imported(runner, folder, "shop-site")
    assert path.title["en"] == "Shop basics"
    assert rows == [(None, "Welcome"), ("Selling", "At the market"), ("Selling › Online", "Your page"),
                    ("Money", "Money")]
    assert "shop-site/mkdocs.yml:8: warning: selling/online/gone.md is in the navigation but not in the folder" \
        in result.output
    assert "shop-site/docs/draft.md: warning: not in the navigation of mkdocs.yml: left out" in result.output
    money = lessons[-1].text("en")[0]
    assert "<h2" not in money.html and "Money" not in money.html  # the heading is the title, not shown twice
    assert '<h2 id="the-market">The market</h2>' in lessons[1].text("en")[0].html  # another heading stays


def test_a_gitbook_keeps_every_nested_page_and_summary_is_no_lesson(runner, tmp_path):
    folder = write(tmp_path / "field-book", {
        "SUMMARY.md": "# Summary\n\n* [Introduction](README.md)\n\n## Installations\n\n"
                      "* [Overview](installations/README.md)\n* [Linux](installations/linux.md)\n"
                      "  * [Ubuntu](installations/linux/ubuntu.md)\n  * [Fedora](installations/linux/fedora.md)\n"
                      "* [Mac](installations/mac.md)\n",
        "README.md": "# Field book\n\n" + TEXT, "installations/README.md": "# Overview\n\n" + TEXT,
        "installations/linux.md": "# Linux\n\n" + TEXT, "installations/linux/ubuntu.md": "# Ubuntu\n\n" + TEXT,
        "installations/linux/fedora.md": "# Fedora\n\n" + TEXT, "installations/mac.md": "# Mac\n\n" + TEXT})
    _result, _path, lessons, rows = imported(runner, folder, "field-book")
    assert rows == [(None, "Introduction"), ("Installations", "Overview"), ("Installations", "Mac"),
                    ("Installations › Linux", "Linux"), ("Installations › Linux", "Ubuntu"),
                    ("Installations › Linux", "Fedora")]
    assert not any("summary" in l.slug for l in lessons)


def test_an_mdbook_reads_its_summary_under_src(runner, tmp_path):
    folder = write(tmp_path / "market-book", {
        "book.toml": '[book]\ntitle = "The market book"\n',
        "src/SUMMARY.md": "# Summary\n\n[Preface](preface.md)\n\n- [Stall](chapter/stall.md)\n"
                          "- [Prices](chapter/prices.md)\n",
        "src/preface.md": "# Preface\n\n" + TEXT, "src/chapter/stall.md": "# Stall\n\n" + TEXT,
        "src/chapter/prices.md": "# Prices\n\n" + TEXT})
    _result, path, lessons, rows = imported(runner, folder, "market-book")
    assert path.title["en"] == "The market book"
    assert rows == [(None, "Preface"), (None, "Stall"), (None, "Prices")]
    assert [l.slug for l in lessons] == ["market-book-preface", "market-book-chapter-stall",
                                         "market-book-chapter-prices"]


def test_a_jupyter_book_imports_root_parts_and_sections(runner, tmp_path):
    folder = write(tmp_path / "data-book", {
        "_config.yml": "title: Data for decisions\n",
        "_toc.yml": "format: jb-book\nroot: intro\nparts:\n  - caption: Counting\n    chapters:\n"
                    "      - file: count/why\n        sections:\n          - file: count/how\n"
                    "  - caption: Deciding\n    chapters:\n      - file: decide\n        title: Make the call\n",
        "intro.md": "# Welcome\n\n" + TEXT, "count/why.md": "# Why count\n\n" + TEXT,
        "count/how.md": "# How to count\n\n" + TEXT, "decide.md": "# Decide\n\n" + TEXT})
    _result, path, _lessons, rows = imported(runner, folder, "data-book")
    assert path.title["en"] == "Data for decisions"
    assert rows == [(None, "Welcome"), ("Counting › Why count", "Why count"), ("Counting › Why count", "How to count"),
                    ("Deciding", "Make the call")]


def test_a_docusaurus_site_follows_its_sidebar_and_categories(runner, tmp_path):
    folder = write(tmp_path / "doc-site", {
        "sidebars.js": "module.exports = {\n  docs: [\n    'intro',\n    {type: 'category', label: 'Guides',"
                       " items: [{type: 'autogenerated', dirName: 'guides'}]},\n  ],\n};\n",
        "docs/intro.md": "# Intro\n\n" + TEXT,
        "docs/guides/_category_.json": '{"label": "Guides"}',
        "docs/guides/b.md": "---\nsidebar_position: 1\nsidebar_label: First guide\n---\n# B\n\n" + TEXT,
        "docs/guides/a.md": "---\nsidebar_position: 2\n---\n# Second guide\n\n" + TEXT})
    _result, _path, _lessons, rows = imported(runner, folder, "doc-site")
    assert rows == [(None, "Intro"), ("Guides", "First guide"), ("Guides", "Second guide")]


def test_a_plain_folder_of_nested_folders_loses_no_lesson(runner, tmp_path):
    folder = write(tmp_path / "odin-like", {
        "README.md": "# Odin like\n\n" + TEXT, "01-foundations/01-start.md": "# Start\n\n" + TEXT,
        "02-installations/linux/01-ubuntu.md": "# Ubuntu\n\n" + TEXT,
        "02-installations/linux/02-fedora.md": "# Fedora\n\n" + TEXT,
        "02-installations/01-overview.md": "# Overview\n\n" + TEXT,
        "02-installations/mac/deeper/brew.md": "# Brew\n\n" + TEXT})
    result, _path, lessons, rows = imported(runner, folder, "odin-like")
    assert rows == [("Foundations", "Start"), ("Installations", "Overview"), ("Installations › Linux", "Ubuntu"),
                    ("Installations › Linux", "Fedora"), ("Installations › Mac › Deeper", "Brew")]
    assert len({l.slug for l in lessons}) == 5
    again = runner.invoke(args=["import-courses", str(folder), "--check"])
    assert "retired" not in again.output or " 0 retired" in again.output or "retired: 0" in again.output


def test_lessons_yaml_orders_a_plain_folder_and_a_new_title_is_taken_on_the_next_import(runner, tmp_path):
    folder = write(tmp_path / "my-course", {
        "lessons.yaml": "- Welcome: welcome.md\n- Selling:\n  - b.md\n  - Prices: a.md\n",
        "welcome.md": "# Hello\n\n" + TEXT, "a.md": "# A\n\n" + TEXT, "b.md": "# B\n\n" + TEXT,
        "extra.md": "# Extra\n\n" + TEXT})
    result, _path, _lessons, rows = imported(runner, folder, "my-course")
    assert rows == [(None, "Welcome"), ("Selling", "B"), ("Selling", "Prices"), ("Extra", "Extra")]
    assert "my-course/extra.md: warning: not listed in lessons.yaml: added after the lessons it lists" \
        in result.output
    (folder / "lessons.yaml").write_text("- Selling:\n  - Prices first: a.md\n  - b.md\n- Welcome: welcome.md\n"
                                         "- extra.md\n")
    _result, _path, _lessons, rows = imported(runner, folder, "my-course")
    assert rows == [("Selling", "Prices first"), ("Selling", "B"), ("Welcome", "Welcome"), ("Extra", "Extra")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared MkDocs corpus is not here")
def test_mkdocs_own_documentation_comes_in_its_nav_order(runner, client, admin):
    result, path, lessons, rows = imported(runner, CORPUS, "mkdocs-docs")
    assert path.title["en"] == "MkDocs"
    titles = [title for _module, title in rows]
    assert titles[:2] == ["Home", "Getting Started"]
    assert titles[3:11] == ["Installation", "Writing Your Docs", "Choosing Your Theme", "Customizing Your Theme",
                            "Localizing Your Theme", "Configuration", "Command Line Interface",
                            "Deploying Your Docs"]  # the order of user-guide/README.md (literate-nav)
    # the command line page is a plugin's directive: said at its line, and to the reader, in place of it
    assert "docs/user-guide/cli.md:3: warning: '::: mkdocs-click' asks a site generator's plugin" in result.output
    cli = next(l for l in lessons if l.text("en")[0].title == "Command Line Interface").text("en")[0].html
    assert "Not included here: the part a plugin of the site writes from “mkdocs-click”." in cli
    assert ":module:" not in cli
    assert titles[-3:] == ["Release Notes", "Contributing", "License"]
    assert [m for m, _t in rows if m][-1] == "About" and "Developer Guide" in {m for m, _t in rows}
    files = {t.source_path.split("docs/", 1)[1] for l in lessons for t in l.texts}
    assert len(lessons) == 19 and not any(name.lower().endswith("summary.md") for name in files)
    for lesson in lessons:
        html = lesson.text("en")[0].html
        for raw in ("!!! ", "{: ", 'markdown="1"', "\n#", "```", "](", ":::"):  # ({{ }} is MkDocs' own subject)
            assert raw not in re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S), (lesson.slug, raw)


def test_a_page_in_two_languages_is_one_lesson_in_its_nav_place(runner, tmp_path):
    folder = write(tmp_path / "two-languages", {
        "mkdocs.yml": "nav:\n  - Start: start.md\n  - Selling:\n    - Prices: prices.en.md\n",
        "docs/start.md": "# Start\n\n" + TEXT, "docs/prices.en.md": "# Prices\n\n" + TEXT,
        "docs/prices.fr.md": "# Les prix\n\nLa page des prix de la boutique, avec les ventes de la semaine.\n"})
    result, path, lessons, rows = imported(runner, folder, "two-languages")
    assert rows == [(None, "Start"), ("Selling", "Prices")]
    assert lessons[1].text("fr")[0].title == "Les prix" and "not in the navigation" not in result.output
    assert [m.slug for m in path.modules if m.retired_at is None] == ["selling"]
