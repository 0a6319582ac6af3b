"""Centre side of the HTTP sync (`lms sync now`, the Sync page's button): pull the hub's decisions, then push.

The push sends the same bundle a USB export writes (kept in instance/sync/outgoing.lms until the hub has every
part), one part per request, each acknowledged before the next; the pull tells how many parts of it the hub
already holds, so a sync cut in the middle resumes at the next part. Only the standard library's urllib is used.
"""
import http.client
import io
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

from flask import current_app

from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import Certificate
from lms.sync import bundle, keys, outbox
from lms.sync.keys import SyncError
from lms.sync.lock import one_sync_at_a_time
from lms.sync.records import path_versions

OUTGOING = "outgoing.lms"
TIMEOUT = 60
MAX_ANSWER = 4 * 1024 * 1024
ERRORS_KEPT = 5
CONTENT_TYPE = "application/x-lms-sync-bundle"


def urllib_transport(method, url, body, headers, timeout):
    """Send one request; return (status, body). Network failures raise OSError."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(MAX_ANSWER)


def hub_url():
    """SYNC_HUB_URL, refused when plain HTTP would carry the centre's records across the internet.

    A push holds learners' names, phone numbers and password hashes: plain HTTP is accepted only to a hub on this
    machine or the local network (a loopback or private address, by its literal address or its name's), or with
    SYNC_ALLOW_PLAIN_HTTP set, for a network the centre trusts otherwise.
    """
    url = str(current_app.config.get("SYNC_HUB_URL") or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SyncError("this centre has no hub address: set SYNC_HUB_URL in instance/config.py "
                        "(e.g. SYNC_HUB_URL = \"https://hub.example.org\"), or sync by USB stick")
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. "http://[::1"
        raise SyncError(f"SYNC_HUB_URL is {url}: this is not a web address") from None
    if "@" in parts.netloc or "\\" in url:  # what urlsplit and urllib would read differently
        raise SyncError(f"SYNC_HUB_URL is {url}: give the hub's address without a name, password or backslash")
    if url.startswith("http://") and not current_app.config.get("SYNC_ALLOW_PLAIN_HTTP") and not _on_local_network(host):
        raise SyncError(f"SYNC_HUB_URL is {url}: plain HTTP would carry learners' names and password hashes across "
                        "the internet unencrypted; use the hub's https:// address (or set SYNC_ALLOW_PLAIN_HTTP = "
                        "True if this network is private)")
    return url


def _on_local_network(host):
    """Whether every address of `host` is loopback, private or link-local (a name that does not resolve: no)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(_local(address) for address in addresses)


# The local network, named one by one: Python's is_private also counts ranges that cross the internet (Teredo,
# 2001::/32, tunnels IPv6 over public IPv4), and the documentation ranges, which no hub uses.
LOCAL_NETWORKS = tuple(ipaddress.ip_network(net) for net in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",  # loopback, RFC 1918, link
    "::1/128", "fc00::/7", "fe80::/10"))  # loopback, unique local, link-local


def _local(address):
    address = ipaddress.ip_address(address.split("%")[0])
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in LOCAL_NETWORKS)


def sync_now(transport=None):
    """Pull, then push everything the hub has not acknowledged; return a summary. Errors are noted and raised."""
    with one_sync_at_a_time("a sync with the hub"):
        return _sync_now(transport)


def _sync_now(transport):
    try:
        registration = outbox._registration()
        session = _Session(hub_url(), transport or current_app.config.get("SYNC_TRANSPORT") or urllib_transport,
                           registration)
        summary = {"decisions": 0, "parts": 0, "records": 0, "updates": []}
        if registration.get("hub_key") and not registration.get("enrol"):
            pull(session, summary)
            push(session, summary)
        else:  # not enrolled yet: the first push carries the code and registers this centre
            push(session, summary)
            pull(session, summary)
    except SyncError as error:
        db.session.rollback()
        note_error(str(error))
        db.session.commit()
        raise
    outbox.set_state("last_success_at", utcnow().isoformat())
    db.session.commit()
    return summary


class _Session:
    """The hub's address, the transport and this centre's registration for one sync."""

    def __init__(self, base, transport, registration):
        self.base, self.transport, self.registration = base, transport, registration
        self.hub_bundle, self.hub_chunks = None, 0

    def call(self, method, path, body=None, headers=None):
        url = self.base + path
        try:
            status, data = self.transport(method, url, body, {"Accept": "application/json", **(headers or {})},
                                          TIMEOUT)
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", None) or error
            raise SyncError(f"The hub did not answer at {self.base}: check the internet connection ({reason})") \
                from None
        try:
            answer = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            if status >= 500:
                raise SyncError(f"The hub at {self.base} had a problem (HTTP {status}): try again later") from None
            raise SyncError(f"The answer from {url} is not from an lms hub (HTTP {status}): "
                            "check SYNC_HUB_URL") from None
        if status != 200:
            errors = answer.get("errors") if isinstance(answer, dict) else None
            message = errors[0].get("error") if errors and isinstance(errors[0], dict) else f"HTTP {status}"
            raise SyncError(f"The hub refused the sync: {message}", status=status)
        ack = bundle.check_ack(answer, self.registration["hub"])
        if ack.get("centre") != self.registration["centre_id"]:
            raise SyncError("The hub answered for another centre: check SYNC_HUB_URL")
        outbox.accept_ack(ack, self.registration)
        self.hub_bundle, self.hub_chunks = ack.get("bundle"), int(ack.get("chunks_done") or 0)
        return ack


def pull(session, summary):
    """Apply the hub's decisions above the last one applied here; note the paths the hub has in another version."""
    centre_id = session.registration["centre_id"]
    while True:
        since = int(outbox.get_state("pulled", "0"))
        signature = keys.sign(bundle.pull_message(session.registration["hub"], centre_id, since))
        ack = session.call("GET", f"/sync/pull?since={since}",
                           headers={"X-Sync-Centre": centre_id, "X-Sync-Signature": signature})
        if int(ack.get("acked") or 0) < outbox.acked_mark():
            # The hub holds less than it once acknowledged: it was restored from a backup. Its answer is its state
            # now (unlike an old acknowledgement file), so this centre sends again everything above it.
            outbox.set_state("acked", int(ack.get("acked") or 0))
            summary["hub_restored"] = True
        if not take_pull(ack.get("pull"), summary):
            from lms.sync import catalogue  # the hub's course folders (README: catalogue updates)

            catalogue.follow(catalogue.over_http(session), ack["pull"].get("paths") or [], summary)
            summary["updates"] = note_catalogue(ack["pull"].get("paths") or [])
            _note_answer_made(str(ack.get("made_at") or ""))
            db.session.commit()
            return


def take_pull(answer, summary):
    """Apply a pull's decisions, move the pulled mark, note the hub's path versions; return whether more wait."""
    if not isinstance(answer, dict) or answer.get("format") != bundle.PULL_FORMAT:
        raise SyncError("The hub's answer to the pull is not of this version (lms-sync-pull/1)")
    since = int(outbox.get_state("pulled", "0"))
    summary["decisions"] += apply_decisions(answer.get("decisions") or [])
    summary["updates"] = note_catalogue(answer.get("paths") or [])
    outbox.set_state("pulled", max(int(answer.get("upto") or since), since))
    db.session.commit()
    return bool(answer.get("more"))


def import_acknowledgement(path):
    """`lms sync import-ack`: advance the mark, then take what the hub sent back by hand, as a pull would bring.

    The acknowledgement (signed) carries the programme's decisions and the hub's path versions; the archives of
    the paths to install lie in the folder beside it. An acknowledgement older than one already imported moves
    nothing back: its decisions and courses are left alone (an old archive must not replace a newer one).
    """
    with one_sync_at_a_time("an acknowledgement imported from a USB stick"):
        return _import_acknowledgement(path)


def _import_acknowledgement(path):
    from lms.sync import catalogue

    mark, renumbered, ack = outbox.import_ack(path)
    summary = {"mark": mark, "renumbered": renumbered, "decisions": 0, "updates": [], "records": 0, "parts": 0,
               "stale": False, "more": False}
    answer, made_at = ack.get("pull"), str(ack.get("made_at") or "")
    if answer is None:  # a hub of an earlier version: the mark only
        db.session.commit()
        return summary
    if made_at <= outbox.get_state("ack_made_at", ""):
        summary["stale"] = True
        db.session.commit()
        return summary
    summary["more"] = take_pull(answer, summary)
    catalogue.follow(catalogue.from_folder(catalogue.archives_folder(path)), answer.get("paths") or [], summary)
    summary["updates"] = note_catalogue(answer.get("paths") or [])
    _note_answer_made(made_at)
    db.session.commit()
    return summary


def _note_answer_made(made_at):
    """Remember when the newest answer of the hub applied here was made, pulled or carried on a stick: an
    acknowledgement made before it, kept aside and imported later, must not install the older courses it lists."""
    outbox.set_state("ack_made_at", max(made_at, outbox.get_state("ack_made_at", "")))


def apply_decisions(decisions):
    """Apply the programme's decisions on this centre's records; return how many changed something."""
    changed = 0
    for decision in decisions:
        if isinstance(decision, dict) and decision.get("kind") in ("transfer_in", "transfer_out"):
            from lms.sync import transfer  # a learner moving in or out (README: A learner moves)

            changed += transfer.apply_decision(decision, keys.registration())
            continue
        if not isinstance(decision, dict) or decision.get("kind") != "certificate_revoked":
            continue  # a kind this version does not know: a newer hub; nothing to do here
        certificate = db.session.execute(db.select(Certificate).filter_by(
            public_id=str(decision.get("id")))).scalar_one_or_none()
        data = decision.get("data") if isinstance(decision.get("data"), dict) else {}
        if certificate is None or certificate.revoked_at:
            continue
        try:
            certificate.revoked_at = datetime.fromisoformat(data.get("revoked_at") or "")
        except (TypeError, ValueError):
            certificate.revoked_at = utcnow()
        certificate.revoked_by_id = None  # the programme's coordinator has no account here
        certificate.revoke_reason = (str(data.get("reason") or "") or "revoked by the programme")[:300]
        changed += 1
    return changed


def note_catalogue(paths):
    """Remember the paths the hub has and this centre lacks or has in another version (shown on the Sync page)."""
    here = path_versions()
    updates = []
    for path in paths:
        if not isinstance(path, dict) or not isinstance(path.get("slug"), str):
            continue
        if here.get(path["slug"]) != path.get("version"):
            updates.append({"slug": path["slug"][:80], "missing": path["slug"] not in here})
    outbox.set_state("catalogue_updates", json.dumps(updates))
    return updates


def push(session, summary):
    """Send every part of the outgoing bundle the hub does not hold yet, each acknowledged before the next."""
    outbox.stamp()
    db.session.commit()
    path = keys.sync_dir() / OUTGOING
    header, parts = _outgoing(path)
    if header is None:
        if outbox.waiting() == 0 and session.registration.get("hub_key") and not session.registration.get("enrol"):
            return
        outbox.export(path)
        db.session.commit()
        header, parts = _outgoing(path)
    start = session.hub_chunks if session.hub_bundle == header["bundle"] else 0
    headers = {"Content-Type": CONTENT_TYPE, "X-Sync-Centre": session.registration["centre_id"]}
    if parts == 0:
        session.call("POST", "/sync/push", _part(header, 0, 0, None), headers)
    for line, item in bundle.read(path, lambda _header: keys.public_key_text()):
        if "chunk" in item and item["chunk"] > start:
            session.call("POST", "/sync/push", _part(header, item["chunk"], parts, item["records"]), headers)
            db.session.commit()
            summary["parts"] += 1
            summary["records"] += len(item["records"])
    path.unlink(missing_ok=True)


def _outgoing(path):
    """Return (header, number of chunks) of the bundle waiting to be sent, or (None, 0) if it is stale or absent."""
    if not path.exists():
        return None, 0
    header, chunks = None, 0
    try:
        for line, item in bundle.read(path, lambda _header: keys.public_key_text()):
            header = header or item
            chunks += "chunk" in item
    except SyncError:
        header = None
    registration = keys.registration() or {}
    if header is None or header.get("base") != outbox.acked_mark() or header.get("centre") != registration.get(
            "centre_id") or header.get("hub") != registration.get("hub"):
        path.unlink(missing_ok=True)  # the hub took more since (a USB import), or the file is damaged: make it again
        return None, 0
    return header, chunks


def _part(header, number, parts, records):
    """One part as a small signed bundle of its own: the push's header with part/parts, one chunk, the end line."""
    out = io.BytesIO()
    writer = bundle.Writer(out, {**header, "part": number, "parts": parts})
    if records is not None:
        writer.chunk(records)
    writer.close()
    return out.getvalue()


def note_error(message):
    """Keep the last few errors, in words, for the Sync page."""
    try:
        errors = json.loads(outbox.get_state("errors", "[]"))
    except ValueError:
        errors = []
    errors = [{"at": utcnow().isoformat(), "message": message[:500]}] + errors[:ERRORS_KEPT - 1]
    outbox.set_state("errors", json.dumps(errors))
    outbox.set_state("last_error_at", errors[0]["at"])


def status():
    """What the Sync page shows: registration, last success, changes waiting, last errors, course updates."""
    def loaded(key, default):
        try:
            return json.loads(outbox.get_state(key, default))
        except ValueError:
            return json.loads(default)

    def when(key):
        value = outbox.get_state(key, "")
        return datetime.fromisoformat(value) if value else None

    errors = [{"at": datetime.fromisoformat(e["at"]), "message": e["message"]} for e in loaded("errors", "[]")]
    last_success = when("last_success_at")
    return {"registration": keys.registration(), "hub_url": current_app.config.get("SYNC_HUB_URL") or "",
            "last_success": last_success, "waiting": outbox.waiting(), "acked": outbox.acked_mark(),
            "errors": [e for e in errors if last_success is None or e["at"] > last_success] or [],
            "past_errors": errors, "updates": loaded("catalogue_updates", "[]")}


def run_every(seconds, transport=None, echo=print, sleep=time.sleep, rounds=None):
    """Sync, then wait `seconds`, forever (or `rounds` times): errors are printed and the loop goes on."""
    done = 0
    while rounds is None or done < rounds:
        try:
            summary = sync_now(transport)
            echo(describe(summary))
        except SyncError as error:
            echo(f"sync: {error}")
        done += 1
        if rounds is None or done < rounds:
            sleep(seconds)


def describe(summary):
    text = (f"sent {summary['records']} records in {summary['parts']} parts; "
            f"{summary['decisions']} decisions of the programme applied")
    if summary["updates"]:
        text += "; the hub has other versions of these paths: " + ", ".join(u["slug"] for u in summary["updates"])
    if summary.get("catalogue"):
        from lms.sync import catalogue

        text += "\n" + catalogue.describe(summary["catalogue"])
    return text
