"""`lms demo`: seed a believable programme in this instance, so a newcomer sees every screen populated.

Everything goes through the same services as the web pages. Demo accounts are
made only when this command is run, each with its own random password.
"""
import json
import secrets
import uuid
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.accounts import services as accounts
from lms.accounts.queries import admin_exists
from lms.catalogue.models import LearningPath
from lms.cohorts import services as cohorts
from lms.accounts.models import ROLES
from lms.cohorts.models import Cohort, Membership
from lms.site.addresses import listening_urls
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring import services as mentoring
from lms.progress import events

PEOPLE = [
    # username, name, roles, country, language, organisation
    ("mariama.ba", "Mariama Ba", ("trainer", "mentor"), "SN", "fr", "Centre de formation de la Médina"),
    ("aissatou.diop", "Aïssatou Diop", ("mentor",), "SN", "fr", "Diop Couture"),
    ("claudine.mukamana", "Claudine Mukamana", ("mentor",), "RW", "en", "Umutako Crafts"),
    ("grace.uwase", "Grace Uwase", ("learner",), "RW", "en", "Uwase Grocery"),
    ("awa.ndiaye", "Awa Ndiaye", ("learner",), "SN", "fr", "Awa Plats Maison"),
    ("fatou.sarr", "Fatou Sarr", ("learner",), "SN", "fr", "Salon Fatou Beauté"),
    ("khady.fall", "Khady Fall", ("learner",), "SN", "fr", "Fall Tissus"),
    ("aminata.diallo", "Aminata Diallo", ("learner",), "GN", "fr", "Jus Kadiatou & Filles"),
    ("mariame.kone", "Mariame Koné", ("learner",), "CI", "fr", "Attiéké Koné"),
    ("aline.uwimana", "Aline Uwimana", ("learner",), "RW", "en", "Aline Tailoring"),
    ("diane.mukeshimana", "Diane Mukeshimana", ("learner",), "RW", "en", "Diane Hair Studio"),
    ("jeanne.ingabire", "Jeanne Ingabire", ("learner",), "RW", "en", "Ingabire Farm Produce"),
]
FEEDBACK_OK = "Bravo ! C'est **clair et concret**. Vos clientes sauront tout de suite quoi faire."
FEEDBACK_CHANGE = ("Bon début. Deux choses à reprendre :\n\n- ajoutez vos **prix** ;\n"
                   "- mettez votre numéro WhatsApp en haut.\n\nRenvoyez-moi la nouvelle version.")


def password():
    return "demo-" + "-".join(secrets.token_hex(2) for _ in range(3))


def right_answers(text, wrong=False):
    answers = {}
    for question in text.quiz["questions"]:
        pick = [a["id"] for a in question["answers"] if a["correct"] != wrong]
        answers[question["id"]] = pick if question["multiple"] else pick[:1]
    return answers


def study(user, lessons, start, passes=True, fail_twice=False):
    """Open, answer and complete lessons at plausible times, through the event log."""
    batch, moment = [], start
    for lesson in lessons:
        text, _ = lesson.text(user.locale)
        batch.append(_event("lesson_opened", lesson, moment))
        batch.append(_event("time_spent", lesson, moment + timedelta(minutes=20), {"seconds": 1200}))
        if text.quiz:
            if fail_twice:
                for minutes in (25, 30):
                    batch.append(_event("quiz_answered", lesson, moment + timedelta(minutes=minutes),
                                        {"answers": right_answers(text, wrong=True), "language": text.language}))
            if passes and not fail_twice:
                batch.append(_event("quiz_answered", lesson, moment + timedelta(minutes=35),
                                    {"answers": right_answers(text), "language": text.language}))
        elif passes:
            batch.append(_event("lesson_completed", lesson, moment + timedelta(minutes=35)))
        moment += timedelta(days=1, hours=2)
    events.record_events(user, batch)
    return moment


def _event(kind, lesson, at, data=None):
    return {"id": str(uuid.uuid4()), "type": kind, "lesson": lesson.slug, "at": at.isoformat() + "Z",
            "data": data or {}}


def work(learner, lesson, mentor, decision=None, days_ago=1, feedback=None):
    submission = mentoring.submit_work(learner, lesson, text="Voici mon travail : trois photos de mes produits "
                                       "et une phrase pour chacun. / Here is my work.", link="https://example.org/ma-page")
    submission.submitted_at = utcnow() - timedelta(days=days_ago)
    if decision:
        mentoring.review_work(mentor, submission, decision, feedback or FEEDBACK_OK)
    return submission


def join(cohort, user, role="learner"):
    """She joins by her own act, as in the field: a learner with the code, a mentor by accepting an invitation."""
    if role == "learner":
        return cohorts.join_with_code(user, cohort.join_code)
    made = cohorts.invite(cohort.trainer, cohort, user, role)
    return made if isinstance(made, Membership) else cohorts.answer_invitation(user, made, accept=True)


def seed():
    """Create the demo programme; return [(username, password, roles)]."""
    taken = [u for u, *_ in PEOPLE if accounts.get_user_by_username(u)]
    if taken:
        raise click.ClickException(f"demo data is already here ({', '.join(taken)}): nothing was changed")
    paths = {p.slug: p for p in db.session.execute(db.select(LearningPath).where(LearningPath.retired_at.is_(None))).scalars()}
    needed = {"website", "social-media", "be-found-online", "data-for-decisions", "training-of-trainers"}
    if not needed <= set(paths):
        raise click.ClickException("import the courses first: lms import-courses")
    made, users = [], {}
    people = list(PEOPLE)
    if not admin_exists():  # a fresh site: give the newcomer the programme's view too
        people.insert(0, ("coordination", "Coordination du programme", ("admin",), "SN", "fr", "Programme"))
    for username, name, roles, country, language, organisation in people:
        secret = password()
        users[username] = accounts.create_user(username, secret, display_name=name, roles=roles, locale=language,
                                               country=country, organisation=organisation)
        made.append((username, secret, list(roles)))
    u = users.__getitem__
    now = utcnow()
    lessons = {slug: [l for l in p.lessons if l.retired_at is None] for slug, p in paths.items()}

    dakar = cohorts.create_cohort(u("mariama.ba"), "Dakar — Médina", [paths["website"], paths["social-media"],
                                  paths["training-of-trainers"]], "fr", date.today() - timedelta(days=30),
                                  date.today() + timedelta(days=60), "Centre de formation de la Médina, Dakar")
    for name in ("awa.ndiaye", "fatou.sarr", "khady.fall", "aminata.diallo", "mariame.kone", "grace.uwase"):
        join(dakar, u(name))
    for name in ("aissatou.diop", "mariama.ba"):
        join(dakar, u(name), "mentor")
    cohorts.balance_mentors(u("mariama.ba"), dakar)
    cohorts.assign_mentor(u("mariama.ba"), dakar, u("grace.uwase"), u("mariama.ba"))

    # Grace completes the training of trainers, her work approved: certificate, then she becomes a trainer.
    start = now - timedelta(days=28)
    for lesson in lessons["training-of-trainers"]:
        if any(t.assignment for t in lesson.texts):
            work(u("grace.uwase"), lesson, u("mariama.ba"), "approved", days_ago=20)
    study(u("grace.uwase"), lessons["training-of-trainers"], start)
    study(u("grace.uwase"), lessons["website"][:3], start + timedelta(days=8))
    db.session.flush()
    cohorts.certify_trainer(u("mariama.ba"), u("grace.uwase"), dakar)

    mentor_of = {a.learner_id: a.mentor for a in cohorts.current_assignments(dakar)}
    study(u("awa.ndiaye"), lessons["website"], now - timedelta(days=10))
    study(u("awa.ndiaye"), lessons["social-media"][:2], now - timedelta(days=3))
    work(u("awa.ndiaye"), lessons["website"][0], mentor_of[u("awa.ndiaye").id], "approved", days_ago=8)
    work(u("awa.ndiaye"), lessons["website"][1], mentor_of[u("awa.ndiaye").id], "changes_requested", days_ago=6,
         feedback=FEEDBACK_CHANGE)
    work(u("awa.ndiaye"), lessons["website"][2], mentor_of[u("awa.ndiaye").id], days_ago=5)
    study(u("fatou.sarr"), lessons["social-media"][:4], now - timedelta(days=6))
    work(u("fatou.sarr"), lessons["social-media"][0], mentor_of[u("fatou.sarr").id], days_ago=1)
    study(u("khady.fall"), lessons["website"][:1], now - timedelta(days=20))  # quiet for two weeks
    study(u("aminata.diallo"), lessons["website"][:2], now - timedelta(days=4), fail_twice=True)
    study(u("mariame.kone"), lessons["website"][:3], now - timedelta(days=5))

    kigali = cohorts.create_cohort(u("grace.uwase"), "Kigali — Nyamirambo", [paths["be-found-online"],
                                   paths["data-for-decisions"]], "en", date.today() - timedelta(days=14),
                                   date.today() + timedelta(days=75), "Nyamirambo Women's Centre, Kigali")
    for name in ("aline.uwimana", "diane.mukeshimana", "jeanne.ingabire"):
        join(kigali, u(name))
    join(kigali, u("claudine.mukamana"), "mentor")
    cohorts.balance_mentors(u("grace.uwase"), kigali)
    study(u("aline.uwimana"), lessons["be-found-online"][:4], now - timedelta(days=6))
    study(u("diane.mukeshimana"), lessons["be-found-online"][:2], now - timedelta(days=3))
    study(u("jeanne.ingabire"), lessons["data-for-decisions"][:3], now - timedelta(days=5))
    work(u("aline.uwimana"), lessons["be-found-online"][1], u("claudine.mukamana"), "approved", days_ago=3,
         feedback="Great keyword list: **short, local and in the words your customers use.**")
    work(u("jeanne.ingabire"), lessons["data-for-decisions"][0], u("claudine.mukamana"), days_ago=4)

    for learner, mentor, days, notes, steps in (
            ("awa.ndiaye", mentor_of[u("awa.ndiaye").id], 7, "Nous avons regardé son plan de site ensemble. "
             "Elle vend surtout le midi, aux bureaux du quartier.", "Ajouter les prix et le numéro WhatsApp ; "
             "photographier trois plats."),
            ("aline.uwimana", u("claudine.mukamana"), 2, "We looked at her Google Business Profile.",
             "Ask five loyal customers for a review this week.")):
        mentoring.add_note(mentor, u(learner), date.today() - timedelta(days=days), notes, steps)
    db.session.flush()
    from lms.community import demo as community_demo

    community_demo.seed(u, dakar, kigali, lessons)
    db.session.flush()
    return made


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts made as JSON.")
@with_appcontext
def demo_command(as_json):
    """Seed a believable demo programme (accounts, cohorts, progress, reviews, a certificate)."""
    made = seed()
    db.session.commit()
    current_app.logger.info("demo data created")
    # Roles as they are now: the demo certifies a trainer, which gives her roles she did not start with.
    made = [(username, secret, sorted(accounts.get_user_by_username(username).roles, key=ROLES.index))
            for username, secret, _roles in made]
    made_cohorts = db.session.execute(db.select(Cohort).order_by(Cohort.id)).scalars().all()
    if as_json:
        click.echo(json.dumps({"accounts": [{"username": u, "password": p, "roles": r} for u, p, r in made],
                               "cohorts": [{"name": c.name, "join_code": c.join_code} for c in made_cohorts]},
                              ensure_ascii=False, indent=2))
        return
    click.echo("Demo accounts (keep this list; passwords are not shown again):")
    for username, secret, roles in made:
        click.echo(f"  {username:20} {secret:22} {', '.join(roles)}")
    click.echo("Cohorts and their join codes:")
    for cohort in made_cohorts:
        click.echo(f"  {cohort.join_code}  {cohort.name}")
    urls = listening_urls("http", "0.0.0.0", 5000)
    click.echo(f"Serve it with `make run HOST=0.0.0.0`; phones on the same Wi-Fi then open {urls[0]}")
