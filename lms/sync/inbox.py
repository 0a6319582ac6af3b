"""Hub side: enrolment codes, checking a bundle, applying it chunk by chunk, acknowledging it."""
import hashlib
import json
from itertools import groupby
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from lms.core.codes import readable_code
from lms.core.database import utcnow
from lms.extensions import db
from lms.progress.events import recompute_many
from lms.progress.models import ProgressEvent
from lms.sync import bundle, keys
from lms.sync.keys import SyncError
from lms.sync.models import EnrolmentCode, HeldVersion, SyncCentre, SyncConflict
from lms.sync.records import BY_NAME, MissingReference, Names, after_write, column_values

CODE_DAYS = 14


def hub_id():
    return keys.fingerprint(keys.public_key_text())


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def make_enrolment_code(name="", country=""):
    """Return a one-time code for a new centre (valid CODE_DAYS days); only its hash is kept."""
    keys.require_role("hub")
    secret = readable_code(3)
    db.session.add(EnrolmentCode(code_hash=_hash(secret), name=(name or "")[:120], country=_country(country),
                                 expires_at=utcnow() + timedelta(days=CODE_DAYS)))
    return f"{hub_id()}-{secret}"


def signed_centre(centre_id, message, signature, what="request"):
    """Return the registered, unrevoked centre whose key signed `message`; else raise SyncError (403) in words.

    What authenticates a pull or a course download: no session, the centre's signature.
    """
    keys.require_role("hub")
    centre = db.session.execute(db.select(SyncCentre).filter_by(centre_id=centre_id)).scalar_one_or_none()
    if centre is None:
        raise SyncError(f"the hub does not know centre {centre_id}: its first push registers it", status=403)
    if centre.revoked_at:
        raise SyncError(f"centre {centre.name or centre.centre_id} was revoked on {centre.revoked_at:%Y-%m-%d}: "
                        "the hub refuses its syncs", status=403)
    if not keys.verify(centre.public_key, signature or "", message):
        raise SyncError(f"the {what} is not signed with the key the hub registered for this centre", status=403)
    return centre


def revoke_centre(centre_id):
    keys.require_role("hub")
    centre = db.session.execute(db.select(SyncCentre).filter_by(centre_id=centre_id)).scalar_one_or_none()
    if centre is None:
        raise SyncError(f"no centre {centre_id} is registered here (see `lms sync centres`)")
    centre.revoked_at = centre.revoked_at or utcnow()
    return centre


def list_centres():
    return db.session.execute(db.select(SyncCentre).order_by(SyncCentre.name, SyncCentre.id)).scalars().all()


def list_conflicts(limit=200, centre_id=None):
    query = db.select(SyncConflict).order_by(SyncConflict.id.desc()).limit(limit)
    if centre_id is not None:
        query = query.where(SyncConflict.centre_id == centre_id)
    return db.session.execute(query).scalars().all()


class HeaderCheck:
    """Decide which key a bundle's header must be signed with, refusing foreign, unknown and revoked centres."""

    def __init__(self):
        self.header, self.centre, self.code = None, None, None

    def __call__(self, header):
        mine = hub_id()
        if header.get("hub") != mine:
            raise SyncError(f"this bundle is for another hub ({header.get('hub')}); this hub is {mine}", status=403)
        for name in ("bundle", "centre", "key"):
            if not isinstance(header.get(name), str) or not 0 < len(header[name]) <= 64:
                raise SyncError(f"the bundle's header has no valid '{name}'")
        for name in ("base", "upto"):
            if not isinstance(header.get(name), int) or not 0 <= header[name] <= keys.MAX_COUNTER:
                raise SyncError(f"the bundle's header has no valid '{name}'")
        centre = db.session.execute(db.select(SyncCentre).filter_by(centre_id=header["centre"])).scalar_one_or_none()
        if centre is not None and centre.revoked_at:
            raise SyncError(f"centre {centre.name or centre.centre_id} was revoked on "
                            f"{centre.revoked_at:%Y-%m-%d}: its bundles are refused", status=403)
        if centre is not None:
            if header["key"] != centre.public_key:
                raise SyncError(f"this bundle names centre {centre.name or centre.centre_id} but is signed with "
                                "another key than the one the hub registered for it", status=403)
        else:
            secret = header.get("enrol")
            code = db.session.execute(db.select(EnrolmentCode).filter_by(
                code_hash=_hash(secret))).scalar_one_or_none() if isinstance(secret, str) else None
            if code is None or code.used_at is not None or code.expires_at < utcnow():
                raise SyncError(f"this bundle comes from a centre the hub does not know ({header['centre']}) and "
                                "carries no valid enrolment code: ask a hub admin for a new code "
                                "(`lms sync enrol-code`) and run `lms sync register CODE` at the centre", status=403)
            self.code = code
        self.header, self.centre = header, centre
        return header["key"]

    def registered(self):
        """Return the centre's row, registering it (and using up its code) on its first bundle."""
        header, centre = self.header, self.centre
        if centre is None:
            centre = SyncCentre(centre_id=header["centre"], name=str(header.get("name") or self.code.name)[:120],
                                country=_country(header.get("country")) or self.code.country, public_key=header["key"])
            db.session.add(centre)
            self.code.used_at, self.code.centre_id = utcnow(), centre.centre_id
            db.session.commit()
        if isinstance(header.get("top"), int) and 0 <= header["top"] <= keys.MAX_COUNTER:
            centre.reported_seq = header["top"]
        return centre


def _country(value):
    return value.upper() if isinstance(value, str) and len(value) == 2 and value.isalpha() else ""


def import_bundle(path, ack_to=None):
    """Check a whole bundle, then apply its chunks one transaction each; write the acknowledgement.

    Returns a summary. Raises SyncError (with the bundle's line) and changes nothing if any line fails its check.
    """
    keys.require_role("hub")
    path = Path(path)
    check = HeaderCheck()
    for line, item in bundle.read(path, check):
        if line > 1 and "end" not in item:
            check_chunk(line, item)
    header, centre = check.header, check.registered()
    summary = {"centre": centre.name or centre.centre_id, "records": 0, "applied": 0, "conflicts": 0,
               "status": "applied", "base": header["base"], "upto": header["upto"]}
    if header["upto"] <= centre.acked_seq and centre.bundle_id != header["bundle"]:
        summary["status"] = "already applied"
    elif header["base"] > centre.acked_seq:
        raise SyncError(f"this bundle starts after change {header['base']} but the hub holds this centre's changes "
                        f"only up to {centre.acked_seq}: the hub was restored from a backup; export again "
                        "with `lms sync export --all`", status=409)
    else:
        _apply(path, centre, header, summary)
    centre.last_sync_at, centre.last_error = utcnow(), None
    db.session.commit()
    if ack_to:
        summary.update(_write_ack(Path(ack_to), centre, header))
    return summary


def _write_ack(ack_to, centre, header):
    """Write the acknowledgement a centre carries home, with what a pull over the internet would have brought.

    The decisions above the one the centre last applied and the hub's path versions travel inside the signed
    acknowledgement; the archives of the paths it follows and has in another version go in a folder beside it
    (their digests are in the signed part). Returns {"decisions", "courses"} for the summary.
    """
    from lms.sync import catalogue, hub

    since = header.get("pulled") if isinstance(header.get("pulled"), int) else 0
    since = since if 0 <= since <= keys.MAX_COUNTER else 0
    pull = hub.pull_answer(centre, since)
    db.session.commit()
    versions = header.get("paths") if isinstance(header.get("paths"), dict) else {}
    follow = header.get("follow") if isinstance(header.get("follow"), list) else None
    courses = catalogue.write_archives(catalogue.archives_folder(ack_to), pull["paths"], versions, follow)
    bundle.write_ack(ack_to, {"hub": hub_id(), "hub_key": keys.public_key_text(), "centre": centre.centre_id,
                              "acked": centre.acked_seq, "bundle": header["bundle"], "made_at": utcnow().isoformat(),
                              "pull": pull})
    return {"decisions": len(pull["decisions"]), "courses": courses}


def check_chunk(line, item):
    records = item.get("records")
    if not isinstance(item.get("chunk"), int) or not isinstance(records, list):
        raise SyncError("this chunk has no number or no records", line)
    for record in records:
        if not (isinstance(record, dict) and record.get("k") in BY_NAME and isinstance(record.get("id"), str)
                and len(record["id"]) <= 36 and isinstance(record.get("s"), int) and isinstance(record.get("v"), dict)):
            raise SyncError("a record in this chunk is not of a known kind or shape", line)


def _apply(path, centre, header, summary):
    if centre.bundle_id != header["bundle"]:
        centre.bundle_id, centre.chunks_done = header["bundle"], 0
        db.session.commit()
    names, touched = Names(), {}
    for line, item in bundle.read(path, lambda _header: centre.public_key):
        if "chunk" not in item:
            continue
        if item["chunk"] <= centre.chunks_done:
            _touched_by(item["records"], names, touched)  # done before a cut: its learners still need deriving
            continue
        try:
            applied, conflicts = apply_chunk(centre, item["records"], names, touched)
        except MissingReference as missing:
            db.session.rollback()
            note_error(centre, f"{path.name}:{line}: {missing}")
            raise SyncError(f"{missing}: import the paths this centre uses on the hub, then import the bundle "
                            f"again (it resumes at this chunk)", line) from None
        except Exception:
            db.session.rollback()
            note_error(centre, f"{path.name}:{line}: this chunk could not be applied")
            raise
        summary["records"] += len(item["records"])
        summary["applied"] += applied
        summary["conflicts"] += conflicts
        centre.chunks_done = item["chunk"]
        db.session.commit()
    derive_progress(touched)
    centre.acked_seq = max(centre.acked_seq, header["upto"])
    centre.bundle_id, centre.chunks_done = None, 0


def note_error(centre, message):
    centre = db.session.merge(centre)
    centre.last_error = message
    db.session.commit()


def apply_chunk(centre, records, names, touched):
    """Apply one chunk's records in its transaction; return (records changed, conflicts kept).

    touched gathers {user id: lesson ids} whose progress must be derived again.
    """
    applied = conflicts = 0
    for kind_name, group in groupby(records, key=lambda r: r["k"]):
        if kind_name == "event":  # many at once: one bulk insert that skips those already here
            applied += _apply_events(centre, list(group), names, touched)
            continue
        group = list(group)
        inserted = _apply_new(centre, BY_NAME[kind_name], group, names)
        for record in group:
            outcome = "applied" if record["id"] in inserted else _apply_record(centre, BY_NAME[kind_name], record,
                                                                               names)
            applied += outcome == "applied"
            conflicts += outcome == "conflict"
            if outcome == "applied" and kind_name == "quiz_attempt":
                touched.setdefault(names.local("user", record["v"].get("user")), set()).add(
                    names.local("lesson", record["v"].get("lesson")))
    return applied, conflicts


def derive_progress(touched):
    """Derive each learner's progress once from all her events, after the bundle's records are in."""
    recompute_many(touched)


def _apply_events(centre, events, names, touched):
    rows = []
    for record in events:
        values = record["v"]
        rows.append({"id": record["id"], "user_id": names.local("user", values.get("user")),
                     "lesson_id": names.local("lesson", values.get("lesson")), "type": str(values.get("type"))[:32],
                     "occurred_at": column_values_time(values.get("occurred_at")),
                     "received_at": column_values_time(values.get("received_at")),
                     "data": values.get("data") or {}})
    inserted = store_events(rows, centre.centre_id)
    for row in rows:
        if row["id"] in inserted:
            touched.setdefault(row["user_id"], set()).add(row["lesson_id"])
    clashes = [row for row in rows if row["id"] not in inserted]
    if clashes:
        owners = dict(db.session.execute(db.select(ProgressEvent.id, ProgressEvent.user_id)
                                         .where(ProgressEvent.id.in_([row["id"] for row in clashes]))).all())
        for row, record in zip(rows, events):
            if row["id"] not in inserted and owners.get(row["id"]) != row["user_id"]:
                _conflict(centre, BY_NAME["event"], record, "id used by another learner")
    return len(inserted)


# PostgreSQL: the chunk's events as one array per column, unnested: one short statement, whatever the number
# of events (a multi-row VALUES of 500 events has 4,000 placeholders, which the driver parses for each chunk).
_UNNEST_EVENTS = db.text("""
    INSERT INTO progress_events (id, origin, user_id, lesson_id, type, occurred_at, received_at, data)
    SELECT e.id, :origin, e.user_id, e.lesson_id, e.type, e.occurred_at, e.received_at, CAST(e.data AS json)
    FROM unnest(CAST(:ids AS varchar[]), CAST(:users AS integer[]), CAST(:lessons AS integer[]),
                CAST(:types AS varchar[]), CAST(:occurred AS timestamp[]), CAST(:received AS timestamp[]),
                CAST(:data AS text[])) AS e(id, user_id, lesson_id, type, occurred_at, received_at, data)
    ON CONFLICT (id) DO NOTHING
    RETURNING progress_events.id""")


def store_events(rows, origin):
    """Insert these events ON CONFLICT DO NOTHING; return the ids this call stored (exactly once, even when
    another import of the same events runs at the same time)."""
    if not rows:
        return set()
    if db.engine.dialect.name == "postgresql":
        return set(db.session.execute(_UNNEST_EVENTS, {
            "origin": origin, "ids": [r["id"] for r in rows], "users": [r["user_id"] for r in rows],
            "lessons": [r["lesson_id"] for r in rows], "types": [r["type"] for r in rows],
            "occurred": [r["occurred_at"] for r in rows], "received": [r["received_at"] for r in rows],
            "data": [json.dumps(r["data"]) for r in rows]}).scalars())
    table = ProgressEvent.__table__  # SQLite: one statement compiled once, run for many rows
    return set(db.session.execute(_insert_ignoring(table).returning(table.c.id),
                                  [{**row, "origin": origin} for row in rows]).scalars())


def _insert_ignoring(table):
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=["id"])


def column_values_time(value):
    return datetime.fromisoformat(value) if value else None


def _touched_by(records, names, touched):
    for record in records:
        if record["k"] in ("event", "quiz_attempt"):
            try:
                user_id, lesson_id = names.local("user", record["v"].get("user")), names.local(
                    "lesson", record["v"].get("lesson"))
            except MissingReference:
                continue
            touched.setdefault(user_id, set()).add(lesson_id)


def _apply_new(centre, kind, records, names):
    """Insert the records the hub has never seen in one savepoint and one flush; return their ids.

    A first sync brings thousands of accounts and memberships: one flush for the chunk's group instead of a
    savepoint and a flush each. If one of them clashes with a record here, none is kept and each is applied
    on its own by _apply_record (which keeps the clashing one as a conflict).
    """
    ids = [record["id"] for record in records]
    if len(records) < 2 or len(set(ids)) != len(ids):
        return set()
    seen = set(db.session.execute(db.select(kind.model.public_id).where(kind.model.public_id.in_(ids))).scalars())
    if kind.editable:
        seen |= set(db.session.execute(db.select(HeldVersion.public_id).where(
            HeldVersion.kind == kind.name, HeldVersion.public_id.in_(ids))).scalars())
    fresh = [record for record in records if record["id"] not in seen]
    if len(fresh) < 2:
        return set()
    made = []
    savepoint = db.session.begin_nested()
    try:
        with db.session.no_autoflush:
            for record in fresh:
                obj = kind.model(public_id=record["id"], origin=centre.centre_id,
                                 **column_values(kind, record["v"], names))
                db.session.add(obj)
                after_write(kind, obj, record["v"])
                made.append((record, obj))
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        return set()
    for record, obj in made:
        names.remember(kind.name, obj.public_id, obj.id)
        if kind.editable:
            db.session.add(HeldVersion(kind=kind.name, public_id=record["id"], centre_id=centre.centre_id,
                                       seq=record["s"]))
    return {record["id"] for record, _obj in made}


def _apply_record(centre, kind, record, names):
    """Merge one record: append-only ones by public id; editable ones only from their origin centre."""
    obj = db.session.execute(db.select(kind.model).filter_by(public_id=record["id"])).scalar_one_or_none()
    if obj is not None and not kind.editable:
        return "duplicate"
    held = db.session.get(HeldVersion, (kind.name, record["id"])) if kind.editable else None
    if obj is not None:
        if obj.origin != centre.centre_id:
            return _conflict(centre, kind, record, "owned by another centre")
        if held is not None and record["s"] <= held.seq:
            return "older"
    values = column_values(kind, record["v"], names)
    if obj is not None and kind.name == "certificate" and obj.revoked_at:
        # A revocation is never undone or rewritten by a sync (an older copy sent before the centre pulled the
        # programme's decision, or the centre's copy of it, which cannot name the hub's coordinator).
        values.update(revoked_at=obj.revoked_at, revoked_by_id=obj.revoked_by_id, revoke_reason=obj.revoke_reason)
    savepoint = db.session.begin_nested()
    try:
        with db.session.no_autoflush:
            if obj is None:
                obj = kind.model(public_id=record["id"], origin=centre.centre_id, **values)
                db.session.add(obj)
            else:
                for name, value in values.items():
                    setattr(obj, name, value)
            after_write(kind, obj, record["v"])
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        return _conflict(centre, kind, record, "clashes with a record here")
    names.remember(kind.name, obj.public_id, obj.id)
    if kind.editable:
        held = held or HeldVersion(kind=kind.name, public_id=record["id"])
        held.centre_id, held.seq = centre.centre_id, record["s"]
        db.session.add(held)
    return "applied"


def _conflict(centre, kind, record, reason):
    """Keep the losing version where the hub's admins see it; the version the hub holds stays."""
    if db.session.execute(db.select(SyncConflict.id).filter_by(
            centre_id=centre.centre_id, kind=kind.name, public_id=record["id"], seq=record["s"])).first():
        return "conflict"
    db.session.add(SyncConflict(centre_id=centre.centre_id, kind=kind.name, public_id=record["id"],
                                seq=record["s"], reason=reason, data=record["v"]))
    return "conflict"
