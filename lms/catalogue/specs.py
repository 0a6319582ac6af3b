"""Plain descriptions of what the course files say, produced by parsing and consumed by the importer."""
from dataclasses import dataclass, field


@dataclass
class Problem:
    """Something wrong in a course file, with where it is."""

    file: str
    line: int | None
    message: str
    fatal: bool = True

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {'error' if self.fatal else 'warning'}: {self.message}"


class Problems(list):
    def error(self, file, line, message):
        self.append(Problem(str(file), line, message, True))

    def warning(self, file, line, message):
        self.append(Problem(str(file), line, message, False))

    @property
    def errors(self):
        return [p for p in self if p.fatal]


@dataclass
class TextSpec:
    language: str
    title: str
    minutes: int
    objectives: list
    html: str
    toc: list
    plain_text: str
    words: int
    quiz: dict | None
    assignment: dict | None
    source_path: str
    content_hash: str
    assets: list = field(default_factory=list)
    unchanged: bool = False
    trainer_html: str = ""
    audio: dict | None = None  # the lesson read aloud (MediaStore.audio), or one a step: see LessonText.audio


@dataclass
class LessonSpec:
    slug: str
    position: int
    module: str | None
    texts: dict = field(default_factory=dict)  # language -> TextSpec
    source: str = ""


@dataclass
class ModuleSpec:
    slug: str
    position: int
    title: dict


@dataclass
class PathSpec:
    slug: str
    position: int
    level: str
    hours: float
    pass_mark: int
    title: dict
    summary: dict
    audience: dict
    credits: dict
    source_format: str
    source_root: str
    source_dir: str
    meta_hash: str = ""
    source_id: str = ""  # see LearningPath.source_id
    modules: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # the Problems (not fatal) found while reading it
    trainer_notes: dict = field(default_factory=dict)  # language -> HTML shown to trainers only
