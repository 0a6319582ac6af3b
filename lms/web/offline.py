"""Offline: the service worker, the web app manifest, the offline page and what a saved path needs."""
import hashlib
import hmac
import json
import re
from pathlib import Path

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user

from lms.catalogue import queries as catalogue
from lms.catalogue.media import media_folder
from lms.catalogue.steps import split_steps
from lms.core.hooks import page_context
from lms.core.http import ONE_YEAR, static_url
from lms.web.views import bp

BRAND_COLOUR = "#7a2e8e"
# The app shell: precached by the service worker, so any page can show offline.
# The PNG icons are only for the home screen: the browser fetches them when she installs the app.
# recorder.js and community.js belong to the lesson page (its voice note fields and questions), which reads offline.
SHELL_FILES = ("css/app.css", "js/offline-store.js", "js/app.js", "js/listen.js", "js/recorder.js", "js/community.js",
               "icons/icon.svg")
IMAGE_SOURCE = re.compile(r'<img\b[^>]*\bsrc="(/media/[^"]+)"')
# What the script says, fetched once per language and kept for a year, rather than sent in every page.
STRINGS = {
    "queued": _l("Saved on this phone. It will be sent when you are back online."),
    "waiting": _l("Progress saved on this phone, waiting to be sent: {n}."),
    "sent": _l("The progress saved on this phone has been sent."),
    "rejected": _l("This progress was not recorded:"),
    "dismiss": _l("Dismiss"),
    "signInAgain": _l("Sign in again to send the progress saved on this phone."),
    "answerAll": _l("Answer every question before checking."),
    "save": _l("Save this path for offline"),
    "saving": _l("Saving for offline: {done} of {total}…"),
    "saved": _l("Saved on this phone for offline reading ({size})."),
    "remove": _l("Remove from this phone"),
    "saveFailed": _l("Saving stopped. Check your connection and try again."),
    "storage": _l("This site uses {size} on this phone."),
    "signOutOffline": _l("You are offline. Sign out when you are back online, so that your progress is sent first."),
    "signOutUnsent": _l("Some progress saved on this phone could not be sent yet. Sign out anyway and lose it?"),
    "withAudio": _l("Include the recordings ({size})"),
    "audioKept": _l("With the recordings: {size}."),
    "addAudio": _l("Add the recordings ({size})"),
    "kb": _l("{n} KB"),
    "mb": _l("{n} MB"),
}


def init_app(app):
    app.context_processor(lambda: {"user_marker": user_marker(current_user)})
    app.add_template_global(offline_strings_url)


def user_marker(user):
    """Return an opaque, stable id of the signed-in user ("" for a visitor), for the offline caches."""
    if not getattr(user, "is_authenticated", False):
        return ""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    return hmac.new(key, f"lms-user:{user.id}".encode(), hashlib.sha256).hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from the root, so that it controls every page."""
    static = Path(current_app.static_folder)
    source = (static / "sw.js").read_text(encoding="utf-8")
    offline_url = url_for("web.offline")
    shell = [static_url(name) for name in SHELL_FILES] + [offline_url]
    # The offline page is precached: a change to its templates must install a new worker.
    loader, env = current_app.jinja_env.loader, current_app.jinja_env
    templates = "".join(loader.get_source(env, name)[0] for name in ("base.html", "web/offline.html"))
    version = hashlib.sha256("\n".join([*shell, source, templates, current_app.config["SITE_NAME"]])
                             .encode()).hexdigest()[:12]
    config = {"version": version, "shell": shell, "offline": offline_url}
    body = (f"self.LMS = {json.dumps(config)};\n"
            f"importScripts({json.dumps(static_url('js/offline-store.js'))});\n{source}")
    response = current_app.response_class(body, mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Describe the platform as an app that can be installed on the phone's home screen."""
    body = {
        "name": current_app.config["SITE_NAME"],
        "short_name": current_app.config["SITE_NAME"],
        "description": _("Learn digital skills for your business"),
        "lang": str(get_locale()),
        "start_url": url_for("web.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND_COLOUR,
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/offline")
def offline():
    """The page shown when a page is not saved and there is no network; it names nobody."""
    return render_template("web/offline.html", impersonal=True)


def _strings(language):
    """Return the script's strings in this language as JSON, and their version (made once per process:
    every page asks for the version)."""
    made = current_app.extensions.setdefault("lms.offline_strings", {})
    if language not in made:
        with force_locale(language):
            body = json.dumps({key: str(text) for key, text in STRINGS.items()}, ensure_ascii=False, sort_keys=True)
        made[language] = body, hashlib.sha256(body.encode()).hexdigest()[:10]
    return made[language]


def offline_strings_url():
    language = str(get_locale())
    return url_for("web.offline_strings", language=language, v=_strings(language)[1])


@bp.get("/offline/strings/<language>.json")
def offline_strings(language):
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    body, version = _strings(language)
    response = current_app.response_class(body, mimetype="application/json")
    if request.args.get("v") == version:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    return response


@bp.get("/offline/paths/<slug>")
def offline_path(slug):
    """List what reading a path offline needs: its pages and their reduced images."""
    if current_app.config["PRIVATE_SITE"] and not current_user.is_authenticated:
        abort(401)
    path = catalogue.get_path(slug) or abort(404)
    language = str(get_locale())
    lessons = catalogue.active_lessons(path)
    pages = [url_for("catalogue.show_path", slug=path.slug)]
    media = []
    audio = lesson_recordings(lessons, language)
    for lesson in lessons:
        text, _fallback = lesson.text(language)
        pages += lesson_pages(lesson, text)
        for source in IMAGE_SOURCE.findall(text.html if text else ""):
            if source not in media:
                media.append(source)
    return jsonify(url=pages[0], title=catalogue.localized(path.title, language), pages=pages, media=media,
                   media_bytes=sum(media_size(url) or 0 for url in media),
                   audio=[url for url, _size in audio], audio_bytes=sum(size for _url, size in audio))


def lesson_recordings(lessons, language):
    """Return [(url, bytes)] of the lessons' recorded readings in this language (with the lesson page's fallback),
    each once: what saving the path with its recordings adds."""
    found = {}
    for lesson in lessons:
        text, _fallback = lesson.text(language)
        for recording in text.recordings if text else []:
            found.setdefault(recording["url"], int(recording.get("bytes") or 0))
    return list(found.items())


def lesson_pages(lesson, text):
    """Return the addresses of a lesson's pages: each of its steps, and the whole lesson when it has several."""
    count = len(split_steps(text.html)) if text else 1
    pages = [url_for("catalogue.show_lesson", slug=lesson.slug)]
    if count > 1:
        pages += [url_for("catalogue.show_lesson", slug=lesson.slug, step=number) for number in range(2, count + 1)]
        pages.append(url_for("catalogue.show_lesson", slug=lesson.slug, step="all"))
    return pages


def media_size(url):
    """Return the size in bytes of a file under /media/, or None when it is missing."""
    folder = media_folder(current_app)
    target = (folder / url.removeprefix("/media/")).resolve()
    if folder.resolve() not in target.parents or not target.is_file():
        return None
    return target.stat().st_size


@page_context.connect_via("catalogue.show_path")
def path_offline(_sender, path, **_extra):
    """Give the path page the address its "Save for offline" button (added by the script) reads."""
    return {"offline_manifest": url_for("web.offline_path", slug=path.slug)}
