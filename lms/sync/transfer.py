"""A learner moves: the hub decides, her new centre takes her account and history, her old one closes it.

The protocol (README: *A learner moves*):
1. On the hub, `decide` records a transfer (its own public id) of an account from the centre that owns it (A)
   to another registered centre (B). From then on the hub takes the account's edits from B only: its origin
   becomes B and the version the hub holds is reset, so B's first edit wins and A's later ones are kept as
   conflicts. Her history records (events, check attempts, certificates, work and reviews) stay A's.
2. The hub writes, for each centre, a signed transfer file (`export_for`): the same signed chunk stream as a
   bundle, signed with the hub's key and addressed to that centre, one chunk per transfer that concerns it.
   For B the chunk carries the account (with its password hash: she signs in with the same password) and
   her history, each record by public id; for A it carries the decision alone.
3. A centre applies the file (`apply_file`), each transfer once (idempotent by its public id):
   B creates or updates the account, owned by B from now on, and stores her history by public id
   (events ON CONFLICT DO NOTHING), derives her progress, and marks those records as already known to the
   hub in its ledger, so they are not sent back; A deactivates the account (she can no longer sign in
   there), ends her memberships and mentor assignments, and notes the transfer.
"""
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from lms.accounts import sessions
from lms.accounts.models import User
from lms.cohorts.models import MentorAssignment, Membership
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring.models import Review, Submission
from lms.progress.events import recompute_many
from lms.progress.models import Certificate, ProgressEvent, QuizAttempt
from lms.sync import bundle, keys
from lms.sync.keys import SyncError
from lms.sync.models import HeldVersion, HubDecision, LedgerEntry, SyncCentre
from lms.sync.records import BY_NAME, MissingReference, Names, after_write, column_values, serialise

HISTORY = ("event", "quiz_attempt", "certificate", "submission", "review")  # what moves with her account


class Transfer(db.Model):
    """A transfer decided at the hub; at a centre, one it applied (moved in or out)."""

    __tablename__ = "sync_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True)
    user_public_id: Mapped[str] = mapped_column(db.String(36), index=True)
    username: Mapped[str] = mapped_column(db.String(40), default="")
    from_centre: Mapped[str] = mapped_column(db.String(36))
    to_centre: Mapped[str] = mapped_column(db.String(36))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str] = mapped_column(db.String(120), default="")
    applied_at: Mapped[datetime | None]  # at a centre: when it applied the transfer
    detail: Mapped[str] = mapped_column(db.Text, default="")  # what was moved, or left behind, in words


def _find_user(who):
    user = db.session.execute(db.select(User).where(
        (User.public_id == who) | (User.username == who))).scalars().first()
    if user is None:
        raise SyncError(f"no account {who!r} on the hub (give her username or her public id)")
    return user


def _centre(centre_id):
    centre = db.session.execute(db.select(SyncCentre).where(
        (SyncCentre.centre_id == centre_id) | (SyncCentre.name == centre_id))).scalars().first()
    if centre is None:
        raise SyncError(f"no centre {centre_id!r} is registered here (see `lms sync status`)")
    if centre.revoked_at:
        raise SyncError(f"centre {centre.name or centre.centre_id} is revoked: nothing can move there")
    return centre


def decide(who, to_centre, decided_by=""):
    """On the hub: move an account from the centre that owns it to another; return the Transfer."""
    keys.require_role("hub")
    user, target = _find_user(who), _centre(to_centre)
    if user.origin is None:
        raise SyncError(f"{user.username} was made at the hub itself, not at a centre: she has no centre to leave")
    if user.origin == target.centre_id:
        raise SyncError(f"{user.username} already belongs to centre {target.name or target.centre_id}")
    transfer = Transfer(public_id=str(uuid.uuid4()), user_public_id=user.public_id, username=user.username,
                        from_centre=user.origin, to_centre=target.centre_id, decided_by=decided_by[:120],
                        decided_at=utcnow())
    db.session.add(transfer)
    # The same decision for each centre's pull over HTTP (lms sync now): B's carries her account and history.
    decision = _decision_record(transfer, "")["v"]
    db.session.add(HubDecision(centre_id=transfer.from_centre, kind="transfer_out", public_id=transfer.public_id,
                               data={"decision": decision}))
    db.session.add(HubDecision(centre_id=transfer.to_centre, kind="transfer_in", public_id=transfer.public_id,
                               data={"decision": decision, "records": _history(user.public_id, Names())}))
    user.origin = target.centre_id
    held = db.session.get(HeldVersion, ("user", user.public_id)) or HeldVersion(kind="user", public_id=user.public_id)
    held.centre_id, held.seq = target.centre_id, 0  # the new centre's counter starts anew for her
    db.session.add(held)
    db.session.flush()
    return transfer


def list_transfers(centre_id=None):
    query = db.select(Transfer).order_by(Transfer.decided_at, Transfer.id)
    if centre_id:
        query = query.where((Transfer.from_centre == centre_id) | (Transfer.to_centre == centre_id))
    return db.session.execute(query).scalars().all()


def export_for(centre_id, path):
    """On the hub: write the signed file of every transfer that concerns this centre; return how many."""
    from lms.sync.inbox import hub_id

    keys.require_role("hub")
    centre = _centre(centre_id)
    transfers = list_transfers(centre.centre_id)
    header = {"bundle": str(uuid.uuid4()), "kind": "transfers", "hub": hub_id(), "centre": centre.centre_id,
              "key": keys.public_key_text(), "base": 0, "upto": 0, "made_at": utcnow().isoformat()}
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    names = Names()
    try:
        with open(temporary, "wb") as out:
            writer = bundle.Writer(out, header)
            for transfer in transfers:
                records = [_decision_record(transfer, hub_id())]
                if transfer.to_centre == centre.centre_id:
                    records += _history(transfer.user_public_id, names)
                writer.chunk(records)
            writer.close()
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return len(transfers)


def _decision_record(transfer, hub):
    return {"k": "transfer", "id": transfer.public_id, "s": 0, "o": hub,
            "v": {"user": transfer.user_public_id, "username": transfer.username, "from": transfer.from_centre,
                  "to": transfer.to_centre, "decided_at": transfer.decided_at.isoformat()}}


def _history(user_public_id, names):
    """The account and every record of her history the hub holds, as bundle records."""
    user = db.session.execute(db.select(User).filter_by(public_id=user_public_id)).scalar_one()
    chosen = {
        "user": [user],
        "event": db.session.execute(db.select(ProgressEvent).filter_by(user_id=user.id)
                                    .order_by(ProgressEvent.occurred_at, ProgressEvent.id)).scalars(),
        "quiz_attempt": db.session.execute(db.select(QuizAttempt).filter_by(user_id=user.id)
                                           .order_by(QuizAttempt.id)).scalars(),
        "certificate": db.session.execute(db.select(Certificate).filter_by(user_id=user.id)
                                          .order_by(Certificate.id)).scalars(),
        "submission": db.session.execute(db.select(Submission).filter_by(user_id=user.id)
                                         .order_by(Submission.id)).scalars(),
        "review": db.session.execute(db.select(Review).join(Submission).where(Submission.user_id == user.id)
                                     .order_by(Review.id)).scalars(),
    }
    records = []
    for kind_name, objects in chosen.items():
        kind = BY_NAME[kind_name]
        for obj in objects:
            public_id = obj.id if kind_name == "event" else obj.public_id
            records.append({"k": kind_name, "id": public_id, "s": 0, "o": obj.origin,
                            "v": serialise(kind, obj, names)})
    return records


def apply_file(path):
    """At a centre: check the hub's transfer file whole, then apply each transfer once; return a summary."""
    keys.require_role("centre")
    registration = keys.registration()
    if not registration or not registration.get("hub_key"):
        raise SyncError("this centre has no acknowledgement from its hub yet, so it cannot check the hub's "
                        "signature: sync once (lms sync export, then import-ack) and try again")
    mine = registration["centre_id"]

    def hub_key(header):
        if header.get("kind") != "transfers":
            raise SyncError("this is not a transfer file from the hub (`lms sync transfer export` makes one)")
        if header.get("hub") != registration["hub"] or header.get("key") != registration["hub_key"]:
            raise SyncError(f"this file comes from another hub ({header.get('hub')}), not the one this centre is "
                            f"registered with ({registration['hub']})")
        if header.get("centre") != mine:
            raise SyncError(f"this file is for another centre ({header.get('centre')}), not this one ({mine})")
        return registration["hub_key"]

    chunks = []
    for line, item in bundle.read(Path(path), hub_key):
        if "chunk" in item:
            _check(line, item.get("records"), mine)
            chunks.append(item["records"])
    summary = _summary()
    for records in chunks:
        _apply_one(records, mine, summary)
        db.session.commit()
    return summary


def _summary():
    return {"moved_in": 0, "moved_out": 0, "already": 0, "records": 0, "left_behind": 0}


def apply_decision(decision, registration):
    """At a centre: apply a transfer the hub's signed pull carried (lms sync now); return True if it changed
    something. The caller commits. A decision of the wrong shape is skipped, as the pull skips unknown kinds."""
    data = decision.get("data") if isinstance(decision.get("data"), dict) else {}
    records = [{"k": "transfer", "id": decision.get("id"), "s": 0, "o": registration.get("hub"),
                "v": data.get("decision")}] + list(data.get("records") or [])
    try:
        _check(1, records, registration["centre_id"])
    except SyncError:
        return False
    summary = _summary()
    _apply_one(records, registration["centre_id"], summary)
    return not summary["already"]


def _apply_one(records, mine, summary):
    """Apply one transfer (its decision, then for the centre she moves to her account and history) once."""
    decision = records[0]
    if db.session.execute(db.select(Transfer.id).filter_by(public_id=decision["id"])).first():
        summary["already"] += 1
        return
    values = decision["v"]
    transfer = Transfer(public_id=decision["id"], user_public_id=values["user"], username=values["username"],
                        from_centre=values["from"], to_centre=values["to"], applied_at=utcnow(),
                        decided_at=datetime.fromisoformat(values["decided_at"]))
    if values["to"] == mine:
        stored, left = _move_in(records[1:])
        summary["moved_in"] += 1
        summary["records"] += stored
        summary["left_behind"] += left
        transfer.detail = f"{stored} records received, {left} left at the hub"
    else:
        transfer.detail = _move_out(values["user"])
        summary["moved_out"] += 1
    db.session.add(transfer)
    db.session.flush()


def _check(line, records, mine):
    if not isinstance(records, list) or not records or not isinstance(records[0], dict) \
            or records[0].get("k") != "transfer" or not isinstance(records[0].get("v"), dict):
        raise SyncError("this chunk does not start with a transfer decision", line)
    values = records[0]["v"]
    if not all(isinstance(values.get(name), str) for name in ("user", "username", "from", "to", "decided_at")) \
            or mine not in (values["from"], values["to"]) or not isinstance(records[0].get("id"), str):
        raise SyncError("this transfer decision is incomplete or concerns other centres", line)
    for record in records[1:]:
        if not (isinstance(record, dict) and record.get("k") in ("user",) + HISTORY
                and isinstance(record.get("id"), str) and isinstance(record.get("v"), dict)):
            raise SyncError("a record of this transfer is not of a kind that moves with an account", line)


def _move_in(records):
    """Store the account (owned here from now on) and her history; return (records stored, records left)."""
    names, stored, left, touched, known = Names(), 0, 0, {}, []
    for record in records:
        kind = BY_NAME[record["k"]]
        try:
            obj = _store(kind, record, names)
        except MissingReference:
            left += 1  # e.g. a review by a mentor who has no account here: it stays at the hub
            continue
        if obj is None:
            left += 1
            continue
        stored += 1
        known.append((kind, obj))
        if kind.name in ("event", "quiz_attempt"):
            touched.setdefault(obj.user_id, set()).add(obj.lesson_id)
    db.session.flush()
    if touched:
        recompute_many(touched)
    _mark_known(known, names)
    return stored, left


def _store(kind, record, names):
    """Insert or update one record by its public id; None if it clashes with a record here."""
    if kind.name == "event":
        obj = db.session.get(ProgressEvent, record["id"])
        if obj is None:
            obj = ProgressEvent(id=record["id"], origin=record.get("o"), **column_values(kind, record["v"], names))
            db.session.add(obj)
        return obj
    values = record["v"]
    if kind.name == "certificate" and values.get("revoked_by"):
        try:
            names.local("user", values["revoked_by"])
        except MissingReference:
            values = {**values, "revoked_by": None}  # the revocation stays; who made it is known at the hub
    obj = db.session.execute(db.select(kind.model).filter_by(public_id=record["id"])).scalar_one_or_none()
    columns = column_values(kind, values, names)
    savepoint = db.session.begin_nested()
    try:
        with db.session.no_autoflush:
            if obj is None:
                obj = kind.model(public_id=record["id"], origin=record.get("o"), **columns)
                db.session.add(obj)
            else:
                for name, value in columns.items():
                    setattr(obj, name, value)
            if kind.name == "user":
                obj.origin, obj.active = None, True  # hers is this centre's account now
            after_write(kind, obj, values)
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        return None
    names.remember(kind.name, obj.public_id, obj.id)
    return obj


def _mark_known(known, names):
    """The hub already holds these versions: note them in the ledger (counter 0) so they are not sent back."""
    from lms.sync.outbox import _digest

    for kind, obj in known:
        public_id = obj.id if kind.name == "event" else obj.public_id
        entry = db.session.get(LedgerEntry, (kind.name, public_id)) or LedgerEntry(
            kind=kind.name, public_id=public_id, seq=0)
        entry.digest = "" if not kind.editable else _digest(serialise(kind, obj, names))
        db.session.add(entry)


def _move_out(user_public_id):
    """Close the account here: no more sign-in, memberships and mentoring ended; her records stay, read-only."""
    from lms.sync.outbox import _digest

    user = db.session.execute(db.select(User).filter_by(public_id=user_public_id)).scalar_one_or_none()
    if user is None:
        return "no such account here"
    now = utcnow()
    user.active = False
    ended = 0
    for membership in db.session.execute(db.select(Membership).filter_by(user_id=user.id, left_at=None)).scalars():
        membership.left_at, ended = now, ended + 1
    for assignment in db.session.execute(db.select(MentorAssignment).where(
            MentorAssignment.learner_id == user.id, MentorAssignment.ended_at.is_(None))).scalars():
        assignment.ended_at = now
    db.session.flush()
    sessions.end_all(user)
    entry = db.session.get(LedgerEntry, ("user", user.public_id))
    if entry is not None:  # the account is the new centre's now: this centre's closing is not sent as an edit
        entry.digest = _digest(serialise(BY_NAME["user"], user, Names()))
    return f"account closed, {ended} memberships ended"
