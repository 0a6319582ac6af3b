"""The cascade's reach: trainers certified by each trainer, and the learners reached directly and through them."""
from collections import defaultdict

from lms.accounts.models import User, UserRole
from lms.cohorts.models import Cohort, Membership, TrainerCertification, cohort_paths
from lms.catalogue.models import LearningPath
from lms.extensions import db


def _tree():
    children = defaultdict(list)
    for user_id, certified_by in db.session.execute(
            db.select(TrainerCertification.user_id, TrainerCertification.certified_by_id)):
        children[certified_by].append(user_id)
    return children


def descendants(trainer_id, children):
    """Every trainer certified by her, or by those she certified, and so on."""
    seen, stack = [], list(children.get(trainer_id, []))
    while stack:
        user_id = stack.pop()
        if user_id in seen or user_id == trainer_id:
            continue
        seen.append(user_id)
        stack.extend(children.get(user_id, []))
    return seen


def _learners_by_trainer():
    """Return {trainer id: {learner id: set of path ids}} from the cohorts each trainer runs."""
    paths_of = defaultdict(set)
    for cohort_id, path_id in db.session.execute(db.select(cohort_paths.c.cohort_id, cohort_paths.c.path_id)):
        paths_of[cohort_id].add(path_id)
    reached = defaultdict(lambda: defaultdict(set))
    for trainer_id, cohort_id, learner_id in db.session.execute(
            db.select(Cohort.trainer_id, Cohort.id, Membership.user_id)
            .join(Membership, Membership.cohort_id == Cohort.id).where(Membership.role == "learner")):
        reached[trainer_id][learner_id] |= paths_of[cohort_id]
    return reached


def build(actor):
    """One entry per trainer the actor may see: admins all, a trainer herself and her cascade."""
    children = _tree()
    reached = _learners_by_trainer()
    trainer_ids = set(db.session.execute(db.select(UserRole.user_id).where(UserRole.role == "trainer")).scalars())
    if not actor.has_role("admin"):
        trainer_ids = {actor.id, *descendants(actor.id, children)} & (trainer_ids | {actor.id})
    users = {u.id: u for u in db.session.execute(db.select(User)).scalars()} if trainer_ids else {}
    paths = {p.id: p for p in db.session.execute(db.select(LearningPath)).scalars()}
    report = []
    for trainer_id in sorted(trainer_ids, key=lambda i: users[i].display_name.lower()):
        below = descendants(trainer_id, children)
        direct = reached.get(trainer_id, {})
        indirect = defaultdict(set)
        for other in below:
            for learner_id, path_ids in reached.get(other, {}).items():
                if learner_id not in direct:
                    indirect[learner_id] |= path_ids
        rows = defaultdict(lambda: [0, 0])  # (country, path id) -> [direct, indirect]
        for column, learners in ((0, direct), (1, indirect)):
            for learner_id, path_ids in learners.items():
                country = users[learner_id].country or "—"
                for path_id in path_ids or {None}:
                    rows[(country, path_id)][column] += 1
        report.append({
            "trainer": users[trainer_id],
            "certified_directly": [users[i] for i in children.get(trainer_id, [])],
            "certified_in_all": len(below),
            "direct": len(direct), "indirect": len(indirect),
            "rows": [(country, paths.get(path_id), counts[0], counts[1])
                     for (country, path_id), counts in sorted(rows.items(), key=lambda r: (r[0][0], r[0][1] or 0))],
        })
    return report
