"""Cohorts run by a trainer: their paths, members, mentor assignments, PINs, and trainer certifications."""
from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

cohort_paths = db.Table(
    "cohort_paths",
    db.Column("cohort_id", db.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    db.Column("path_id", db.ForeignKey("learning_paths.id"), primary_key=True),
)


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Global identity for the hub (lms.sync): origin is the centre that made it, None on that centre itself.
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    name: Mapped[str] = mapped_column(db.String(120))
    language: Mapped[str] = mapped_column(db.String(8), default="fr")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(db.String(160))
    join_code: Mapped[str] = mapped_column(db.String(12), unique=True)
    pin_sign_in: Mapped[bool] = mapped_column(default=False)
    trainer_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    trainer = relationship("User")
    paths = relationship("LearningPath", secondary=cohort_paths, order_by="LearningPath.position")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class Membership(db.Model):
    """A learner or a mentor in a cohort; leaving keeps the row."""

    __tablename__ = "memberships"
    __table_args__ = (db.UniqueConstraint("cohort_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(db.String(16), default="learner")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    pin_hash: Mapped[str | None] = mapped_column(db.String(255))
    pin_expires_at: Mapped[datetime | None]  # a printed PIN sheet can be set to expire

    cohort: Mapped[Cohort] = relationship(back_populates="memberships")
    user = relationship("User")


class Invitation(db.Model):
    """A trainer asks an existing account to join her cohort; only its owner (or an admin) can accept."""

    __tablename__ = "cohort_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(db.String(16), default="learner")
    invited_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    accepted: Mapped[bool | None]

    cohort: Mapped[Cohort] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    invited_by = relationship("User", foreign_keys=[invited_by_id])


class MentorAssignment(db.Model):
    """Who mentors whom in a cohort; reassigning ends the old row instead of changing it."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (db.Index("ix_mentor_assignments_current", "cohort_id", "learner_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    mentor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    learner = relationship("User", foreign_keys=[learner_id])
    mentor = relationship("User", foreign_keys=[mentor_id])


class TrainerCertification(db.Model):
    """A learner made trainer by her trainer: the edges of the cascade."""

    __tablename__ = "trainer_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), unique=True)
    certified_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(db.ForeignKey("cohorts.id"))
    certified_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    certified_by = relationship("User", foreign_keys=[certified_by_id])


from lms.cohorts.sessions_models import Attendance, CohortSession, session_lessons  # noqa: E402,F401
