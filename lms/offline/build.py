"""Build a path as one self-contained HTML file she can keep in her phone's Downloads and open with no network.

Everything the file shows is inside it: the lessons in her language, the site's
stylesheet, the reduced lesson images as data: URIs (or a line saying they were
left out, with save data), the recorded readings as data: URIs when she asks for
them (else a line saying where to hear them), and a small script for ticking lessons and grading
checks. Its Content-Security-Policy forbids any request except posting the form
back to the server, so opening it costs nothing and leaks nothing.
"""
import base64
import hashlib
import mimetypes
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext as _
from markupsafe import Markup, escape

from lms.catalogue import queries as catalogue
from lms.catalogue.media import URL_PREFIX, media_folder
from lms.core.database import utcnow
from lms.core.http import static_url
from lms.offline import tokens

SIZE_CACHE_ENTRIES = 256
MAX_IMAGE_BYTES = 4 * 1024 * 1024  # images inlined in one file, at most: past that they are left out
# Recordings inlined in one file, at most (about 90 minutes of reading): base64 makes them a third larger, and a
# cheap phone must still open the file; past that the file is offered without them.
MAX_AUDIO_BYTES = 16 * 1024 * 1024
AUDIO_PREFIX = "data:audio/ogg;base64,"
# Lesson HTML is sanitised and written by the importer: images come as
# <a class="image" href="full"><img ... src="reduced" ...></a>, or as a bare <img>.
IMAGE = re.compile(r'<a class="image" href="[^"]*">\s*(<img\b[^>]*>)\s*</a>|(<img\b[^>]*>)')
ATTRIBUTE = re.compile(r'\b([a-z-]+)="([^"]*)"')
LINK = re.compile(r'<a\b([^>]*)>(.*?)</a>', re.S)
ID = re.compile(r'(?<![\w-])id="([^"]*)"')
# Anything left that could make the file fetch: src/href/srcset/poster/action not pointing inside the file.
FOREIGN = re.compile(r'\s(?:src|href|srcset|poster|action|formaction|background)="(?!#|data:)[^"]*"', re.I)
LESSON_URL = re.compile(r"^/lessons/([^/?#]+)/?(?:#(.*))?$")


@dataclass
class OfflineFile:
    name: str
    html: str

    @property
    def size(self):
        return len(self.html.encode())


def file_name(path, language, day, audio=False):
    """Return the file's name: the path, the language and the day, e.g. website-fr-2026-12-01.html
    (website-fr-2026-12-01-audio.html with the recordings)."""
    return f"{path.slug}-{language}-{day.isoformat()}{'-audio' if audio else ''}.html"


def build_file(user, path, language, action, save_data=False, now=None, audio=False):
    """Return the OfflineFile of this path for this learner, posting her progress to `action` (absolute);
    with `audio`, the lessons' recorded readings are inside it (up to MAX_AUDIO_BYTES)."""
    now = now or utcnow()
    lessons = catalogue.active_lessons(path)
    in_path = {lesson.slug for lesson in lessons}
    token = tokens.issue_token(user, path, lessons)
    sections, checks, budget = [], {}, {"left": MAX_IMAGE_BYTES}
    audio_budget = {"left": MAX_AUDIO_BYTES if audio else 0}
    for module, module_lessons in catalogue.path_outline(path):
        items = []
        for lesson in module_lessons:
            text, fallback = lesson.text(language)
            if text is None:
                continue
            items.append({"lesson": lesson, "text": text, "fallback": fallback,
                          "html": Markup(local_html(text.html, lesson.slug, in_path, save_data, budget)),
                          "audio": [_audio_data_uri(recording, audio_budget) for recording in text.recordings]})
            if text.quiz:
                checks[lesson.slug] = {"language": text.language, "questions": {
                    q["id"]: {"multiple": bool(q["multiple"]), "right": sorted(a["id"] for a in q["answers"] if a["correct"])}
                    for q in text.quiz["questions"]}}
        sections.append((catalogue.localized(module.title, language) if module else None, items))
    with force_locale(language):
        html = render_template(
            "offline/file.html", path=path, title=catalogue.localized(path.title, language), language=language,
            sections=sections, localized=catalogue.localized, user=user, made_on=format_date(now, format="long"),
            expires_on=format_date(tokens.expires_at(now), format="long"), token=token, action=action,
            origin=origin_of(action), stylesheet=Markup(_stylesheet()), save_data=save_data, with_audio=audio,
            script_data={"checks": checks, "pass": path.pass_mark, "store": storage_key(user, path),
                         "strings": _script_strings(path.pass_mark)})
    return OfflineFile(name=file_name(path, language, now.date(), audio), html=html)


def origin_of(url):
    """Return scheme://host[:port] of an absolute URL (what a CSP source names)."""
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def storage_key(user, path):
    """Return the file's localStorage key: opaque, the same for every copy of her file of this path."""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    digest = hashlib.sha256(key + f":lms-file:{user.id}:{path.id}".encode()).hexdigest()[:16]
    return f"lms-file-{digest}"


def _script_strings(pass_mark):
    return {
        "answerAll": _("Answer every question before checking."),
        "score": _("Your answers: %(score)s%% right.", score="{score}"),
        "passed": _("Passed."),
        "again": _("Read the explanations and try again (%(mark)d%% needed).", mark=pass_mark),
        "done": _("You completed this lesson."),
        "pending": _("Steps kept in this file: %(count)s. Each counts once, however often you send them.",
                     count="{n}"),
        "none": _("Nothing to send yet: tick a lesson or answer a check first."),
        "noStorage": _("This browser cannot keep your ticks in the file: send your progress before closing it."),
    }


def local_html(html, slug, in_path, save_data, budget=None):
    """Return a lesson's HTML with nothing pointing outside the file.

    Images become data: URIs (or a line saying they were left out); links to lessons
    of the path jump inside the file; other links keep their words, and an outside
    address is written out as text; ids get the lesson's name in front, since
    several lessons share one page. `budget` ({"left": bytes}) bounds the images inlined.
    """
    budget = {"left": MAX_IMAGE_BYTES} if budget is None else budget
    html = IMAGE.sub(lambda m: _image(m.group(1) or m.group(2), save_data, budget), html)
    html = LINK.sub(lambda m: _link(m.group(1), m.group(2), slug, in_path), html)
    html = ID.sub(lambda m: f'id="{slug}-{m.group(1)}"', html)
    return FOREIGN.sub("", html)


def _image(tag, save_data, budget):
    attributes = dict(ATTRIBUTE.findall(tag))
    alt = attributes.get("alt", "").strip()  # already escaped in the sanitised HTML
    data = None if save_data else _data_uri(attributes.get("src", ""), budget)
    if data is None:
        note = escape(_("Image left out to save data.") if save_data else _("Image not included."))
        return f'<span class="image-left-out">{note}{" " + alt if alt else ""}</span>'
    size = "".join(f' {name}="{attributes[name]}"' for name in ("width", "height") if name in attributes)
    return f'<img src="{data}" alt="{alt}"{size}>'


def _data_uri(source, budget):
    """Return the reduced image at this /media/ URL as a data: URI, or None when it is not there or over budget."""
    if not source.startswith(URL_PREFIX):
        return None
    folder = media_folder(current_app).resolve()
    target = (folder / source.removeprefix(URL_PREFIX)).resolve()
    if folder not in target.parents or not target.is_file():
        return None
    mimetype = mimetypes.guess_type(target.name)[0]
    if not mimetype or not mimetype.startswith("image/") or target.stat().st_size > budget["left"]:
        return None
    budget["left"] -= target.stat().st_size
    return f"data:{mimetype};base64,{base64.b64encode(target.read_bytes()).decode()}"


def _audio_data_uri(audio, budget):
    """Return a recorded reading (Ogg Opus under /media/) as a data: URI, or None when missing or over budget."""
    source = audio.get("url") or ""
    folder = media_folder(current_app).resolve()
    target = (folder / source.removeprefix(URL_PREFIX)).resolve()
    if not source.startswith(URL_PREFIX) or folder not in target.parents or not target.is_file():
        return None
    size = target.stat().st_size
    if size > budget["left"]:
        return None
    budget["left"] -= size
    return AUDIO_PREFIX + base64.b64encode(target.read_bytes()).decode()


def audio_overhead(recordings):
    """Return how many bytes the recordings [(url, bytes)] add to a file, inlined as data: URIs."""
    return sum(len(AUDIO_PREFIX) + 4 * ((size + 2) // 3) + 100 for _url, size in recordings)


def _link(attributes, words, slug, in_path):
    href = dict(ATTRIBUTE.findall(attributes)).get("href", "")
    if href.startswith("#"):
        return f'<a href="#{slug}-{href[1:]}">{words}</a>'
    target = LESSON_URL.match(href)
    if target and target.group(1) in in_path:
        anchor = f"{target.group(1)}-{target.group(2)}" if target.group(2) else f"lesson-{target.group(1)}"
        return f'<a href="#{anchor}">{words}</a>'
    if href.startswith(("http://", "https://")):
        return f'<span class="link">{words}</span> <span class="address">({href})</span>'
    return f'<span class="link">{words}</span>'


def _stylesheet():
    return (Path(current_app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")


def catalogue_version(path):
    """Return a short digest that changes whenever an import changes what the path's file holds."""
    parts = [path.slug, str(path.updated_at), str(path.pass_mark)]
    parts += [f"{m.id}:{m.position}:{m.retired_at}:{m.title}" for m in path.modules]
    parts += [f"{l.id}:{l.slug}:{l.position}:{l.module_id}:{l.updated_at}:{l.retired_at}" for l in path.lessons]
    parts.append(static_url("css/app.css"))  # its name carries its content hash
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


_sizes_lock = Lock()


def file_size(user, path, language, action_of, save_data=False):
    """Return the size in bytes of this path's file, built once per path, language, save data and catalogue version.

    The path page shows it on every view; her name and token change it by a few
    bytes only, so one figure serves everybody. `action_of` gives the form's address,
    asked only when the file is built.
    """
    sizes = current_app.extensions.setdefault("lms.offline_file_sizes", OrderedDict())
    key = (path.id, language, bool(save_data), catalogue_version(path))
    with _sizes_lock:
        if key in sizes:
            sizes.move_to_end(key)
            return sizes[key]
    size = build_file(user, path, language, action_of(), save_data).size
    with _sizes_lock:
        sizes[key] = size
        while len(sizes) > SIZE_CACHE_ENTRIES:
            sizes.popitem(last=False)
    return size
