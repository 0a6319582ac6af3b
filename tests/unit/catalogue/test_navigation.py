"""The order, titles and modules a foreign folder's navigation file gives its lessons."""
from pathlib import Path

import pytest

from lms.catalogue.navigation import UnsafeSidebar, heading_title, js_literal, pages, read_navigation


def write(root, files):
    for name, text in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(root)


def read(path):
    return Path(path).read_text()


def outline(folder):
    """[(module title, lesson file, nav title)] and the notes as 'file:line: message'."""
    nav = read_navigation(folder, read)
    rows = [(" › ".join(p.module) or None, p.file.relative_to(folder).as_posix(), p.title) for p in pages(nav, read)]
    notes = [f"{n.path.relative_to(folder).as_posix()}:{n.line}: {n.message}" for n in nav.notes]
    return nav, rows, notes


MKDOCS = """\
site_name: Shop basics
docs_dir: pages
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - Welcome: index.md
  - prices.md
  - Selling:
    - At the market: selling/market.md
    - Online:
      - Your page: selling/online/page.md
      - selling/online/gone.md
    - Forum: https://example.org/forum
  - Money: money.md
not_in_nav: |
  /drafts/
  private-*.md
"""


def test_mkdocs_nav_gives_order_titles_and_modules_and_names_what_is_wrong(tmp_path):
    folder = write(tmp_path / "site", {
        "mkdocs.yml": MKDOCS, "pages/index.md": "# Home\n", "pages/prices.md": "# Prices\n",
        "pages/selling/market.md": "# Market\n", "pages/selling/online/page.md": "# Page\n",
        "pages/money.md": "# Money\n", "pages/draft.md": "# Not in the nav\n",
        "pages/selling/private-notes.md": "# Mine\n", "pages/drafts/later.md": "# Later\n"})
    nav, rows, notes = outline(folder)
    assert nav.kind == "mkdocs" and nav.title == "Shop basics" and nav.root == folder / "pages"
    assert rows == [
        (None, "pages/index.md", "Welcome"),
        (None, "pages/prices.md", None),  # the page's own heading will title it
        ("Selling", "pages/selling/market.md", "At the market"),
        ("Selling › Online", "pages/selling/online/page.md", "Your page"),
        ("Money", "pages/money.md", "Money"),  # after modules, a page gets its own: the outline keeps the order
    ]
    assert "mkdocs.yml:13: selling/online/gone.md is in the navigation but not in the folder: skipped" in notes
    assert any(n.startswith("pages/draft.md:None: not in the navigation of mkdocs.yml: left out") for n in notes)
    assert len(notes) == 2  # the remote link is simply not a lesson


def test_mkdocs_literate_nav_folders_read_their_own_nav_file(tmp_path):
    folder = write(tmp_path / "docs-site", {
        "mkdocs.yml": "site_name: X\nnav:\n  - Home: index.md\n  - Guide: guide/\nplugins:\n  - search\n"
                      "  - literate-nav:\n      nav_file: README.md\n      implicit_index: true\n",
        "docs/index.md": "# X\n",
        "docs/guide/README.md": "# Guide\n\nRead in order:\n\n- [Install](install.md)\n- [Use it](use.md)\n\n"
                                "[Home]: ../index.md\n",
        "docs/guide/install.md": "# Install\n", "docs/guide/use.md": "# Use\n"})
    _nav, rows, notes = outline(folder)
    assert rows == [(None, "docs/index.md", "Home"), ("Guide", "docs/guide/README.md", None),
                    ("Guide", "docs/guide/install.md", "Install"), ("Guide", "docs/guide/use.md", "Use it")]
    assert notes == []


def test_a_broken_mkdocs_yml_is_a_warning_with_its_line(tmp_path):
    folder = write(tmp_path / "site", {"mkdocs.yml": "nav:\n  - A: a.md\n  - [broken\n", "docs/a.md": "# A\n"})
    nav, _rows, notes = outline(folder)
    assert notes and notes[0].startswith("mkdocs.yml:4: cannot read the navigation")
    assert nav.kind == "folders" and [p.file.name for p in pages(nav)] == ["a.md"]  # nothing lost


GITBOOK_SUMMARY = """\
# Table of contents

* [Introduction](README.md)

## Installations

* [Overview](installations/README.md)
* [Linux](installations/linux.md)
  * [Ubuntu](installations/linux/ubuntu.md)
    * [Focal](installations/linux/focal.md)
* [Mac](installations/mac.md)
* [Missing](installations/windows.md)

## Using it

* [First steps](using/first-steps.md)
"""


def test_gitbook_summary_gives_order_titles_and_modules_and_is_no_lesson(tmp_path):
    folder = write(tmp_path / "book", {
        "SUMMARY.md": GITBOOK_SUMMARY, "README.md": "# Intro\n", "installations/README.md": "# Overview\n",
        "installations/linux.md": "# Linux\n", "installations/linux/ubuntu.md": "# Ubuntu\n",
        "installations/linux/focal.md": "# Focal\n", "installations/mac.md": "# Mac\n",
        "using/first-steps.md": "# First\n", "using/not-listed.md": "# Not listed\n"})
    _nav, rows, notes = outline(folder)
    assert rows == [
        (None, "README.md", "Introduction"),
        ("Installations", "installations/README.md", "Overview"),
        ("Installations", "installations/mac.md", "Mac"),  # a module's lessons stay together
        ("Installations › Linux", "installations/linux.md", "Linux"),  # a page with pages under it opens one
        ("Installations › Linux › Ubuntu", "installations/linux/ubuntu.md", "Ubuntu"),
        ("Installations › Linux › Ubuntu", "installations/linux/focal.md", "Focal"),
        ("Using it", "using/first-steps.md", "First steps"),
    ]
    assert notes[1].startswith("using/not-listed.md:None: not in the navigation of SUMMARY.md: left out")
    assert notes[:1] == ["SUMMARY.md:12: installations/windows.md is in the navigation but not in the folder: skipped"]


def test_mdbook_summary_with_parts_prefix_chapters_and_drafts(tmp_path):
    folder = write(tmp_path / "book", {
        "book.toml": '[book]\ntitle = "The market book"\n',
        "src/SUMMARY.md": "# Summary\n\n[Preface](preface.md)\n\n# Basics\n\n- [Stall](stall.md)\n"
                          "- [Later]()\n    - [Sub](sub.md)\n\n---\n\n[Thanks](thanks.md)\n",
        "src/preface.md": "P\n", "src/stall.md": "S\n", "src/sub.md": "Sub\n", "src/thanks.md": "T\n"})
    nav, rows, notes = outline(folder)
    assert nav.title == "The market book" and notes == []
    assert [(m, f) for m, f, _t in rows] == [
        (None, "src/preface.md"), ("Basics", "src/stall.md"), ("Basics › Later", "src/sub.md"),
        ("Thanks", "src/thanks.md")]  # a suffix chapter after the parts: its own module keeps the order


JB_TOC = """\
format: jb-book
root: intro
parts:
  - caption: Getting started
    chapters:
      - file: start/why
        sections:
          - file: start/how
            title: How it works
          - url: https://example.org
            title: Elsewhere
  - caption: Going further
    chapters:
      - file: further/notebook
      - file: further/more
"""


def test_jupyter_book_toc_gives_root_parts_chapters_and_sections(tmp_path):
    folder = write(tmp_path / "jb", {
        "_toc.yml": JB_TOC, "_config.yml": "title: Data for decisions\n", "intro.md": "# Intro\n",
        "start/why.md": "# Why count\n", "start/how.md": "# How\n", "further/notebook.ipynb": "{}",
        "further/more.md": "# More\n"})
    nav, rows, notes = outline(folder)
    assert nav.title == "Data for decisions"
    assert rows == [(None, "intro.md", None), ("Getting started › Why count", "start/why.md", None),
                    ("Getting started › Why count", "start/how.md", "How it works"),
                    ("Going further", "further/more.md", None)]
    assert notes == ["_toc.yml:14: further/notebook.ipynb: only Markdown pages are imported: skipped"]


DOCUSAURUS_SIDEBARS = """\
// @ts-check
/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
const sidebars = {
  tutorialSidebar: [
    'intro',
    {
      type: 'category',
      label: "Tutorial \\u2013 basics",
      link: {type: 'doc', id: 'basics/overview'},
      items: ['basics/create-a-page', {type: 'doc', id: 'basics/deploy', label: `Deploy it`}, 'basics/gone'],
    },
    {type: 'link', label: 'Blog', href: 'https://example.org'},
    {type: 'autogenerated', dirName: 'extras'},
  ],
};

module.exports = sidebars;
"""


def test_docusaurus_sidebar_literal_is_parsed_not_run(tmp_path):
    folder = write(tmp_path / "site", {
        "sidebars.js": DOCUSAURUS_SIDEBARS, "docs/intro.md": "# Intro\n",
        "docs/01-basics/overview.md": "# Overview\n", "docs/01-basics/02-create-a-page.md": "# Create\n",
        "docs/01-basics/03-deploy.md": "# Deploy\n",
        "docs/extras/b.md": "---\nsidebar_position: 1\n---\n# B\n", "docs/extras/a.md": "# A\n",
        "docs/unlisted.md": "# Unlisted\n", "docs/extras/c.mdx": "import X from 'x';\n<X/>\n"})
    nav, rows, notes = outline(folder)
    assert nav.kind == "docusaurus"
    assert rows == [(None, "docs/intro.md", None),
                    ("Tutorial – basics", "docs/01-basics/overview.md", "Tutorial – basics"),
                    ("Tutorial – basics", "docs/01-basics/02-create-a-page.md", None),
                    ("Tutorial – basics", "docs/01-basics/03-deploy.md", "Deploy it"),
                    ("B", "docs/extras/b.md", None), ("A", "docs/extras/a.md", None)]
    assert notes[0] == "sidebars.js:10: the doc 'basics/gone' is in the sidebar but not in the folder: skipped"
    assert notes[1] == "docs/extras/c.mdx:None: an MDX page (Markdown with JSX components) is not imported: skipped"
    assert notes[2].startswith("docs/unlisted.md:None: not in the navigation of sidebars.js") and len(notes) == 3


def test_a_docusaurus_sidebar_that_is_a_program_falls_back_to_categories_and_positions(tmp_path):
    folder = write(tmp_path / "site", {
        "sidebars.js": "const items = require('./items');\nmodule.exports = {\n  docs: items.map(x => x),\n};\n",
        "docs/intro.md": "---\nsidebar_position: 0\n---\n# Intro\n",
        "docs/guides/_category_.json": '{"label": "Guides", "position": 1}',
        "docs/guides/second.md": "---\nsidebar_position: 2\nsidebar_label: Second steps\n---\n# 2\n",
        "docs/guides/first.md": "---\nsidebar_position: 1\n---\n# First\n",
        "docs/tutorial/_category_.json": '{"label": "Tutorial",\n "position": 0}'})
    nav, rows, notes = outline(folder)
    assert nav.kind == "folders"
    assert notes == ["sidebars.js:3: cannot read this sidebar safely (items is not plain data): "
                     "the order comes from _category_.json and sidebar_position instead"]
    assert rows == [(None, "docs/intro.md", None), ("Guides", "docs/guides/first.md", None),
                    ("Guides", "docs/guides/second.md", "Second steps")]


def test_plain_folders_deeper_than_one_level_become_modules_and_lose_nothing(tmp_path):
    files = {"README.md": "# Course\n", "LICENSE.md": "CC BY\n", "01-start.md": "# Start\n",
             "02-installations/README.md": "# Installations\n", "02-installations/linux/01-ubuntu.md": "# U\n",
             "02-installations/linux/02-fedora.md": "# F\n", "02-installations/mac.md": "# Mac\n",
             "02-installations/linux/deeper/still/arch.md": "# Arch\n", ".github/PULL_REQUEST.md": "x\n",
             "_includes/partial.md": "x\n", "03-end.md": "# End\n"}
    folder = write(tmp_path / "course", files)
    nav, rows, notes = outline(folder)
    assert nav.kind == "folders" and notes == []
    assert rows == [
        (None, "01-start.md", None),
        ("Installations", "02-installations/README.md", None),
        ("Installations", "02-installations/mac.md", None),
        ("Installations › Linux", "02-installations/linux/01-ubuntu.md", None),
        ("Installations › Linux", "02-installations/linux/02-fedora.md", None),
        ("Installations › Linux › Deeper › Still", "02-installations/linux/deeper/still/arch.md", None),
        ("End", "03-end.md", None),
    ]


def test_lessons_yaml_orders_a_plain_folder_and_unlisted_files_come_after(tmp_path):
    folder = write(tmp_path / "course", {
        "lessons.yaml": "- Welcome: welcome.md\n- Selling:\n  - b.md\n  - Prices: a.md\n- nowhere.md\n",
        "welcome.md": "# Hi\n", "a.md": "# A\n", "b.md": "# B\n", "zz-extra.md": "# Extra\n"})
    nav, rows, notes = outline(folder)
    assert nav.kind == "lessons.yaml"
    assert rows == [(None, "welcome.md", "Welcome"), ("Selling", "b.md", None), ("Selling", "a.md", "Prices"),
                    ("Extra", "zz-extra.md", None)]
    assert notes == ["lessons.yaml:5: nowhere.md is in the navigation but not in the folder: skipped",
                     "zz-extra.md:None: not listed in lessons.yaml: added after the lessons it lists"]


def test_navigation_never_names_a_file_outside_the_folder(tmp_path):
    (tmp_path / "secret.md").write_text("# Secret\n")
    folder = write(tmp_path / "course", {"lessons.yaml": "- ../secret.md\n- /etc/passwd\n- a.md\n", "a.md": "# A\n"})
    _nav, rows, notes = outline(folder)
    assert rows == [(None, "a.md", None)]
    assert notes[0] == "lessons.yaml:1: ../secret.md is outside the folder: skipped"
    assert notes[1].startswith("lessons.yaml:2: /etc/passwd is in the navigation but not in the folder")


def test_js_literal_reads_data_and_refuses_programs():
    assert js_literal("export default {a: ['x', \"y\", `z`,], 'b c': {n: 1.5, t: true, f: null}} satisfies X;") \
        == {"a": ["x", "y", "z"], "b c": {"n": 1.5, "t": True, "f": None}}
    assert js_literal("const s: SidebarsConfig = {d: ['a' /* c */]}; // x\nexport default s;") == {"d": ["a"]}
    for program in ("module.exports = {a: [...other]};", "module.exports = {a: `${x}`};",
                    "module.exports = require('fs').readFileSync('/etc/passwd');", "const a = 1;"):
        with pytest.raises(UnsafeSidebar):
            js_literal(program)


def test_heading_title_knows_setext_front_matter_and_code_fences():
    assert heading_title("Intro text\n=========\n") == "Intro text"
    assert heading_title("---\ntitle: From the header\n---\n# Heading\n") == "From the header"
    assert heading_title("```\n# not a heading\n```\n### Third level {#id}\n") == "Third level"
    assert heading_title("no heading at all\n") is None


def test_hostile_navigations_cost_little_and_never_raise(tmp_path):
    folder = write(tmp_path / "loops", {
        "mkdocs.yml": "nav:\n  - &a {Loop: [*a]}\n  - Deep: " + "[{D: " * 40 + "a.md" + "}]" * 40 + "\n"
                      "  - Guide: guide/\nplugins:\n  - literate-nav:\n      nav_file: NAV.md\n",
        "docs/a.md": "# A\n", "docs/guide/NAV.md": "- [Again](../guide/)\n- [B](b.md)\n" + "".join(
            "  " * n + f"- [x{n}](x{n}.md)\n" for n in range(200)),
        "docs/guide/b.md": "# B\n"})
    nav, rows, notes = outline(folder)
    assert ("Guide", "docs/guide/b.md", "B") in rows
    assert any("nested deeper than 12 levels" in n for n in notes)
    assert "docs/guide/NAV.md:1: guide/ is already in the navigation: skipped" in notes


def test_a_jupyter_book_glob_reads_only_inside_the_folder(tmp_path):
    folder = write(tmp_path / "jb", {
        "_toc.yml": "format: jb-book\nroot: intro\nchapters:\n  - glob: notes/*\n  - glob: /etc/*\n"
                    "  - glob: ../*\n",
        "intro.md": "# Intro\n", "notes/b.md": "# B\n", "notes/a.md": "# A\n"})
    (tmp_path / "outside.md").write_text("# Outside\n")
    _nav, rows, notes = outline(folder)
    assert [f for _m, f, _t in rows] == ["intro.md", "notes/a.md", "notes/b.md"] and notes == []


def test_many_files_left_out_are_named_twenty_then_counted(tmp_path):
    files = {f"page-{n:02d}.md": f"# P{n}\n" for n in range(30)}
    folder = write(tmp_path / "book", {"SUMMARY.md": "- [One](page-00.md)\n", **files})
    _nav, rows, notes = outline(folder)
    assert len(rows) == 1 and len(notes) == 21
    assert notes[-1].startswith("SUMMARY.md:None: 9 more files: not in the navigation of SUMMARY.md: left out")
