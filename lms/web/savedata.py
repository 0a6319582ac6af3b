"""Save data: when the learner or her browser asks, lesson images become links, loaded only when tapped."""
import re

from flask import request
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup, escape

from lms.core.hooks import page_context
from lms.web.offline import media_size

# Lesson HTML is sanitised and written by the importer: images come as
# <a class="image" href="full"><img ... src="reduced" ...></a>, or as a bare <img>.
IMAGE = re.compile(r'<a class="image" href="[^"]*">\s*<img\b([^>]*)>\s*</a>|<img\b([^>]*)>')
ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"')


def save_data_requested():
    """Return True when the browser sends Save-Data: on or the learner chose to save data."""
    if request.headers.get("Save-Data", "").strip().lower() == "on":
        return True
    return bool(current_user.is_authenticated and getattr(current_user, "save_data", False))


def images_as_links(html, size_of):
    """Replace each image by a link to its reduced file, labelled with its size."""
    def link(match):
        attributes = dict(ATTRIBUTE.findall(match.group(1) or match.group(2)))
        source = attributes.get("src")
        if not source:
            return ""
        size = size_of(source)
        label = escape(gettext("Show image (%(size)d KB)", size=max(1, round(size / 1024))) if size
                       else gettext("Show image"))
        alt = attributes.get("alt", "").strip()  # already escaped in the sanitised HTML
        return f'<a class="image-link" href="{source}">{label}</a>' + (f" <span>{alt}</span>" if alt else "")
    return Markup(IMAGE.sub(link, html))


@page_context.connect_via("catalogue.show_lesson")
def lesson_without_images(_sender, text, **_extra):
    if not save_data_requested():
        return None
    return {"content_html": images_as_links(text.html, media_size)}
