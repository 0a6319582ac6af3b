"""Learning paths, their modules and lessons, with one text per lesson and language.

A lesson's `slug` is the stable id written in its file: learner history is
attached to the Lesson row it names, so it survives edits, renames and moves.
"""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.database import utcnow
from lms.extensions import db


class LearningPath(db.Model):
    __tablename__ = "learning_paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[str] = mapped_column(db.String(20), default="beginner")
    hours: Mapped[float] = mapped_column(default=0)
    pass_mark: Mapped[int] = mapped_column(default=70)
    title: Mapped[dict] = mapped_column(db.JSON, default=dict)
    summary: Mapped[dict] = mapped_column(db.JSON, default=dict)
    audience: Mapped[dict] = mapped_column(db.JSON, default=dict)
    credits: Mapped[dict] = mapped_column(db.JSON, default=dict)
    source_format: Mapped[str] = mapped_column(db.String(20), default="native")
    source_root: Mapped[str] = mapped_column(db.String(500), default="")
    source_dir: Mapped[str] = mapped_column(db.String(500), default="")
    meta_hash: Mapped[str] = mapped_column(db.String(64), default="")
    # Where the path comes from ("native:<id>", "repo:github.com/owner/name", "dir:/abs/folder"): a folder
    # from elsewhere that happens to carry the same id must not take the path over.
    source_id: Mapped[str] = mapped_column(db.String(500), default="")
    import_warnings: Mapped[list] = mapped_column(db.JSON, default=list)  # ["file:line: warning: …", …]
    trainer_notes: Mapped[dict] = mapped_column(db.JSON, default=dict)  # language -> HTML for trainers only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    modules: Mapped[list["Module"]] = relationship(back_populates="path", order_by="Module.position")
    lessons: Mapped[list["Lesson"]] = relationship(back_populates="path", order_by="Lesson.position")

    def __repr__(self):
        return f"<LearningPath {self.slug}>"


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (db.UniqueConstraint("path_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(db.ForeignKey("learning_paths.id"), index=True)
    slug: Mapped[str] = mapped_column(db.String(120))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(db.JSON, default=dict)
    retired_at: Mapped[datetime | None]

    path: Mapped[LearningPath] = relationship(back_populates="modules")


class Lesson(db.Model):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    path_id: Mapped[int] = mapped_column(db.ForeignKey("learning_paths.id"), index=True)
    module_id: Mapped[int | None] = mapped_column(db.ForeignKey("modules.id"))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    path: Mapped[LearningPath] = relationship(back_populates="lessons")
    module: Mapped[Module | None] = relationship()
    texts: Mapped[list["LessonText"]] = relationship(back_populates="lesson", lazy="selectin",
                                                     cascade="all, delete-orphan")

    def text(self, language):
        """Return the text in this language, else any other, with a flag saying which."""
        by_language = {t.language: t for t in self.texts}
        if language in by_language:
            return by_language[language], False
        for other in ("fr", "en", *sorted(by_language)):
            if other in by_language:
                return by_language[other], True
        return None, True

    def __repr__(self):
        return f"<Lesson {self.slug}>"


class LessonText(db.Model):
    """One language of a lesson, rendered once at import."""

    __tablename__ = "lesson_texts"
    __table_args__ = (db.UniqueConstraint("lesson_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(db.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(db.String(8))
    title: Mapped[str] = mapped_column(db.String(300))
    minutes: Mapped[int] = mapped_column(default=0)
    objectives: Mapped[list] = mapped_column(db.JSON, default=list)
    # Loaded only when read: lists of lessons need titles, not whole lessons.
    html: Mapped[str] = mapped_column(db.Text, default="", deferred=True)
    toc: Mapped[list] = mapped_column(db.JSON, default=list)
    plain_text: Mapped[str] = mapped_column(db.Text, default="", deferred=True)
    trainer_html: Mapped[str] = mapped_column(db.Text, default="", deferred=True)  # instructor notes
    words: Mapped[int] = mapped_column(default=0)
    quiz: Mapped[dict | None] = mapped_column(db.JSON)
    assignment: Mapped[dict | None] = mapped_column(db.JSON)
    source_path: Mapped[str] = mapped_column(db.String(500), default="")
    assets: Mapped[list] = mapped_column(db.JSON, default=list)  # [[file, size], ...] the text uses
    # The lesson read aloud: {"url", "seconds", "bytes"}, or one recording a step: {"steps": [those], "seconds",
    # "bytes"} (the totals).
    audio: Mapped[dict | None] = mapped_column(db.JSON)
    content_hash: Mapped[str] = mapped_column(db.String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="texts")

    @property
    def recordings(self):
        """Its recorded readings, each {"url", "seconds", "bytes"}: the whole lesson, or one a step; [] without."""
        if not self.audio:
            return []
        return list(self.audio.get("steps") or []) if "steps" in self.audio else [self.audio]
