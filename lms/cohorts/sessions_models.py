"""A cohort's sessions (date, time, place, topic, linked lessons) and who attended them."""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

session_lessons = db.Table(
    "cohort_session_lessons",
    db.Column("session_id", db.ForeignKey("cohort_sessions.id", ondelete="CASCADE"), primary_key=True),
    db.Column("lesson_id", db.ForeignKey("lessons.id"), primary_key=True),
)


class CohortSession(db.Model):
    """A meeting of the cohort at the centre; learners check in with its short code."""

    __tablename__ = "cohort_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(db.String(160))
    topic: Mapped[str] = mapped_column(db.String(200))
    check_in_code: Mapped[str] = mapped_column(db.String(12), unique=True)
    created_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort = relationship("Cohort")
    lessons = relationship("Lesson", secondary=session_lessons, order_by="Lesson.position")


class Attendance(db.Model):
    """One learner at one session: present or absent, and who said so (her trainer, or herself by code)."""

    __tablename__ = "attendances"
    __table_args__ = (db.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    session_id: Mapped[int] = mapped_column(db.ForeignKey("cohort_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    present: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(db.String(16), default="trainer")  # trainer or code
    recorded_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[CohortSession] = relationship()
    user = relationship("User", foreign_keys=[user_id])
