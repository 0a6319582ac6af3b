"""Practical work handed in, mentors' reviews, and the mentoring log."""
from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

STATUSES = ("submitted", "changes_requested", "approved")


class Submission(db.Model):
    """One round of a learner's work for a lesson's assignment; every round is kept."""

    __tablename__ = "submissions"
    __table_args__ = (db.Index("ix_submissions_user_lesson", "user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Global identity for the hub (lms.sync): origin is the centre that made it, None on that centre itself.
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(db.ForeignKey("lessons.id"))
    round: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(db.String(20), default="submitted", index=True)
    text: Mapped[str | None] = mapped_column(db.Text)
    link: Mapped[str | None] = mapped_column(db.String(500))
    photo: Mapped[str | None] = mapped_column(db.String(80))
    # The interface language she wrote in (her locale then), so the text is read aloud in it: lang="…".
    language: Mapped[str | None] = mapped_column(db.String(8))
    voice_note: Mapped[str | None] = mapped_column(db.String(80))  # its file name; see lms.media.voice_notes
    voice_seconds: Mapped[int | None]
    voice_bytes: Mapped[int | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
    lesson = relationship("Lesson")
    reviews: Mapped[list["Review"]] = relationship(back_populates="submission", order_by="Review.created_at")


class Review(db.Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(db.String(36), unique=True, index=True, default=new_public_id)
    origin: Mapped[str | None] = mapped_column(db.String(36))
    submission_id: Mapped[int] = mapped_column(db.ForeignKey("submissions.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(db.String(20))
    feedback: Mapped[str] = mapped_column(db.Text, default="")
    feedback_html: Mapped[str] = mapped_column(db.Text, default="")
    language: Mapped[str | None] = mapped_column(db.String(8))  # as Submission.language
    voice_note: Mapped[str | None] = mapped_column(db.String(80))
    voice_seconds: Mapped[int | None]
    voice_bytes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="reviews")
    mentor = relationship("User")


class MentoringNote(db.Model):
    """A meeting between a mentor and her mentee: what was said and the next steps agreed."""

    __tablename__ = "mentoring_notes"
    __table_args__ = (db.Index("ix_mentoring_notes_learner", "learner_id", "met_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    mentor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    met_on: Mapped[date]
    notes: Mapped[str] = mapped_column(db.Text, default="")
    next_steps: Mapped[str] = mapped_column(db.Text, default="")
    language: Mapped[str | None] = mapped_column(db.String(8))  # as Submission.language
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentor = relationship("User", foreign_keys=[mentor_id])
