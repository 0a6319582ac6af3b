"""The records a centre sends the hub: how each kind is written as plain JSON and applied on the other side.

Integer keys stay local: a record names another by its public id, a lesson or path by its slug.
Kinds are listed in the order a hub can apply them (an account before her memberships).
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, DateTime

from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath, Lesson
from lms.cohorts.models import Cohort, MentorAssignment, Membership, TrainerCertification
from lms.core.codes import readable_code
from lms.extensions import db
from lms.mentoring.models import Review, Submission
from lms.progress.models import Certificate, ProgressEvent, QuizAttempt


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    fields: tuple
    refs: dict = field(default_factory=dict)  # column -> kind of the record it names
    editable: bool = True  # False: append-only, merged by public id and never changed
    lesson: bool = False
    path: bool = False

    @property
    def id_column(self):
        return self.model.id if self.model is ProgressEvent else self.model.public_id


KINDS = (
    Kind("user", User, ("username", "display_name", "password_hash", "must_change_password", "locale", "country",
                        "organisation", "phone", "email", "active", "created_at")),
    Kind("cohort", Cohort, ("name", "language", "starts_on", "ends_on", "place", "join_code", "pin_sign_in",
                            "created_at", "archived_at"), refs={"trainer_id": "user"}),
    Kind("membership", Membership, ("role", "joined_at", "left_at"), refs={"cohort_id": "cohort", "user_id": "user"}),
    Kind("mentor_assignment", MentorAssignment, ("assigned_at", "ended_at"),
         refs={"cohort_id": "cohort", "learner_id": "user", "mentor_id": "user", "assigned_by_id": "user"}),
    Kind("trainer_certification", TrainerCertification, ("certified_at",),
         refs={"user_id": "user", "certified_by_id": "user", "cohort_id": "cohort"}),
    Kind("event", ProgressEvent, ("type", "occurred_at", "received_at", "data"), refs={"user_id": "user"},
         editable=False, lesson=True),
    Kind("quiz_attempt", QuizAttempt, ("occurred_at", "language", "score", "passed", "answers", "results"),
         refs={"user_id": "user", "event_id": "event"}, editable=False, lesson=True),
    Kind("certificate", Certificate, ("code", "language", "completed_at", "issued_at", "revoked_at",
                                      "revoke_reason"), refs={"user_id": "user", "revoked_by_id": "user"}, path=True),
    # `language` (what she wrote in, shown as lang="…") came later: a hub or centre of the version before
    # reads such a record without it, and gives a record without it None, as for work written before.
    Kind("submission", Submission, ("round", "status", "text", "link", "submitted_at", "language"),
         refs={"user_id": "user"}, lesson=True),
    Kind("review", Review, ("decision", "feedback", "feedback_html", "created_at", "language"),
         refs={"submission_id": "submission", "mentor_id": "user"}, editable=False),
)
BY_NAME = {kind.name: kind for kind in KINDS}
RANK = {kind.name: rank for rank, kind in enumerate(KINDS)}


class MissingReference(Exception):
    """A record names one the hub does not have (a lesson not imported there, an account not yet sent)."""


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _typed(kind, name, value):
    if value is None:
        return None
    column_type = kind.model.__table__.c[name].type
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


class Names:
    """Local integer ids <-> public ids and slugs, looked up once per sync and cached."""

    def __init__(self):
        self._public, self._local = {}, {}

    def public(self, kind_name, local_id):
        if local_id is None or kind_name == "event":
            return local_id
        cache = self._public.setdefault(kind_name, {})
        if local_id not in cache:
            model, column = self._target(kind_name)
            cache[local_id] = db.session.execute(db.select(column).where(model.id == local_id)).scalar()
        return cache[local_id]

    def local(self, kind_name, public_id):
        if public_id is None or kind_name == "event":
            return public_id
        cache = self._local.setdefault(kind_name, {})
        if public_id not in cache:
            model, column = self._target(kind_name)
            cache[public_id] = db.session.execute(db.select(model.id).where(column == public_id)).scalar()
        if cache[public_id] is None:
            del cache[public_id]
            raise MissingReference(f"{kind_name} {public_id} is not on the hub")
        return cache[public_id]

    def remember(self, kind_name, public_id, local_id):
        self._local.setdefault(kind_name, {})[public_id] = local_id

    @staticmethod
    def _target(kind_name):
        if kind_name == "lesson":
            return Lesson, Lesson.slug
        if kind_name == "path":
            return LearningPath, LearningPath.slug
        model = BY_NAME[kind_name].model
        return model, model.public_id


def serialise(kind, obj, names):
    """Return the record's content as plain JSON values (what the digest and the bundle hold)."""
    values = {name: _plain(getattr(obj, name)) for name in kind.fields}
    for column, target in kind.refs.items():
        values[column[:-3]] = names.public(target, getattr(obj, column))
    if kind.lesson:
        values["lesson"] = names.public("lesson", obj.lesson_id)
    if kind.path:
        values["path"] = names.public("path", obj.path_id)
    if kind.model is User:
        values["roles"] = sorted(obj.roles)
    elif kind.model is Cohort:
        values["paths"] = [path.slug for path in obj.paths]
    elif kind.model is Submission:
        values["has_photo"] = bool(obj.photo)  # photos stay at the centre (README: what leaves a centre)
    return values


def column_values(kind, values, names):
    """Turn a record's JSON values into column values of this site (raises MissingReference)."""
    columns = {name: _typed(kind, name, values.get(name)) for name in kind.fields}
    for column, target in kind.refs.items():
        columns[column] = names.local(target, values.get(column[:-3]))
    if kind.lesson:
        columns["lesson_id"] = names.local("lesson", values.get("lesson"))
    if kind.path:
        columns["path_id"] = names.local("path", values.get("path"))
    return columns


def free_username(username, public_id):
    """Two centres may each have an 'aicha': the second keeps hers, with a suffix, at the hub."""
    taken = db.session.execute(db.select(User.public_id).filter_by(username=username)).scalar()
    if taken is None or taken == public_id:
        return username
    return f"{username[:31]}-{public_id[:8]}"


def after_write(kind, obj, values):
    """Set what is not a plain column: an account's roles, a cohort's paths, a unique cohort code."""
    if kind.model is User:
        obj.username = free_username(obj.username, obj.public_id)
        wanted = set(values.get("roles") or [])
        obj.role_rows = [row for row in obj.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - obj.roles)]
    elif kind.model is Cohort:
        slugs = values.get("paths") or []
        obj.paths = list(db.session.execute(
            db.select(LearningPath).where(LearningPath.slug.in_(slugs))).scalars()) if slugs else []
        clash = db.session.execute(db.select(Cohort.public_id).filter_by(join_code=obj.join_code)).scalar()
        if clash is not None and clash != obj.public_id:
            obj.join_code = readable_code(2)


def path_versions():
    """{path slug: version}: a digest of the path's texts as imported, equal wherever the same files were imported."""
    from hashlib import sha256

    from lms.catalogue.models import LessonText

    rows = db.session.execute(
        db.select(LearningPath.slug, LearningPath.meta_hash, Lesson.slug, LessonText.language, LessonText.content_hash)
        .join(Lesson, Lesson.path_id == LearningPath.id).join(LessonText, LessonText.lesson_id == Lesson.id)
        .where(LearningPath.retired_at.is_(None), Lesson.retired_at.is_(None))).all()
    digests = {}
    for row in sorted(rows, key=lambda r: (r[0], r[2], r[3])):
        digests.setdefault(row[0], sha256(row[1].encode())).update(f"|{row[2]}:{row[3]}:{row[4]}".encode())
    return {slug: digest.hexdigest()[:16] for slug, digest in digests.items()}
