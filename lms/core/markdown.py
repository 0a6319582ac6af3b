"""The one Markdown configuration: render, then sanitise with an allow-list.

Lessons come from files that are not always trustworthy, and feedback from
users: whatever the source, the HTML that reaches a page went through here.
Two profiles: course lessons (`render`) may style boxes with classes and carry
heading ids for their table of contents; what people type (`render_user_text`:
mentors' feedback and any other user-written Markdown) gets no class, no id and
no HTML blocks, so it can neither look like the site's own buttons nor clash
with the page's anchors.
"""
import posixpath
import re
from html import unescape
from urllib.parse import unquote

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
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}, "span": {"id"},  # anchors
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

USER_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
USER_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
USER_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
MEDIA_PREFIX = "/media/"
_TAGS = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r"^[A-Za-z0-9][\w.:-]{0,100}$")
PAGE_IDS = {"main", "menu", "content", "search", "nav", "header", "footer"}
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


def render_user_text(text):
    """Render Markdown a person typed (feedback, notes) to HTML through the strict user profile."""
    import markdown

    return sanitise_user_html(markdown.markdown(text, extensions=USER_EXTENSIONS, output_format="html"))


def sanitise(html):
    """Keep only allowed tags, attributes and URL schemes; links to other sites get rel=noopener."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_media_images_only)


def sanitise_user_html(html):
    """Sanitise HTML made from what a person typed: the lesson allow-list without classes, ids or boxes.

    Also applied when stored feedback is shown, so that HTML stored under older rules is held to these.
    """
    cleaned = nh3.clean(html, tags=USER_TAGS, attributes=USER_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_media_images_only)
    return _IMAGE_WITHOUT_SOURCE.sub(lambda m: m.group(1) or "", cleaned)  # another site's picture: its words


# An image whose address was refused (another site's): its alt text stands in its place, not a broken picture.
_IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?![^>]*\ssrc=)(?:[^>]*?\salt="([^"]*)")?[^>]*>')


def _media_images_only(tag, attribute, value):
    """Images come from this server's media folder only.

    A page must never make the phone fetch another host, nor make the reader's
    browser request one of our own pages in her name (`/media/../sign-out`).
    """
    if tag == "img" and attribute == "src":
        return value if media_path(value) else None
    if attribute == "id":  # an anchor: a plain name only, never one of the page's own (#main, #menu…)
        return value if _ANCHOR.match(value) and value not in PAGE_IDS else None
    return value


def media_path(url):
    """Return True when a URL names a file inside /media/ once percent-decoded and normalised.

    Browsers resolve `..`, `%2e%2e` and backslashes before they send a request, so
    any of them, an empty segment (`//`), a query, a fragment or a control character
    makes the URL refused rather than interpreted.
    """
    decoded = url
    for _ in range(3):  # %252e%252e decodes to %2e%2e, then to ..
        decoded, previous = unquote(decoded), decoded
        if decoded == previous:
            break
    else:
        return False
    if not decoded.startswith(MEDIA_PREFIX) or len(decoded) == len(MEDIA_PREFIX):
        return False
    if any(c in decoded for c in "\\?#") or "//" in decoded or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        return False
    return posixpath.normpath(decoded) == decoded and ".." not in decoded


def plain_text(html):
    """Return the text of an HTML fragment, for counting words and indexing."""
    return re.sub(r"\s+", " ", unescape(_TAGS.sub(" ", html))).strip()


def count_words(text):
    return len(_WORDS.findall(text))


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))
