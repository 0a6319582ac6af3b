"""The one Markdown configuration: render, then sanitise with an allow-list.

Lessons come from files that are not always trustworthy, and feedback from
users: whatever the source, the HTML that reaches a page went through here.
"""
import re
from html import unescape

import nh3

EXTENSIONS = ["tables", "fenced_code", "def_list", "md_in_html", "attr_list", "sane_lists", "abbr", "toc"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-3", "permalink": False}}

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"[^\W_](?:[\w’'-]*[^\W_])?")


def render(text):
    """Render Markdown to sanitised HTML; return (html, toc) where toc lists (level, id, name)."""
    import markdown  # loaded on first use: the server rarely renders Markdown

    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    html = md.convert(text)
    toc = [[token["level"], token["id"], unescape(token["name"])] for token in _flatten(md.toc_tokens)]
    return sanitise(html), toc


def render_inline(text):
    """Render a short Markdown fragment (a quiz answer, a title) without the outer <p>."""
    html, _toc = render(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def sanitise(html):
    """Keep only allowed tags, attributes and URL schemes; links to other sites get rel=noopener."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_local_images_only)


def _local_images_only(tag, attribute, value):
    """Images come from this server only: a page must never make the phone fetch another host."""
    if tag == "img" and attribute == "src" and not value.startswith("/media/"):
        return None
    return value


def plain_text(html):
    """Return the text of an HTML fragment, for counting words and indexing."""
    return re.sub(r"\s+", " ", unescape(_TAGS.sub(" ", html))).strip()


def count_words(text):
    return len(_WORDS.findall(text))


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))
