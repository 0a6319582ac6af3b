"""What a centre remembers of its changes and what the hub knows of its centres."""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from lms.core.database import utcnow
from lms.extensions import db


class LedgerEntry(db.Model):
    """Centre side: the counter value of a record's latest version, and a digest to notice the next edit."""

    __tablename__ = "sync_ledger"

    kind: Mapped[str] = mapped_column(db.String(24), primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(db.String(32))
    seq: Mapped[int] = mapped_column(index=True)


class SyncState(db.Model):
    """Centre side: named values such as the hub's acknowledged mark (kept in the database, so a restore rolls it back)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    value: Mapped[str] = mapped_column(db.Text, default="")


class SyncCentre(db.Model):
    """Hub side: a registered centre, its public key and how far its changes have been applied."""

    __tablename__ = "sync_centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[str] = mapped_column(db.String(36), unique=True)
    name: Mapped[str] = mapped_column(db.String(120), default="")
    country: Mapped[str] = mapped_column(db.String(2), default="")
    public_key: Mapped[str] = mapped_column(db.String(64))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    acked_seq: Mapped[int] = mapped_column(default=0)
    # The bundle being applied and how many of its chunks are in: an interrupted import resumes there.
    bundle_id: Mapped[str | None] = mapped_column(db.String(36))
    chunks_done: Mapped[int] = mapped_column(default=0)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(db.Text)
    # The centre's highest counter when it last pushed: what it still has to send is reported_seq - acked_seq.
    reported_seq: Mapped[int | None]


class EnrolmentCode(db.Model):
    """Hub side: a one-time code a hub admin gives a centre; only its hash is kept."""

    __tablename__ = "sync_enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    name: Mapped[str] = mapped_column(db.String(120), default="")
    country: Mapped[str] = mapped_column(db.String(2), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    centre_id: Mapped[str | None] = mapped_column(db.String(36))


class HeldVersion(db.Model):
    """Hub side: which centre's counter value the hub holds for an editable record (older versions change nothing)."""

    __tablename__ = "sync_versions"

    kind: Mapped[str] = mapped_column(db.String(24), primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), primary_key=True)
    centre_id: Mapped[str] = mapped_column(db.String(36))
    seq: Mapped[int]


class SyncConflict(db.Model):
    """Hub side: the losing version of a conflicting edit, kept for the hub's admins to see."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[str] = mapped_column(db.String(36), index=True)
    kind: Mapped[str] = mapped_column(db.String(24))
    public_id: Mapped[str] = mapped_column(db.String(36))
    seq: Mapped[int]
    reason: Mapped[str] = mapped_column(db.String(40))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HubDecision(db.Model):
    """Hub side: a decision the programme took on a centre's record (a certificate revoked), for that centre to pull.

    The id is the hub's counter: a centre pulls the decisions above the last one it applied.
    """

    __tablename__ = "sync_decisions"
    __table_args__ = (db.UniqueConstraint("kind", "public_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[str] = mapped_column(db.String(36), index=True)
    kind: Mapped[str] = mapped_column(db.String(40))
    public_id: Mapped[str] = mapped_column(db.String(36))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
