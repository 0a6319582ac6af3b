"""Hub side of the HTTP sync: one pushed part at a time, and what a centre pulls (decisions, path versions).

A push is the USB bundle cut into parts: each part travels as a small bundle of its own (header, one chunk,
end line), signed by the centre, with `part`/`parts` and the whole push's `bundle` id in its header. The hub
applies part k only after part k-1 (it counts them on the centre's row, as an import of a file does), answers
each with a signed acknowledgement, and advances the centre's mark after the last part; a part sent again is
acknowledged without being applied again, so a sync cut in the middle resumes where it stopped.
"""
from lms.accounts.models import User
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.models import Certificate
from lms.sync import bundle, catalogue, inbox, keys
from lms.sync.keys import SyncError
from lms.sync.models import HubDecision, SyncConflict
from lms.sync.records import MissingReference, Names

PULL_LIMIT = 500


def accept_part(body):
    """Check and apply one pushed part; return the signed acknowledgement. Raises SyncError (with .status)."""
    keys.require_role("hub")
    check = inbox.HeaderCheck()
    items = list(bundle.read(body, check))
    header = check.header
    part, parts = header.get("part"), header.get("parts")
    if not (isinstance(part, int) and isinstance(parts, int) and 0 <= part <= parts <= keys.MAX_COUNTER
            and (part or not parts)):
        raise SyncError("the part's header has no valid 'part' and 'parts'")
    chunks = [item for line, item in items if "chunk" in item]
    if len(chunks) != (1 if parts else 0):
        raise SyncError("a pushed part carries exactly one chunk (none in an empty push)")
    for line, item in items:
        if "chunk" in item:
            inbox.check_chunk(line, item)
    centre = check.registered()
    status = _apply_part(centre, header, part, parts, chunks[0]["records"] if chunks else [])
    centre.last_sync_at, centre.last_error = utcnow(), None
    db.session.commit()
    return bundle.signed_ack(_ack_values(centre, status=status, part=part))


def _apply_part(centre, header, part, parts, records):
    if header["upto"] <= centre.acked_seq and centre.bundle_id != header["bundle"]:
        return "already applied"
    if header["base"] > centre.acked_seq:
        raise SyncError(f"this push starts after change {header['base']} but the hub holds this centre's changes "
                        f"only up to {centre.acked_seq}: the hub was restored from a backup; sync again", status=409)
    if centre.bundle_id != header["bundle"]:
        if part > 1:
            raise SyncError(f"part {part} of a push the hub has not started: sync again from part 1", status=409)
        centre.bundle_id, centre.chunks_done = header["bundle"], 0
    if part <= centre.chunks_done and parts:
        return "already applied"
    if part > centre.chunks_done + 1:
        raise SyncError(f"part {part} arrived before part {centre.chunks_done + 1}: sync again", status=409)
    if records:
        touched = {}
        try:
            inbox.apply_chunk(centre, records, Names(), touched)
            inbox.derive_progress(touched)
        except MissingReference as missing:
            db.session.rollback()
            inbox.note_error(centre, f"part {part}: {missing}")
            raise SyncError(f"{missing}: import the paths this centre uses on the hub, then sync again "
                            "(it resumes at this part)", line=2, status=422) from None
    centre.chunks_done = part
    if part == parts:
        centre.acked_seq = max(centre.acked_seq, header["upto"])
        centre.bundle_id, centre.chunks_done = None, 0
    return "applied"


def _ack_values(centre, **extra):
    return {"hub": inbox.hub_id(), "hub_key": keys.public_key_text(), "centre": centre.centre_id,
            "acked": centre.acked_seq, "bundle": centre.bundle_id, "chunks_done": centre.chunks_done,
            "made_at": utcnow().isoformat(), **extra}


def answer_pull(centre_id, since, signature):
    """Return the signed answer to a centre's pull: its push state, the decisions above `since`, path versions."""
    centre = inbox.signed_centre(centre_id, bundle.pull_message(inbox.hub_id(), centre_id, since), signature, "pull")
    pull = pull_answer(centre, since)
    db.session.commit()
    return bundle.signed_ack(_ack_values(centre, pull=pull))


def pull_answer(centre, since, limit=PULL_LIMIT):
    """The programme's decisions for this centre above `since` and the hub's path versions (HTTP pull or USB ack)."""
    note_decisions(centre)
    decisions = db.session.execute(
        db.select(HubDecision).where(HubDecision.centre_id == centre.centre_id, HubDecision.id > since)
        .order_by(HubDecision.id).limit(limit)).scalars().all()
    return {"format": bundle.PULL_FORMAT, "since": since, "upto": decisions[-1].id if decisions else since,
            "more": len(decisions) == limit,
            "decisions": [{"kind": d.kind, "id": d.public_id, "data": d.data} for d in decisions],
            "paths": catalogue.hub_paths()}  # versions and archive digests, signed with the rest


def note_decisions(centre):
    """Record the programme's revocations of this centre's certificates (made by a hub account) as decisions."""
    done = db.select(HubDecision.id).where(HubDecision.kind == "certificate_revoked",
                                           HubDecision.public_id == Certificate.public_id).exists()
    rows = db.session.execute(
        db.select(Certificate).join(User, User.id == Certificate.revoked_by_id)
        .where(Certificate.origin == centre.centre_id, Certificate.revoked_at.is_not(None), User.origin.is_(None),
               ~done).order_by(Certificate.revoked_at, Certificate.id)).scalars().all()
    for certificate in rows:
        db.session.add(HubDecision(centre_id=centre.centre_id, kind="certificate_revoked",
                                   public_id=certificate.public_id,
                                   data={"revoked_at": certificate.revoked_at.isoformat(),
                                         "reason": certificate.revoke_reason or ""}))
    db.session.flush()
    return len(rows)


def list_centres():
    """Each centre with what the Centres page shows: last sync, changes it reported but the hub lacks, conflicts."""
    conflicts = dict(db.session.execute(db.select(SyncConflict.centre_id, db.func.count())
                                        .group_by(SyncConflict.centre_id)).all())
    return [{"centre": centre, "conflicts": conflicts.get(centre.centre_id, 0),
             "pending": max(centre.reported_seq - centre.acked_seq, 0) if centre.reported_seq is not None else None}
            for centre in inbox.list_centres()]
