"""Peer learning records: circles and their members, threads and posts, reports, blocks, weekly pairs,
the opt-in directory, and when each person last read her What's new."""
from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import new_public_id, utcnow
from lms.extensions import db

THREAD_KINDS = ("circle", "cohort", "question")


class Circle(db.Model):
    """A small group (5–8) of a cohort's learners who learn together and are paired each week."""

    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort = relationship("Cohort")


class CircleMember(db.Model):
    """Her place in a circle; moving or leaving ends the row instead of deleting it."""

    __tablename__ = "circle_members"
    __table_args__ = (db.Index("ix_circle_members_current", "user_id", "left_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    circle_id: Mapped[int] = mapped_column(db.ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    pairing: Mapped[bool] = mapped_column(default=True)  # she may step out of the weekly pairs
    share_phone: Mapped[bool] = mapped_column(default=False)  # her circle may see her WhatsApp link

    circle: Mapped[Circle] = relationship()
    user = relationship("User")


class Thread(db.Model):
    """A conversation: one per circle, one per cohort, or one question on a lesson."""

    __tablename__ = "threads"
    __table_args__ = (db.Index("ix_threads_lesson", "lesson_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(db.String(16))
    cohort_id: Mapped[int] = mapped_column(db.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    circle_id: Mapped[int | None] = mapped_column(db.ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(db.ForeignKey("lessons.id"))
    author_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))  # who asked, for a question
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort = relationship("Cohort")
    circle = relationship(Circle)
    lesson = relationship("Lesson")
    author = relationship("User")


class Post(db.Model):
    """A short message in a thread. Its public id may come from the phone that wrote it (sent exactly once)."""

    __tablename__ = "posts"
    __table_args__ = (db.Index("ix_posts_thread", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    reply_to_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"), index=True)
    body: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str] = mapped_column(db.Text, default="")
    language: Mapped[str | None] = mapped_column(db.String(8))  # the interface language she wrote in: lang="…"
    photo: Mapped[str | None] = mapped_column(db.String(80), index=True)
    voice_note: Mapped[str | None] = mapped_column(db.String(80), index=True)  # see lms.media.voice_notes
    voice_seconds: Mapped[int | None]
    voice_bytes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    helpful_at: Mapped[datetime | None]  # marked helpful by the one who asked
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(db.String(300))

    thread: Mapped[Thread] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    hidden_by = relationship("User", foreign_keys=[hidden_by_id])
    reply_to = relationship("Post", remote_side=[id])


class PostReport(db.Model):
    """A member tells the moderators that a post should not be there."""

    __tablename__ = "post_reports"
    __table_args__ = (db.UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(db.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship()
    reporter = relationship("User")


class Block(db.Model):
    """She no longer sees this member's posts and is never paired with her."""

    __tablename__ = "member_blocks"
    __table_args__ = (db.UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    blocker_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    blocked_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked = relationship("User", foreign_keys=[blocked_id])


class Pair(db.Model):
    """Two (or, in an odd circle, three) members of a circle who talk this week."""

    __tablename__ = "pairs"
    __table_args__ = (db.Index("ix_pairs_circle_week", "circle_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    circle_id: Mapped[int] = mapped_column(db.ForeignKey("circles.id", ondelete="CASCADE"))
    week_of: Mapped[date]  # the Monday of the week
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    circle: Mapped[Circle] = relationship()
    members: Mapped[list["PairMember"]] = relationship(back_populates="pair", cascade="all, delete-orphan",
                                                       order_by="PairMember.id")


class PairMember(db.Model):
    """One person in a weekly pair: whether she says they talked, and the one thing she learned."""

    __tablename__ = "pair_members"
    __table_args__ = (db.UniqueConstraint("pair_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    pair_id: Mapped[int] = mapped_column(db.ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    met_at: Mapped[datetime | None]
    learned: Mapped[str | None] = mapped_column(db.String(280))

    pair: Mapped[Pair] = relationship(back_populates="members")
    user = relationship("User")


class DirectoryProfile(db.Model):
    """Her business in the programme's directory, only while she chooses to be listed (deleted when she leaves)."""

    __tablename__ = "directory_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    business_name: Mapped[str] = mapped_column(db.String(120))
    trade: Mapped[str] = mapped_column(db.String(80), index=True)
    town: Mapped[str] = mapped_column(db.String(80), index=True)
    country: Mapped[str | None] = mapped_column(db.String(2))
    offer: Mapped[str] = mapped_column(db.String(500), default="")
    looking_for: Mapped[str] = mapped_column(db.String(500), default="")
    help_with: Mapped[str] = mapped_column(db.String(500), default="")  # mentors and trainers
    language: Mapped[str | None] = mapped_column(db.String(8))  # the interface language she wrote it in: lang="…"
    whatsapp: Mapped[str | None] = mapped_column(db.String(32))
    photo: Mapped[str | None] = mapped_column(db.String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class WhatsNewMark(db.Model):
    """When she last opened What's new: what came after is unread."""

    __tablename__ = "whats_new_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
