"""The programme's reports at the hub: the overview and the cascade across every centre's records.

Records reach the hub with their origin centre (None: made at the hub itself). A learner belongs to the
centre and country of her account, so counts of distinct learners per (centre, country) add up to every
other grouping; a person is one account, known by her public id, whichever centres she worked in.
Everything is counted by SQL aggregates (GROUP BY), never one Python object per progress row: the hub holds
30,000 learners and millions of events.
"""
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import timedelta

from sqlalchemy import case, distinct, func

from lms.accounts.models import User, UserRole
from lms.catalogue.models import LearningPath
from lms.cohorts.models import Cohort, Membership, TrainerCertification, cohort_paths
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.progress.models import Certificate, PathProgress
from lms.reports.reach import descendants

ACTIVE_DAYS = 30
LOCAL = "local"  # the filter value of records made at the hub itself (origin None)
SHOWN_COHORTS = 50  # the cohorts table shows the largest; the CSV has them all


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the report to; empty strings mean everything."""

    centre: str = ""  # a centre id, or LOCAL
    country: str = ""  # a two-letter code
    cohort: str = ""  # a cohort's public id
    path: str = ""  # a path's slug

    @classmethod
    def from_args(cls, args, centre=None):
        """Read the filters from a query string; a centre admin's centre is imposed (centre=...)."""
        values = {f.name: str(args.get(f.name, "") or "").strip()[:40] for f in fields(cls)}
        if centre is not None:
            values["centre"] = centre
        values["country"] = values["country"].upper()
        return cls(**values)

    def as_args(self):
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def _origin_is(column, centre):
    return column.is_(None) if centre == LOCAL else column == centre


def scope(filters):
    """The select of the learners' ids the filters keep (path aside: it narrows what is counted)."""
    query = db.select(User.id).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == "learner")
    if filters.centre:
        query = query.where(_origin_is(User.origin, filters.centre))
    if filters.country:
        query = query.where(User.country == filters.country)
    if filters.cohort:
        query = query.where(User.id.in_(
            db.select(Membership.user_id).join(Cohort, Cohort.id == Membership.cohort_id)
            .where(Cohort.public_id == filters.cohort, Membership.role == "learner")))
    return query


def _path_id(filters):
    if not filters.path:
        return None
    return db.session.execute(db.select(LearningPath.id).filter_by(slug=filters.path)).scalar() or -1


def overview(filters, now=None):
    """Totals and the tables by centre, country, path and cohort for the learners the filters keep.

    Counted from each learner's progress per path (PathProgress: one row per learner and path, where the
    lesson progress is over a million rows at the hub), in one statement for centres, countries, paths
    and cohorts. Each part reads path_progress itself rather than one shared CTE: PostgreSQL would
    materialise a CTE read three times (180,000 wide rows at the hub, spilled to disk). The filters apply
    to the 30,000 people (users, memberships), not to the progress rows, and each learner's latest
    activity is taken on the narrow table before her centre and country are joined.
    """
    now = now or trusted_now()
    learners = scope(filters)
    path_id = _path_id(filters)
    since = now - timedelta(days=ACTIVE_DAYS)
    on_path = [PathProgress.path_id == path_id] if path_id else []
    latest = (db.select(PathProgress.user_id, func.max(PathProgress.last_activity_at).label("last"))
              .where(*on_path).group_by(PathProgress.user_id).subquery("latest"))  # one row per person who started
    no_text, no_number = db.cast(db.null(), db.String), db.cast(db.null(), db.Integer)
    by_path = (db.select(db.literal("path").label("tag"), User.origin, User.country, PathProgress.path_id.label("key"),
                         func.count().label("n1"), func.sum(PathProgress.lessons_completed).label("n2"))
               .select_from(PathProgress).join(User, User.id == PathProgress.user_id)
               .where(User.id.in_(learners), *on_path)
               .group_by(User.origin, User.country, PathProgress.path_id))
    by_user = (db.select(db.literal("user"), User.origin, User.country, no_number, func.count(),
                         func.count(case((latest.c.last >= since, 1))))
               .select_from(latest).join(User, User.id == latest.c.user_id).where(User.id.in_(learners))
               .group_by(User.origin, User.country))
    in_cohorts = (db.select(db.literal("cohort"), no_text, no_text, Membership.cohort_id, func.count(),
                            func.sum(PathProgress.lessons_completed))
                  .select_from(PathProgress).join(Membership, (Membership.user_id == PathProgress.user_id)
                                                  & (Membership.role == "learner"))
                  .join(cohort_paths, (cohort_paths.c.cohort_id == Membership.cohort_id)
                        & (cohort_paths.c.path_id == PathProgress.path_id))
                  .where(Membership.user_id.in_(learners), *on_path, *_in_cohort(filters))
                  .group_by(Membership.cohort_id))
    certificates = (db.select(User.origin, User.country, Certificate.path_id, func.count())
                    .select_from(Certificate).join(User, User.id == Certificate.user_id)
                    .where(Certificate.user_id.in_(learners), Certificate.revoked_at.is_(None),
                           *([Certificate.path_id == path_id] if path_id else []))
                    .group_by(User.origin, User.country, Certificate.path_id))
    people = db.select(User.origin, User.country, func.count()).where(User.id.in_(learners)) \
        .group_by(User.origin, User.country)
    if path_id:  # a path's learners: those who started it
        people = people.where(User.id.in_(db.select(PathProgress.user_id).where(PathProgress.path_id == path_id)))

    blank = lambda: {"learners": 0, "active": 0, "started": 0, "completed": 0, "certificates": 0}  # noqa: E731
    tables = {"centre": defaultdict(blank), "country": defaultdict(blank), "path": defaultdict(blank)}
    total = blank()

    def add(origin, country, path, **counts):
        keys = {"centre": origin or LOCAL, "country": country or "", "path": path}
        for dimension, table in tables.items():
            if keys[dimension] is not None:
                for name, value in counts.items():
                    table[keys[dimension]][name] += int(value or 0)
        for name, value in counts.items():
            total[name] += int(value or 0)

    for origin, country, count in db.session.execute(people):
        add(origin, country, None, learners=count)
    cohort_done = {}
    for tag, origin, country, key, first, second in db.session.execute(db.union_all(by_path, by_user, in_cohorts)):
        if tag == "path":  # a learner's (centre, country) is one: counts of learners per path add up
            add(origin, country, key, completed=second)
            tables["path"][key]["started"] += first
        elif tag == "user":
            add(origin, country, None, started=first, active=second)
        else:
            cohort_done[key] = int(second or 0)
    for origin, country, path, count in db.session.execute(certificates):
        add(origin, country, path, certificates=count)
    for table in tables.values():
        table.pop(None, None)
    return {"total": total, "by_centre": dict(tables["centre"]), "by_country": dict(tables["country"]),
            "by_path": dict(tables["path"]), "by_cohort": by_cohort(filters, learners, path_id, cohort_done)}


def _in_cohort(filters):
    if not filters.cohort:
        return []
    return [Membership.cohort_id.in_(db.select(Cohort.id).where(Cohort.public_id == filters.cohort))]


def by_cohort(filters, learners, path_id, done):
    """[(Cohort, learners, lessons completed, certificates)], the largest cohorts first; done: {cohort id: lessons}."""
    members = (db.select(Membership.cohort_id, func.count(distinct(Membership.user_id)))
               .where(Membership.role == "learner", Membership.user_id.in_(learners), *_in_cohort(filters))
               .group_by(Membership.cohort_id))
    certified = (db.select(Membership.cohort_id, func.count())
                 .select_from(Membership).join(Certificate, Certificate.user_id == Membership.user_id)
                 .join(cohort_paths, (cohort_paths.c.cohort_id == Membership.cohort_id)
                       & (cohort_paths.c.path_id == Certificate.path_id))
                 .where(Membership.role == "learner", Membership.user_id.in_(learners),
                        Certificate.revoked_at.is_(None), *_in_cohort(filters)).group_by(Membership.cohort_id))
    if path_id:
        members = members.where(Membership.cohort_id.in_(
            db.select(cohort_paths.c.cohort_id).where(cohort_paths.c.path_id == path_id)))
        certified = certified.where(Certificate.path_id == path_id)
    counts = dict(db.session.execute(members).all())
    certificates = dict(db.session.execute(certified).all())
    ranked = sorted(counts, key=lambda cohort_id: (-counts[cohort_id], cohort_id))
    cohorts = {c.id: c for c in db.session.execute(db.select(Cohort).where(Cohort.id.in_(ranked))).scalars()}
    return [(cohorts[i], counts[i], done.get(i, 0), certificates.get(i, 0)) for i in ranked]


def cascade(filters):
    """The cascade across centres, one entry per trainer (a person: one account, whatever centres).

    A trainer certified in one centre who runs a cohort in another is one entry with both centres; her
    learners are counted once each, directly (her cohorts) or through the trainers she certified.
    """
    children = defaultdict(list)
    certified_at = defaultdict(set)
    for user_id, by_id, origin in db.session.execute(
            db.select(TrainerCertification.user_id, TrainerCertification.certified_by_id, TrainerCertification.origin)):
        children[by_id].append(user_id)
        certified_at[user_id].add(origin or LOCAL)
    learners = set(db.session.execute(scope(filters)).scalars())
    path_id = _path_id(filters)
    cohorts = db.select(Cohort.id, Cohort.trainer_id, Cohort.origin, Cohort.public_id)
    if path_id:
        cohorts = cohorts.where(Cohort.id.in_(db.select(cohort_paths.c.cohort_id)
                                              .where(cohort_paths.c.path_id == path_id)))
    runs_at, reached = defaultdict(set), defaultdict(set)
    cohort_rows = db.session.execute(cohorts).all()
    trainer_of = {row.id: row.trainer_id for row in cohort_rows}
    for row in cohort_rows:
        runs_at[row.trainer_id].add(row.origin or LOCAL)
    for cohort_id, user_id in db.session.execute(
            db.select(Membership.cohort_id, Membership.user_id).where(Membership.role == "learner")):
        if cohort_id in trainer_of and user_id in learners:
            reached[trainer_of[cohort_id]].add(user_id)
    trainer_ids = set(certified_at) | set(runs_at) | {i for i in children if i is not None}
    if filters.centre:
        trainer_ids = {i for i in trainer_ids if filters.centre in certified_at[i] | runs_at[i]}
    users = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(trainer_ids))).scalars()}
    if filters.country:
        trainer_ids = {i for i in trainer_ids if users[i].country == filters.country}
    entries, everyone_reached = [], set()
    for trainer_id in sorted(trainer_ids, key=lambda i: (users[i].display_name.lower(), users[i].public_id or "")):
        below = descendants(trainer_id, children)
        direct = reached.get(trainer_id, set())
        indirect = set().union(*(reached.get(i, set()) for i in below)) - direct if below else set()
        everyone_reached |= direct | indirect
        entries.append({"trainer": users[trainer_id],
                        "centres": sorted(certified_at[trainer_id] | runs_at[trainer_id]),
                        "certified_at": sorted(certified_at[trainer_id]), "runs_at": sorted(runs_at[trainer_id]),
                        "certified_in_all": len(below), "direct": len(direct), "indirect": len(indirect)})
    certified_people = {i for i in certified_at if i in trainer_ids}
    return {"entries": entries, "trainers": len(trainer_ids), "certified": len(certified_people),
            "learners": len(everyone_reached)}


def choices():
    """What the filters offer: centres met in the records, countries, cohorts and paths."""
    origins = set(db.session.execute(db.select(User.origin).distinct()).scalars()) | \
        set(db.session.execute(db.select(Cohort.origin).distinct()).scalars())
    countries = sorted(c for c in db.session.execute(db.select(User.country).distinct()).scalars() if c)
    cohorts = db.session.execute(db.select(Cohort.public_id, Cohort.name, Cohort.origin)
                                 .order_by(Cohort.name, Cohort.id)).all()
    paths = db.session.execute(db.select(LearningPath).order_by(LearningPath.position, LearningPath.id)).scalars().all()
    return {"origins": sorted(o or LOCAL for o in origins), "countries": countries, "cohorts": cohorts,
            "paths": paths}
