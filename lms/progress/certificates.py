"""Certificates: issued when a path is complete, verifiable by code, revocable and never deleted.

Other domains may add conditions for completing a path (mentoring adds
"every assignment approved") by appending to COMPLETION_RULES a function
(user, path, lessons) -> [(lesson, reason)] listing what is still missing (empty when
nothing is): the same answer issues the certificate and tells the learner what to do.
"""
from lms.accounts import visibility
from lms.catalogue.models import LearningPath
from lms.core.codes import readable_code
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.progress.models import Certificate, LessonProgress
from lms.progress.signals import certificate_issued

COMPLETION_RULES = []


class CertificateError(ValueError):
    pass


def completion_time(user, path):
    """Return when the learner completed every active lesson of the path, or None."""
    lessons = [l for l in path.lessons if l.retired_at is None]
    if not lessons:
        return None
    done = dict(db.session.execute(
        db.select(LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_([l.id for l in lessons]))).all())
    if any(done.get(l.id) is None for l in lessons):
        return None
    if any(rule(user, path, lessons) for rule in COMPLETION_RULES):
        return None
    return max(done.values())


def missing_for(user, path):
    """Return what still keeps her from this path's certificate: [(lesson, reason)] in lesson order.

    Reasons: "not_done", "check_not_passed" (she tried the check), and those of COMPLETION_RULES.
    """
    lessons = [l for l in path.lessons if l.retired_at is None]
    progress = {p.lesson_id: p for p in db.session.execute(
        db.select(LessonProgress).where(LessonProgress.user_id == user.id,
                                        LessonProgress.lesson_id.in_([l.id for l in lessons]))).scalars()}
    missing = []
    for lesson in lessons:
        state = progress.get(lesson.id)
        if state is None or state.completed_at is None:
            missing.append((lesson, "check_not_passed" if state and state.attempts else "not_done"))
    for rule in COMPLETION_RULES:
        missing.extend(rule(user, path, lessons))
    order = {l.id: i for i, l in enumerate(lessons)}
    return sorted(missing, key=lambda item: order.get(item[0].id, 0))


def issue_completed(user, path_ids):
    """Issue a certificate for each of these paths the learner has just completed."""
    issued = []
    for path in db.session.execute(db.select(LearningPath).where(LearningPath.id.in_(path_ids))).scalars():
        existing = db.session.execute(
            db.select(Certificate).filter_by(user_id=user.id, path_id=path.id)).scalar_one_or_none()
        if existing:
            continue
        completed_at = completion_time(user, path)
        if completed_at is None:
            continue
        certificate = Certificate(code=readable_code(3), user_id=user.id, path_id=path.id, language=user.locale,
                                  completed_at=completed_at, issued_at=trusted_now())
        db.session.add(certificate)
        db.session.flush()
        certificate_issued.send(None, certificate=certificate)
        issued.append(certificate)
    return issued


def get_by_code(code):
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) == 12 and "-" not in code:
        code = "-".join(code[i:i + 4] for i in (0, 4, 8))
    return db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one_or_none()


def can_manage(actor, certificate):
    """Admins may revoke any certificate, trainers those of the learners they can see."""
    if not actor.is_authenticated or actor.id == certificate.user_id:
        return False
    return actor.has_role("admin") or (actor.has_role("trainer") and visibility.can_see(actor, certificate.user))


def revoke(actor, certificate, reason):
    """Revoke a certificate; it is kept and shown as revoked."""
    if not can_manage(actor, certificate):
        raise CertificateError("not_allowed")
    if certificate.revoked_at:
        raise CertificateError("already_revoked")
    certificate.revoked_at = trusted_now()
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = (reason or "").strip()[:300] or None
