"""Centre side: registering with a hub, counting changes, exporting what the hub has not acknowledged."""
import hashlib
import json
import re
import uuid
from pathlib import Path

from sqlalchemy import exists, insert

from lms.core.database import new_public_id, utcnow
from lms.core.files import write_replacing
from lms.extensions import db
from lms.sync import bundle, keys
from lms.sync.keys import SyncError
from lms.sync.models import LedgerEntry, SyncState
from lms.sync.catalogue import followed_list
from lms.sync.records import KINDS, RANK, BY_NAME, Names, path_versions, serialise

CHUNK_SIZE = 500
PAGE = 1000
CODE = re.compile(r"^([0-9a-f]{16})-([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})$")


def register(code, name, country=""):
    """Remember the hub and the one-time code; the first bundle carries the code and this centre's key."""
    keys.require_role("centre")
    match = CODE.match((code or "").strip().replace(" ", ""))
    if not match:
        raise SyncError("this is not an enrolment code (it looks like 0123456789abcdef-ABCD-EFGH-JKLM; "
                        "a hub admin makes one with `lms sync enrol-code`)")
    hub, secret = match.groups()
    current = keys.registration()
    if current and current.get("hub") != hub and current.get("hub_key"):
        raise SyncError(f"this centre is already registered with hub {current['hub']}")
    keys.private_key()
    registration = {"centre_id": (current or {}).get("centre_id") or str(uuid.uuid4()),
                    "name": name or (current or {}).get("name") or "", "hub": hub, "enrol": secret,
                    "country": (country or (current or {}).get("country") or "").upper()[:2],
                    "hub_key": (current or {}).get("hub_key") if current and current.get("hub") == hub else None}
    keys.save_registration(registration)
    return registration


def _registration():
    keys.require_role("centre")
    registration = keys.registration()
    if not registration:
        raise SyncError("this centre is not registered with a hub: run `lms sync register CODE` first")
    return registration


def get_state(key, default=""):
    row = db.session.get(SyncState, key)
    return row.value if row else default


def set_state(key, value):
    row = db.session.get(SyncState, key) or SyncState(key=key)
    row.value = str(value)
    db.session.add(row)


def acked_mark():
    return int(get_state("acked", "0"))


def _top():
    return db.session.execute(db.select(db.func.max(LedgerEntry.seq))).scalar() or 0


def _digest(values):
    return hashlib.md5(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def stamp():
    """Give every new or changed record the next counter value; return how many were stamped."""
    names, seq, stamped = Names(), max(_top(), acked_mark()), 0
    for kind in KINDS:
        id_column = kind.id_column
        _fill_missing_ids(kind)
        if not kind.editable:  # append-only: only records the ledger has never seen
            unseen = ~exists().where(LedgerEntry.kind == kind.name, LedgerEntry.public_id == id_column)
            while True:
                page = db.session.execute(
                    db.select(kind.model).where(id_column.is_not(None), unseen).order_by(kind.model.id)
                    .limit(PAGE)).scalars().all()
                if not page:
                    break
                rows = []
                for obj in page:
                    seq += 1
                    rows.append({"kind": kind.name, "public_id": _public_id(obj), "digest": "", "seq": seq})
                db.session.execute(insert(LedgerEntry), rows)
                stamped += len(rows)
            continue
        known = dict(db.session.execute(
            db.select(LedgerEntry.public_id, LedgerEntry.digest).filter_by(kind=kind.name)).all())
        last = 0
        while True:
            page = db.session.execute(db.select(kind.model).where(kind.model.id > last).order_by(kind.model.id)
                                      .limit(PAGE)).scalars().all()
            if not page:
                break
            last = page[-1].id
            for obj in page:
                digest = _digest(serialise(kind, obj, names))
                if known.get(obj.public_id) == digest:
                    continue
                seq += 1
                entry = db.session.get(LedgerEntry, (kind.name, obj.public_id)) or LedgerEntry(
                    kind=kind.name, public_id=obj.public_id)
                entry.digest, entry.seq = digest, seq
                db.session.add(entry)
                stamped += 1
            db.session.flush()
    return stamped


def _public_id(obj):
    return obj.id if isinstance(obj.id, str) else obj.public_id


def _fill_missing_ids(kind):
    """Rows written by raw SQL (an old import, a migration test) get their public id here, through the model."""
    if kind.name == "event":
        return
    for obj in db.session.execute(db.select(kind.model).where(kind.model.public_id.is_(None))).scalars():
        obj.public_id = new_public_id()
    db.session.flush()


def export(path, everything=False):
    """Write a bundle of every change the hub has not acknowledged (all of them with everything=True)."""
    registration = _registration()
    stamp()
    base = 0 if everything else acked_mark()
    entries = db.session.execute(db.select(LedgerEntry.kind, LedgerEntry.public_id, LedgerEntry.seq)
                                 .where(LedgerEntry.seq > base)).all()
    entries.sort(key=lambda entry: (RANK[entry.kind], entry.seq))
    upto = max((entry.seq for entry in entries), default=base)
    header = {"bundle": str(uuid.uuid4()), "hub": registration["hub"], "centre": registration["centre_id"],
              "name": registration.get("name") or "", "country": registration.get("country") or "",
              "key": keys.public_key_text(), "top": _top(),
              "enrol": registration.get("enrol"), "base": base, "upto": max(upto, base),
              "made_at": utcnow().isoformat(),
              # what the hub's acknowledgement should bring back by hand, as a pull would over the internet
              "pulled": int(get_state("pulled", "0")), "paths": path_versions(), "follow": followed_list()}
    path = Path(path)
    names, counts = Names(), {"records": 0, "chunks": 0}

    def write(out):
        writer = bundle.Writer(out, header)
        for start in range(0, len(entries), CHUNK_SIZE):
            chunk = _records(entries[start:start + CHUNK_SIZE], registration["centre_id"], names)
            counts["records"] += len(chunk)
            writer.chunk(chunk)
        writer.close()
        counts["chunks"] = writer.chunks

    write_replacing(path, write)  # on a stick: never through a link someone left there
    set_state("last_export_at", utcnow().isoformat())
    return {**counts, "bytes": path.stat().st_size, "base": base, "upto": header["upto"]}


def _records(entries, centre_id, names):
    """Serialise these ledger entries (one kind after another); a record deleted since is left out."""
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    out = []
    for kind_name, group in sorted(by_kind.items(), key=lambda item: RANK[item[0]]):
        kind = BY_NAME[kind_name]
        seqs = {entry.public_id: entry.seq for entry in group}
        objects = db.session.execute(db.select(kind.model).where(kind.id_column.in_(seqs))).scalars().all()
        for obj in sorted(objects, key=lambda o: seqs[_public_id(o)]):
            public_id = _public_id(obj)
            out.append({"k": kind_name, "id": public_id, "s": seqs[public_id], "o": obj.origin or centre_id,
                        "v": serialise(kind, obj, names)})
    return out


def import_ack(path):
    """Advance this centre's mark from the hub's acknowledgement file; return (mark, renumbered changes, its values).

    What else the acknowledgement brings (decisions, courses) is taken by client.import_acknowledgement.
    """
    registration = _registration()
    ack = bundle.read_ack(Path(path), registration["hub"])
    return (*accept_ack(ack, registration), ack)


def note_restore(app, created_at=None, **_):
    """`lms restore` put an older database back: until the hub next tells what it holds, this centre's counter may
    reuse numbers the hub already holds for records lost with the newer database (see accept_ack)."""
    if str(app.config.get("SITE_ROLE") or "centre").lower() == "centre" and keys.registration():
        set_state("restored", created_at or utcnow().isoformat())
        db.session.commit()


def accept_ack(ack, registration):
    """Advance this centre's mark from a checked acknowledgement (file or HTTP); return (mark, renumbered)."""
    if ack.get("centre") != registration["centre_id"]:
        raise SyncError(f"this acknowledgement is for another centre ({ack.get('centre')}), "
                        f"not this one ({registration['centre_id']})")
    acked, mark, renumbered = int(ack.get("acked", 0)), acked_mark(), 0
    restored = bool(get_state("restored")) and acked >= mark  # an older acknowledgement tells nothing new
    if acked > _top() or (restored and acked > mark):
        # The hub has counted further than this centre (or than its mark, after `lms restore`): this centre was
        # restored from an older backup, and the numbers after its mark may stand, at the hub, for records lost
        # with the newer database. Its changes since the mark are renumbered after the hub's, so the next bundle
        # carries them as new (some may reach the hub twice: it merges them by id).
        pending = db.session.execute(db.select(LedgerEntry).where(LedgerEntry.seq > mark)
                                     .order_by(LedgerEntry.seq)).scalars().all()
        for offset, entry in enumerate(pending, start=1):
            entry.seq = acked + offset
        renumbered = len(pending)
        mark = acked
    elif acked > mark:
        mark = acked
    set_state("acked", mark)
    set_state("last_ack_at", utcnow().isoformat())
    if restored:
        set_state("restored", "")
    registration.update(enrol=None, hub_key=ack["hub_key"])
    keys.save_registration(registration)
    return mark, renumbered


def waiting():
    """How many counted changes the hub has not acknowledged (without counting new ones)."""
    return db.session.execute(db.select(db.func.count()).select_from(LedgerEntry)
                              .where(LedgerEntry.seq > acked_mark())).scalar()
