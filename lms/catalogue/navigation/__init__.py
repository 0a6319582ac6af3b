"""Order, titles and depth of a foreign folder's lessons, from the navigation file its tool keeps.

Pure functions: a folder and a way to read its files in; an ordered tree of
entries (a title, a file, children) and the problems found, each at file:line,
out. Nothing is rendered or stored here: PlainReader turns the tree into modules
and lessons. Files are only ever read through the callables the reader passes,
so the folder's confinement holds for navigation files too.

The first of these that the folder holds gives the order (see courses/README.md):
  lessons.yaml  ours: a list in MkDocs' nav syntax; files it leaves out come after it, with a warning
  mkdocs.yml    `nav:` under docs_dir (and the literate-nav plugin's Markdown nav files)
  _toc.yml      Jupyter Book (jb-book: root, chapters or parts, sections; jb-article: sections)
  SUMMARY.md    GitBook and mdBook: its nested list; never a lesson itself
  sidebars.js   Docusaurus: a plain object literal, read by a small parser and never run
  (none)        the folders: `_category_.json`, `sidebar_position`, number prefixes, names
With a tool's navigation, files it does not list are left out with a warning
each, as the tool leaves them out of its navigation (or of the book).
"""
from pathlib import Path

from lms.catalogue.navigation.builder import Builder
from lms.catalogue.navigation.js_literal import UnsafeSidebar, js_literal
from lms.catalogue.navigation.tree import (
    ORDER_FILE, Entry, Navigation, Note, Page, front_matter, heading_title, name_title, page_title, pages,
)

__all__ = ["ORDER_FILE", "Entry", "Navigation", "Note", "Page", "UnsafeSidebar", "front_matter", "heading_title",
           "js_literal", "name_title", "page_title", "pages", "read_navigation"]


def read_navigation(folder, read_text, peek=None):
    """Return the Navigation of `folder`; `read_text(path)` reads a navigation file (and reports
    why it cannot), `peek(path)` reads a lesson's front matter quietly (its reading reports)."""
    return Builder(Path(folder), read_text, peek or read_text).build()

