"""Fewer bytes on the wire: content-hashed static files, compressed responses, ETags and 304s."""
import gzip
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field

import brotli
from flask import current_app, g, request, send_from_directory, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
MIN_SIZE = 1024  # below this, compression saves less than its headers cost
MAX_IN_MEMORY = 1024 * 1024
DYNAMIC_BROTLI_QUALITY = 5  # ~0.6 ms for a 16 KB lesson; 11 would cost 25 ms for 8% less
COMPRESSIBLE = {
    "text/html", "text/css", "text/javascript", "text/plain", "text/csv", "application/javascript",
    "application/json", "application/manifest+json", "application/xml", "image/svg+xml",
}
VALIDATED = {"text/html", "application/json", "application/manifest+json", "text/javascript"}
TYPES = {".js": "text/javascript", ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml"}
HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")


def init_app(app):
    app.session_interface = SessionInterface()
    app.extensions["lms.static"] = StaticFiles(app.static_folder)
    app.view_functions["static"] = serve_static
    app.add_template_global(static_url)
    app.after_request(finish_response)


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that stay out of responses marked public (the same for everybody).

    Guards look at the session on every request, static files included: Flask would
    add Vary: Cookie, tying each cached copy of a file to one session, and sometimes
    a Set-Cookie, which no cache may keep and which makes Chromium fetch it again.
    """

    def save_session(self, app, session, response):
        if not response.cache_control.public:
            super().save_session(app, session, response)


@dataclass
class StaticFile:
    mtime: int
    body: bytes
    digest: str
    mimetype: str
    encoded: dict = field(default_factory=dict)  # {"br": bytes, "gzip": bytes} when smaller


class StaticFiles:
    """The static folder's files, held in memory with their hash and compressed forms (a few small files)."""

    def __init__(self, folder):
        self.folder = folder
        self._files = {}

    def get(self, filename):
        """Return the StaticFile for this name, reloaded when the file changed; None if absent or too big."""
        path = safe_join(self.folder, filename)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            stat = None
        if stat is None or not os.path.isfile(path) or stat.st_size > MAX_IN_MEMORY:
            return None
        found = self._files.get(filename)
        if found is None or found.mtime != stat.st_mtime_ns:
            found = self._files[filename] = _load(path, stat.st_mtime_ns)
        return found


def _load(path, mtime):
    with open(path, "rb") as f:
        body = f.read()
    suffix = os.path.splitext(path)[1].lower()
    mimetype = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    found = StaticFile(mtime, body, hashlib.sha256(body).hexdigest()[:10], mimetype)
    if mimetype in COMPRESSIBLE and len(body) >= MIN_SIZE:
        for name, packed in (("br", brotli.compress(body, quality=11)), ("gzip", gzip.compress(body, 9, mtime=0))):
            if len(packed) < len(body) * 0.95:
                found.encoded[name] = packed
    return found


def static_url(filename):
    """Return the URL of a static file with its content hash in the name, cacheable for a year."""
    found = current_app.extensions["lms.static"].get(filename)
    stem, suffix = os.path.splitext(filename)
    if found is None or not suffix:
        return url_for("static", filename=filename)
    return url_for("static", filename=f"{stem}.{found.digest}{suffix}")


def serve_static(filename):
    """Serve a static file: hashed names are immutable for a year, plain names are revalidated."""
    files = current_app.extensions["lms.static"]
    found, immutable = files.get(filename), False
    match = HASHED_NAME.match(filename)
    if found is None and match:
        found = files.get(match["stem"] + match["suffix"])
        # An old hash (a page cached before an update) still gets today's file, but not for a year.
        immutable = found is not None and found.digest == match["digest"]
    if found is None:  # missing (404) or too big to keep in memory
        return send_from_directory(current_app.static_folder, filename)
    encoding = negotiate(found.encoded)
    response = current_app.response_class(found.encoded.get(encoding, found.body), mimetype=found.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if found.encoded:
        response.vary.add("Accept-Encoding")
    if immutable:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
        response.set_etag(found.digest, weak=True)
        response.make_conditional(request)
    return response


def negotiate(available):
    """Pick brotli, else gzip, among the encodings available and accepted by the client."""
    accepted = request.accept_encodings
    for name in ("br", "gzip"):
        if name in available and accepted.quality(name) > 0:
            return name
    return None


def finish_response(response):
    """Add an ETag (answering 304 when it matches) and compress what is worth compressing."""
    if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
        return response
    mimetype = response.mimetype
    if mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.cache_control.private = True  # pages name their reader: no shared cache may keep them
        response.cache_control.no_cache = True
    if request.method in ("GET", "HEAD") and response.status_code == 200 and mimetype in VALIDATED:
        if response.get_etag()[0] is None:
            response.set_etag(_body_tag(response.get_data()), weak=True)
        response.make_conditional(request)
    if mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    encoding = negotiate(("br", "gzip"))
    if encoding == "br":
        # A window no larger than the body: same result, a fraction of the encoder's memory.
        window = min(22, max(10, (len(body) - 1).bit_length()))
        response.set_data(brotli.compress(body, quality=DYNAMIC_BROTLI_QUALITY, lgwin=window))
    elif encoding == "gzip":
        response.set_data(gzip.compress(body, 6, mtime=0))
    else:
        return response
    response.headers["Content-Encoding"] = encoding
    return response


def _body_tag(body):
    """Hash a body for its ETag, leaving out this request's signed CSRF token.

    The token is re-signed with a new timestamp on every page, so hashing it would
    make every page look new. Without a time limit, any signed copy of the session's
    token stays valid, so a cached page with an older copy posts fine: we hash the
    session's raw token instead, which changes when the session does.
    """
    digest = hashlib.blake2b(digest_size=12)
    token = g.get("csrf_token")
    if token and current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        body = body.replace(token.encode(), b"")
        digest.update(str(session.get("csrf_token", "")).encode())
    digest.update(body)
    return digest.hexdigest()
