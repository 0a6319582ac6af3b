"""The programme's reports at the hub: every centre, each person once, and each centre's admin her own centre."""
import pytest

from lms.accounts.models import User
from lms.catalogue.models import LearningPath
from lms.cohorts.models import TrainerCertification
from lms.extensions import db
from tests import factories
from tests.conftest import Client
from tests.functional.sync.conftest import activity, enrol, sync_by_usb
from tests.functional.sync.test_transfer import centre_id, move


def get_user(username):
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def dakar_world():
    """Dakar: its admin, a trainer and her cohort of two Senegalese learners; she certified Khady a trainer."""
    factories.user("dk-admin", roles=("admin",))
    trainer = factories.user("dk-trainer", roles=("trainer",), display_name="Aminata Sow")
    learners = [factories.user(f"dk-learner{n}", country="SN") for n in range(2)]
    khady = factories.user("khady", roles=("trainer", "mentor"), display_name="Khady Fall", country="SN")
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    factories.cohort(trainer, learners=learners, paths=[path], name="=HYPERLINK(\"http://x\") Dakar")
    db.session.add(TrainerCertification(user_id=khady.id, certified_by_id=trainer.id))
    db.session.commit()
    activity("dk-learner0", "lesson_completed")
    activity("dk-learner1", "lesson_opened")


def thies_world():
    factories.user("th-admin", roles=("admin",))
    factories.user("th-learner0", country="SN")
    factories.user("th-learner1", country="ML")


def khady_teaches_at_thies():
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    learners = [get_user("th-learner0"), get_user("th-learner1")]
    factories.cohort(get_user("khady"), learners=learners, paths=[path], name="Thiès — Khady")
    activity("th-learner0", "lesson_completed")
    activity("th-learner1", "lesson_completed")


@pytest.fixture
def programme(hub, make_centre, tmp_path):
    """Two centres synced; Khady, certified at Dakar, moved to Thiès and runs a cohort there."""
    dakar, thies = make_centre("dakar"), make_centre("thies")
    enrol(hub, dakar, "Dakar")
    enrol(hub, thies, "Thies")
    dakar.run(dakar_world)
    thies.run(thies_world)
    hub.run(factories.user, "coordinator", roles=("admin",))  # the programme admin, made at the hub
    hub.run(factories.user, "hub-trainer", roles=("trainer",))
    hub.run(factories.user, "hub-learner")
    sync_by_usb(hub, dakar, tmp_path, "dakar.lms")
    sync_by_usb(hub, thies, tmp_path, "thies.lms")
    move(hub, "khady", "Thies", tmp_path, thies, dakar)
    thies.run(khady_teaches_at_thies)
    sync_by_usb(hub, thies, tmp_path, "thies2.lms")
    sync_by_usb(hub, dakar, tmp_path, "dakar2.lms")
    return {"dakar": centre_id(dakar), "thies": centre_id(thies), "dakar_site": dakar}


def page(site, username, url):
    """Sign in at the site as username and GET url; return (status, text)."""
    site.app.test_client_class = Client
    with site.app.app_context():
        client = site.app.test_client()
        if username:
            response = client.submit("/sign-in", {"username": username, "password": factories.PASSWORD})
            assert response.status_code == 302 and "/sign-in" not in response.headers["Location"]
        response = client.get(url)
        return response.status_code, response.get_data(as_text=True)


def test_the_programme_admin_sees_every_centre_and_each_learner_once(hub, programme):
    status, html = page(hub, "coordinator", "/programme/")
    assert status == 200
    assert "Dakar" in html and "Thies" in html and "Senegal" in html and "Mali" in html
    status, csv = page(hub, "coordinator", "/programme/centres.csv")
    rows = {line.split(",")[1]: line.split(",")[2:] for line in csv.splitlines()[1:]}
    assert rows[programme["dakar"]][0] == "2" and rows[programme["thies"]][0] == "2"  # learners
    assert rows[programme["dakar"]][3] == "1" and rows[programme["thies"]][3] == "2"  # lessons completed
    status, csv = page(hub, "coordinator", "/programme/countries.csv")
    assert any(line.startswith("Senegal,SN,3,") for line in csv.splitlines()), csv
    status, csv = page(hub, "coordinator", "/programme/cohorts.csv")
    assert "'=HYPERLINK" in csv and "Thiès — Khady,Thies" in csv  # a formula is never run by a spreadsheet


def test_filters_narrow_the_overview_by_centre_country_cohort_and_path(hub, programme):
    status, csv = page(hub, "coordinator", f"/programme/countries.csv?centre={programme['thies']}")
    assert {line.split(",")[1] for line in csv.splitlines()[1:]} == {"SN", "ML"}
    status, csv = page(hub, "coordinator", "/programme/centres.csv?country=ML")
    assert [line.split(",")[2] for line in csv.splitlines()[1:]] == ["1"]
    with hub.app.app_context():
        from lms.cohorts.models import Cohort
        cohort = db.session.execute(db.select(Cohort.public_id).filter_by(name="Thiès — Khady")).scalar()
    status, csv = page(hub, "coordinator", f"/programme/centres.csv?cohort={cohort}")
    assert [line.split(",")[1:3] for line in csv.splitlines()[1:]] == [[programme["thies"], "2"]]
    status, html = page(hub, "coordinator", "/programme/?path=no-such-path")
    assert status == 200 and "Nothing yet." in html


def test_the_cascade_counts_a_trainer_once_for_both_centres(hub, programme):
    status, csv = page(hub, "coordinator", "/programme/cascade.csv")
    lines = csv.splitlines()
    khady = [line for line in lines if line.startswith("Khady Fall")]
    assert len(khady) == 1 and "Dakar,Thies,0,2,0" in khady[0]  # certified at Dakar, teaches at Thiès
    aminata = [line for line in lines if line.startswith("Aminata Sow")][0]
    assert aminata.endswith("Dakar,1,2,2")  # two learners directly, two through Khady
    status, html = page(hub, "coordinator", "/programme/cascade")
    assert status == 200 and html.count("Khady Fall") == 1


def test_a_centres_admin_sees_her_centre_only(hub, programme):
    status, csv = page(hub, "dk-admin", f"/programme/centres.csv?centre={programme['thies']}")
    assert status == 200
    assert [line.split(",")[1] for line in csv.splitlines()[1:]] == [programme["dakar"]]
    status, html = page(hub, "dk-admin", "/programme/")
    assert status == 200 and "Thiès — Khady" not in html and 'name="centre"' not in html
    status, csv = page(hub, "dk-admin", "/programme/cascade.csv")
    khady = [line for line in csv.splitlines() if line.startswith("Khady Fall")][0]
    assert khady.endswith("Dakar,Thies,0,0,0")  # certified at Dakar; her learners at Thiès are not Dakar's to see


def test_trainers_and_learners_see_no_programme_report(hub, programme):
    for username in ("hub-trainer", "hub-learner", "khady", "dk-learner0"):
        for url in ("/programme/", "/programme/cascade", "/programme/centres.csv", "/programme/cascade.csv"):
            status, _ = page(hub, username, url)
            assert status == 403, (username, url)
    status, _ = page(hub, None, "/programme/")
    assert status == 302


def test_a_centre_has_no_programme_report(hub, programme):
    status, _ = page(programme["dakar_site"], "dk-admin", "/programme/")
    assert status == 404


def counted_by_hand(filters, now):
    """The overview counted the slow way, person by person, from the lesson progress itself (not PathProgress)."""
    from collections import Counter, defaultdict
    from datetime import timedelta

    from lms.accounts.models import UserRole
    from lms.catalogue.models import Lesson
    from lms.cohorts.models import Cohort, Membership, cohort_paths
    from lms.progress.models import Certificate, LessonProgress
    from lms.reports.programme import LOCAL

    users = {u.id: u for u in db.session.execute(db.select(User)).scalars()}
    learners = {user_id for user_id, role in db.session.execute(db.select(UserRole.user_id, UserRole.role))
                if role == "learner"}
    members = [(m.cohort_id, m.user_id) for m in db.session.execute(db.select(Membership)).scalars()
               if m.role == "learner"]
    cohorts = {c.id: c for c in db.session.execute(db.select(Cohort)).scalars()}
    if filters.centre:
        learners = {i for i in learners if (users[i].origin or LOCAL) == filters.centre}
    if filters.country:
        learners = {i for i in learners if users[i].country == filters.country}
    if filters.cohort:
        learners &= {u for c, u in members if cohorts[c].public_id == filters.cohort}
    path = None
    if filters.path:
        path = db.session.execute(db.select(LearningPath.id).filter_by(slug=filters.path)).scalar() or -1
    lessons = {lesson.id: lesson.path_id for lesson in db.session.execute(db.select(Lesson)).scalars()
               if lesson.retired_at is None}
    started, done, last = Counter(), Counter(), {}
    for p in db.session.execute(db.select(LessonProgress)).scalars():
        key = (p.user_id, lessons.get(p.lesson_id))
        if key[1] is None or p.user_id not in learners or path not in (None, key[1]):
            continue
        started[key] += 1
        done[key] += p.completed_at is not None
        last[key] = max(filter(None, (last.get(key), p.last_activity_at)), default=None)
    certificates = [(c.user_id, c.path_id) for c in db.session.execute(db.select(Certificate)).scalars()
                    if c.revoked_at is None and c.user_id in learners and path in (None, c.path_id)]
    since = now - timedelta(days=30)
    people = {u for u, _ in started} if path else learners
    blank = lambda: dict.fromkeys(("learners", "active", "started", "completed", "certificates"), 0)  # noqa: E731
    total, tables = blank(), {name: defaultdict(blank) for name in ("by_centre", "by_country", "by_path")}

    def add(user_id, path_id, name, value=1):
        total[name] += value
        tables["by_centre"][users[user_id].origin or LOCAL][name] += value
        tables["by_country"][users[user_id].country or ""][name] += value
        if path_id is not None:
            tables["by_path"][path_id][name] += value

    for user_id in people:
        add(user_id, None, "learners")
        mine = [key for key in started if key[0] == user_id]
        if mine:
            add(user_id, None, "started")
            latest = max(filter(None, (last[key] for key in mine)), default=None)
            add(user_id, None, "active", int(latest is not None and latest >= since))
    for (user_id, path_id) in started:
        add(user_id, path_id, "completed", done[(user_id, path_id)])
        tables["by_path"][path_id]["started"] += 1
    for user_id, path_id in certificates:
        add(user_id, path_id, "certificates")
    paths_of = defaultdict(set)
    for cohort_id, path_id in db.session.execute(db.select(cohort_paths.c.cohort_id, cohort_paths.c.path_id)):
        paths_of[cohort_id].add(path_id)
    rows = []
    for cohort_id in {c for c, u in members if u in learners}:
        if filters.cohort not in ("", cohorts[cohort_id].public_id) or path not in (None, *paths_of[cohort_id]):
            continue  # the cohort filter shows that cohort only; the path filter, the cohorts that teach it
        mine = {u for c, u in members if c == cohort_id and u in learners}
        rows.append((cohort_id, len(mine),
                     sum(done[(u, p)] for u in mine for p in paths_of[cohort_id]),
                     sum(1 for u, p in certificates if u in mine and p in paths_of[cohort_id])))
    rows.sort(key=lambda row: (-row[1], row[0]))
    return {"total": total, **{name: dict(table) for name, table in tables.items()}, "by_cohort": rows}


def test_the_overview_adds_up_to_what_each_persons_lessons_say(hub, programme):
    """The grouped statements give what counting person by person from the lesson progress gives,
    after two centres' imports and a trainer's transfer, with each filter and a month later (nobody active)."""
    from datetime import timedelta

    from lms.cohorts.models import Cohort
    from lms.core.clock import trusted_now
    from lms.reports.programme import LOCAL, Filters, overview

    with hub.app.app_context():
        hub.run(factories.user, "hub-learner2", country="ML")
        cohort = db.session.execute(db.select(Cohort.public_id).filter_by(name="Thiès — Khady")).scalar()
        path = db.session.execute(db.select(LearningPath.slug)).scalar()
        cases = [Filters(), Filters(centre=programme["dakar"]), Filters(centre=programme["thies"]),
                 Filters(centre=LOCAL), Filters(country="SN"), Filters(country="ML"), Filters(cohort=cohort),
                 Filters(path=path), Filters(path="no-such-path"), Filters(centre=programme["thies"], country="ML")]
        now = trusted_now()
        for when in (now, now + timedelta(days=31)):
            for filters in cases:
                found = overview(filters, now=when)
                found["by_cohort"] = [(c.id, n, d, k) for c, n, d, k in found["by_cohort"]]
                assert found == counted_by_hand(filters, when), filters
        assert overview(Filters(), now=now)["total"]["completed"] == 3  # not a comparison of two empty reports
        assert overview(Filters(), now=now)["total"]["active"] > 0
        assert overview(Filters(), now=now + timedelta(days=31))["total"]["active"] == 0
