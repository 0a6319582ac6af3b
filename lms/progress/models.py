"""The event log (the source of truth), the progress derived from it, check attempts, certificates."""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

EVENT_TYPES = ("lesson_opened", "lesson_completed", "quiz_answered", "time_spent")


class ProgressEvent(db.Model):
    """One thing a learner did, identified by a UUID made on her device."""

    __tablename__ = "progress_events"
    __table_args__ = (db.Index("ix_progress_events_user_lesson", "user_id", "lesson_id"),
                      db.Index("ix_progress_events_received_at", "received_at"))  # the clock's floor: max()

    id: Mapped[str] = mapped_column(db.String(36), primary_key=True)
    origin: Mapped[str | None] = mapped_column(db.String(36))  # the centre it came from (lms.sync)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(db.ForeignKey("lessons.id"))
    type: Mapped[str] = mapped_column(db.String(32))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)


class LessonProgress(db.Model):
    """Where one learner stands in one lesson; recomputed from her events, so order never matters."""

    __tablename__ = "lesson_progress"
    __table_args__ = (db.UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(db.ForeignKey("lessons.id"), index=True)
    first_opened_at: Mapped[datetime | None]
    last_opened_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    time_spent_seconds: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[int | None]
    passed_at: Mapped[datetime | None]

    lesson = relationship("Lesson")


class PathProgress(db.Model):
    """Where one learner stands in one path, summed from her lesson progress each time it is derived.

    The programme's reports at the hub count from these (one row per learner and path, about 180,000)
    instead of every lesson's progress (over a million rows). Lessons retired when she was last summed are
    left out.
    """

    __tablename__ = "path_progress"

    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), primary_key=True)
    path_id: Mapped[int] = mapped_column(db.ForeignKey("learning_paths.id"), primary_key=True, index=True)
    lessons_started: Mapped[int] = mapped_column(default=0)
    lessons_completed: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None]


class QuizAttempt(db.Model):
    """A graded knowledge-check attempt (one per quiz_answered event)."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Global identity for the hub (lms.sync): origin is the centre that made it, None on that centre itself.
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    event_id: Mapped[str] = mapped_column(db.ForeignKey("progress_events.id"), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(db.ForeignKey("lessons.id"))
    occurred_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(db.String(8))
    score: Mapped[int]
    passed: Mapped[bool]
    answers: Mapped[dict] = mapped_column(db.JSON, default=dict)
    results: Mapped[dict] = mapped_column(db.JSON, default=dict)

    __table_args__ = (db.Index("ix_quiz_attempts_user_lesson", "user_id", "lesson_id"),)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (db.UniqueConstraint("user_id", "path_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    code: Mapped[str] = mapped_column(db.String(16), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    path_id: Mapped[int] = mapped_column(db.ForeignKey("learning_paths.id"))
    language: Mapped[str] = mapped_column(db.String(8))
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(db.String(300))

    user = relationship("User", foreign_keys=[user_id])
    path = relationship("LearningPath")
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
