"""The centre's certificate authority for phones, the page that explains how to trust it, and its check."""
import base64
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, render_template, url_for
from flask_babel import gettext as _

from lms.core.security import content_security_policy
from lms.site import addresses, store

bp = Blueprint("site", __name__)

# A transparent 1×1 GIF: the smallest thing a phone can load from the HTTPS address to test its trust.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@bp.get("/ca.crt")
def ca_certificate():
    """Serve the centre's certificate authority, for phones to install."""
    path = store.tls_files(current_app.instance_path).ca_cert
    if not path.is_file():
        abort(404)
    response = make_response(path.read_bytes())
    response.mimetype = "application/x-x509-ca-cert"
    # Android 11 and later only install it from Settings: it must land in Downloads under a clear name.
    response.headers["Content-Disposition"] = "attachment; filename=centre-ca.crt"
    response.cache_control.no_cache = True
    return response


@bp.get("/trust-check.gif")
def trust_check():
    """Answer the Check button: a phone that loads this over HTTPS trusts the centre."""
    response = make_response(PIXEL)
    response.mimetype = "image/gif"
    response.cache_control.no_store = True  # a copy kept from earlier must not answer for today
    return response


@bp.get("/keep-lessons")
def keep_lessons():
    """Explain how to make a phone trust the centre, so that it keeps lessons for offline reading."""
    return _trust_page("site/keep_lessons.html")


@bp.get("/keep-lessons/sheet")
def keep_lessons_sheet():
    """The same steps on one printed page, for a trainer's class."""
    return _trust_page("site/keep_lessons_sheet.html")


def _trust_page(template):
    import segno  # only these pages and the sign-up sheet need it

    base, warning = addresses.base_url_for_phones()
    https_base, https_warning = addresses.https_base_url_for_phones()
    ca_url = addresses.phone_url("site.ca_certificate")
    https_url = https_base + "/" if https_base else None
    qr = ca_qr = None
    if https_url:
        qr = segno.make(https_url, error="m").svg_inline(scale=6, border=2, dark="#1d1d24",
                                                       title=_("QR code of the centre's secure address"))
        ca_qr = segno.make(ca_url, error="m").svg_inline(scale=4, border=2, dark="#1d1d24",
                                                       title=_("QR code of the centre's certificate"))
    probe = https_base + url_for("site.trust_check") if https_base else None
    response = make_response(render_template(
        template, https_url=https_url, http_url=base + "/", ca_url=ca_url, qr=qr, ca_qr=ca_qr, probe=probe,
        warning=warning or https_warning,
        has_authority=store.tls_files(current_app.instance_path).ca_cert.is_file()))
    if probe:
        parts = urlsplit(https_base)
        origin = addresses.origin("https", parts.hostname, parts.port)
        response.headers["Content-Security-Policy"] = content_security_policy(origin)
    return response
