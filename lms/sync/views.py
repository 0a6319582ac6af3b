"""The hub's signed endpoints (push a part, pull decisions), the centre's Sync page and the hub's Centres page.

The two endpoints take no session and no CSRF token: what authenticates them is the centre's signature with the
key the hub registered for it. Every refusal is JSON with the reason in words.
"""
import json
import tempfile
import uuid
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from lms.accounts.forms import EmptyForm
from lms.accounts.guards import role_required
from lms.core.database import utcnow
from lms.core.disk import ensure_free_space
from lms.extensions import csrf, db
from lms.sync import catalogue, client, hub, inbox, keys, outbox
from lms.sync.forms import AcknowledgementForm, EnrolCodeForm
from lms.sync.keys import SyncError
from lms.sync.lock import one_sync_at_a_time
from lms.sync.models import SyncCentre

bp = Blueprint("sync", __name__, url_prefix="/sync")
MAX_PUSH_BYTES = 8 * 1024 * 1024


def _refusal(message, status, line=None):
    item = {"error": message}
    if line is not None:
        item["line"] = line
    return jsonify(errors=[item]), status


def _is_hub():
    try:
        return keys.site_role() == "hub"
    except SyncError:
        return False


@bp.post("/push")
@csrf.exempt
def push_part():
    """Apply one signed part of a centre's push and answer its acknowledgement."""
    if not _is_hub():
        return _refusal("this site is not a hub", 404)
    limit = int(current_app.config.get("SYNC_MAX_PUSH_BYTES") or MAX_PUSH_BYTES)
    if request.content_length is None:
        return _refusal("send the part with its length (Content-Length)", 411)
    if request.content_length > limit:
        return _refusal(f"a part may weigh {limit} bytes at most", 413)
    try:
        return jsonify(hub.accept_part(request.get_data(cache=False)))
    except SyncError as error:
        db.session.rollback()
        return _refusal(str(error), error.status, error.line)
    except Exception:  # a record this hub cannot store: the centre hears it in words and may try again
        db.session.rollback()
        current_app.logger.exception("a pushed part could not be applied")
        return _refusal("this part could not be applied at the hub: its administrators are told", 422)


@bp.get("/pull")
def pull_changes():
    """Answer a centre's signed pull: the programme's decisions above `since` and the hub's path versions."""
    if not _is_hub():
        return _refusal("this site is not a hub", 404)
    since = request.args.get("since", type=int)
    centre_id = request.headers.get("X-Sync-Centre", "")
    if since is None or not 0 <= since <= keys.MAX_COUNTER or not 0 < len(centre_id) <= 36:
        return _refusal("a pull names its centre (X-Sync-Centre) and a mark (?since=N, N >= 0)", 400)
    try:
        return jsonify(hub.answer_pull(centre_id, since, request.headers.get("X-Sync-Signature", "")))
    except SyncError as error:
        db.session.rollback()
        return _refusal(str(error), error.status)


@bp.get("/courses/<slug>")
def course_archive(slug):
    """Send a registered centre one path's course folder as the .tar.gz whose digest the pull listed."""
    if not _is_hub():
        return _refusal("this site is not a hub", 404)
    try:
        catalogue.check_centre(request.headers.get("X-Sync-Centre", "")[:36], slug,
                               request.headers.get("X-Sync-Signature", ""))
        archive, about = catalogue.archive(slug)
    except SyncError as error:
        db.session.rollback()
        return _refusal(str(error), error.status)
    response = send_file(archive, mimetype="application/gzip", download_name=f"{slug}.tar.gz", max_age=0)
    response.headers["X-Archive-Sha256"] = about["sha256"]
    return response


@bp.get("/")
@role_required("admin")
def show_sync():
    """The centre's Sync page: last success, what waits, errors in words, Sync now, the USB way."""
    if _is_hub():
        return redirect(url_for("sync.list_centres"))
    return _sync_page()


@bp.post("/now")
@role_required("admin")
def sync_now():
    if _is_hub():
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        summary = client.sync_now()
    except SyncError as error:
        flash(_("The sync did not finish: %(reason)s", reason=str(error)), "error")
    else:
        flash(_("Sync done: %(records)d records sent, %(decisions)d decisions of the programme applied.",
                records=summary["records"], decisions=summary["decisions"]), "success")
    return redirect(url_for("sync.show_sync"))


@bp.post("/export")
@role_required("admin")
def export_bundle():
    """The USB way from the browser: what the hub lacks, as a file to put on the stick (as `lms sync export`)."""
    if _is_hub():
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    folder = keys.sync_dir()
    bundle_path = folder / f".download-{uuid.uuid4().hex}.lms"
    try:
        with one_sync_at_a_time("a USB export from the Sync page"):
            outbox.export(bundle_path)
            db.session.commit()
            registration = keys.registration() or {}
    except (SyncError, OSError) as error:
        db.session.rollback()
        bundle_path.unlink(missing_ok=True)
        flash(_("The export did not finish: %(reason)s", reason=getattr(error, "strerror", None) or str(error)),
              "error")
        return redirect(url_for("sync.show_sync"))
    download = open(bundle_path, "rb")
    bundle_path.unlink()  # the open file is sent; nothing stays behind in instance/sync/
    name = secure_filename(registration.get("name") or "") or "centre"
    return send_file(download, as_attachment=True, mimetype="application/x-lms-sync-bundle",
                     download_name=f"{name}-{utcnow():%Y-%m-%d-%H%M}.lms")


@bp.post("/import-ack")
@role_required("admin")
def import_acknowledgement():
    """The hub's acknowledgement and the courses beside it, uploaded from the stick (as `lms sync import-ack`)."""
    if _is_hub():
        abort(404)
    request.max_content_length = catalogue.limits()[0] + current_app.config["MAX_CONTENT_LENGTH"]
    form = AcknowledgementForm()
    if not form.validate_on_submit():
        return _sync_page(ack_form=form), 400 if form.csrf_token.errors else 200
    try:
        ensure_free_space(keys.sync_dir(), request.content_length or 0)
        with tempfile.TemporaryDirectory(dir=keys.sync_dir()) as folder:
            ack_path = Path(folder) / "hub.ack"
            form.ack.data.save(ack_path)
            beside = catalogue.archives_folder(ack_path)
            beside.mkdir()
            for upload in form.courses.data or []:
                name = secure_filename(upload.filename or "")
                if name.endswith(".tar.gz"):
                    upload.save(beside / name)
            summary = client.import_acknowledgement(ack_path)
    except (SyncError, OSError) as error:  # OSError: a full disk, said before anything is written
        db.session.rollback()
        form.ack.errors.append(str(error))
        return _sync_page(ack_form=form)
    if summary["stale"]:
        flash(_("This acknowledgement is older than one already imported: its decisions and courses are left "
                "alone."), "info")
    else:
        flash(_("Acknowledgement imported: the hub holds this centre's changes up to number %(mark)d; "
                "%(decisions)d decisions of the programme applied.", mark=summary["mark"],
                decisions=summary["decisions"]), "success")
    return redirect(url_for("sync.show_sync"))


def _sync_page(ack_form=None):
    return render_template("sync/status.html", state=client.status(), form=EmptyForm(),
                           ack_form=ack_form or AcknowledgementForm(), courses=catalogue.last_results())


def _hub_only(programme=False):
    """404 at a centre; with programme=True, 403 for a centre's admin whose account came to the hub by sync."""
    if not _is_hub():
        abort(404)
    if programme and current_user.origin is not None:
        abort(403)


@bp.get("/centres")
@role_required("admin", centre_staff=True)
def list_centres():
    """The hub's Centres page: each centre's country, last sync, lag and state; codes for new centres."""
    _hub_only()
    return _centres_page(EnrolCodeForm())


CONFLICT_REASONS = {
    "owned by another centre": lambda: _("an edit of a record that belongs to another centre"),
    "id used by another learner": lambda: _("the same event id came for another learner"),
    "clashes with a record here": lambda: _("it clashes with a record the hub already has"),
}


def _centres_page(form):
    """The programme's admin sees every centre; a centre's admin (her account synced to the hub) only hers."""
    mine = current_user.origin
    rows = [row for row in hub.list_centres() if mine is None or row["centre"].centre_id == mine]
    names = {row["centre"].centre_id: row["centre"].name or row["centre"].centre_id for row in rows}
    conflicts = [{"conflict": conflict, "centre": names.get(conflict.centre_id, conflict.centre_id),
                  "reason": CONFLICT_REASONS.get(conflict.reason, lambda: conflict.reason)(),
                  "data": json.dumps(conflict.data, ensure_ascii=False, indent=1, sort_keys=True)}
                 for conflict in inbox.list_conflicts(limit=20, centre_id=mine)]
    return render_template("sync/centres.html", rows=rows, conflicts=conflicts, form=form, hub_id=inbox.hub_id(),
                           now=utcnow(), programme=mine is None)


@bp.post("/centres/codes")
@role_required("admin", centre_staff=True)
def make_code():
    """Show a new one-time enrolment code once (it is not kept: only its hash is)."""
    _hub_only(programme=True)
    form = EnrolCodeForm()
    if not form.validate_on_submit():
        return _centres_page(form), 400
    code = inbox.make_enrolment_code(form.name.data.strip(), (form.country.data or "").strip())
    db.session.commit()
    return render_template("sync/code.html", code=code, name=form.name.data.strip(), days=inbox.CODE_DAYS)


def _centre_or_404(centre_id):
    centre = db.session.execute(db.select(SyncCentre).filter_by(centre_id=centre_id)).scalar_one_or_none()
    if centre is None:
        abort(404)
    return centre


@bp.get("/centres/<centre_id>/revoke")
@role_required("admin", centre_staff=True)
def confirm_revoke(centre_id):
    _hub_only(programme=True)
    return render_template("sync/revoke.html", centre=_centre_or_404(centre_id), form=EmptyForm())


@bp.post("/centres/<centre_id>/revoke")
@role_required("admin", centre_staff=True)
def revoke_centre(centre_id):
    """Refuse every future push, pull and bundle from this centre; what it sent stays."""
    _hub_only(programme=True)
    centre = _centre_or_404(centre_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    inbox.revoke_centre(centre.centre_id)
    db.session.commit()
    flash(_("Centre %(name)s is revoked: the hub refuses its syncs. What it sent is kept.",
            name=centre.name or centre.centre_id), "success")
    return redirect(url_for("sync.list_centres"))
