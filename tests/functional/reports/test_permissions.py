"""Every page of cohorts, mentoring and reports, for every role: allowed or refused."""
from pathlib import Path

import pytest

from lms.cohorts import services as cohorts
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring import services as mentoring
from lms.media.voice_notes import StoredVoice
from lms.progress.models import Certificate
from tests import factories

ROLES = ("visitor", "learner", "other_learner", "mentor", "other_mentor", "trainer", "other_trainer", "admin")


@pytest.fixture
def world(app, cohort, learner, mentor, trainer, admin, course):
    # A voice note on her work, and one on the review of her first round: heard by those who read them.
    voices = {"voice": StoredVoice("a" * 32 + ".ogg", 4, 3000), "review_voice": StoredVoice("b" * 32 + ".ogg", 5, 4000)}
    uploads = Path(app.instance_path) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    for voice in voices.values():
        (uploads / voice.name).write_bytes(b"OggS" + bytes(voice.size - 4))
    first = mentoring.submit_work(learner, course["market-stall"], text="Mon étal")
    mentoring.review_work(mentor, first, "changes_requested", "", voice=voices["review_voice"])
    submission = mentoring.submit_work(learner, course["market-stall"], text="Mon étal", voice=voices["voice"])
    certificate = Certificate(code="TEST-CERT-0001", user_id=learner.id, path_id=course["market-stall"].path_id,
                              language="en", completed_at=utcnow())
    db.session.add(certificate)
    db.session.commit()
    binta = factories.user("binta")
    factories.user("coumba", roles=("mentor",))
    factories.user("ramata", roles=("trainer",))
    invitation = cohorts.invite(trainer, cohort, binta)
    db.session.commit()
    return {"cohort": cohort.id, "learner": learner.id, "submission": submission.id, "certificate": certificate.id,
            "invitation": invitation.public_id, **{key: voice.name for key, voice in voices.items()}}


USERS = {"learner": "mariam", "other_learner": "binta", "mentor": "awa", "other_mentor": "coumba",
         "trainer": "fatou", "other_trainer": "ramata", "admin": "amina"}

PAGES = {
    "/cohorts": {"trainer", "other_trainer", "admin"},
    "/cohorts/new": {"trainer", "other_trainer", "admin"},
    "/cohorts/{cohort}": {"trainer", "admin"},
    "/cohorts/{cohort}/edit": {"trainer", "admin"},
    "/cohorts/{cohort}/sheet": {"trainer", "admin"},
    "/cohorts/{cohort}/enrol": {"trainer", "admin"},
    "/cohorts/{cohort}/dashboard": {"trainer", "admin"},
    "/cohorts/{cohort}/dashboard.csv": {"trainer", "admin"},
    "/cohorts/{cohort}/dashboard?page=2&status=quiet&sort=activity&q=m": {"trainer", "admin"},
    "/cohorts/{cohort}/members/{learner}/remove?role=learner": {"trainer", "admin"},
    "/cohorts/{cohort}/learners/{learner}/certify-trainer": {"trainer", "admin"},
    "/cohorts/{cohort}/pins": {"trainer", "admin"},
    "/reports/reach": {"trainer", "other_trainer", "admin"},
    "/reports/reach.csv": {"trainer", "other_trainer", "admin"},
    "/reports/overview": {"admin"},
    "/reports/overview/funnel.csv": {"admin"},
    "/mentoring": {"mentor", "other_mentor", "trainer", "other_trainer", "admin"},
    "/mentoring/submissions/{submission}": {"learner", "mentor", "trainer", "admin"},
    "/mentoring/mentees/{learner}": {"learner", "mentor", "trainer", "admin"},
    "/voice-notes/{voice}": {"learner", "mentor", "trainer", "admin"},
    "/voice-notes/{review_voice}": {"learner", "mentor", "trainer", "admin"},
    "/learners/{learner}/progress": {"learner", "mentor", "trainer", "admin"},
    "/users/{learner}/reset-password": {"trainer", "admin"},
    "/admin/users/new": {"admin"},
    "/sync/": {"admin"},  # the centre's Sync page
}
POSTS = {
    "/cohorts/{cohort}/members": ({"username": "binta", "role": "learner"}, {"trainer", "admin"}),
    "/cohorts/{cohort}/mentors/balance": ({}, {"trainer", "admin"}),
    "/cohorts/{cohort}/pins": ({}, {"trainer", "admin"}),
    "/cohorts/{cohort}/mentors": ({"learner_id": "{learner}", "mentor_id": ""}, {"trainer", "admin"}),
    "/mentoring/submissions/{submission}": ({"decision": "approved", "feedback": "ok"}, {"mentor", "trainer", "admin"}),
    "/mentoring/mentees/{learner}": ({"met_on": "2026-11-20", "notes": "n"}, {"mentor", "trainer", "admin"}),
    "/celebrations/{certificate}/dismiss": ({}, {"learner"}),
    "/users/{learner}/reset-password": ({}, {"trainer", "admin"}),
    "/invitations/{invitation}": ({"answer": "accept"}, {"other_learner"}),
    "/admin/users/{learner}/sign-out-everywhere": ({}, {"admin"}),
    "/sync/now": ({}, {"admin"}),
    "/sync/export": ({}, {"admin"}),  # the file for the hub, by USB stick
    "/sync/import-ack": ({}, {"admin"}),  # the hub's acknowledgement, uploaded
    "/account/sign-out-everywhere": ({}, set(ROLES) - {"visitor"}),
    "/cohorts/{cohort}/mentors?table": ({"was-{learner}": "0", "mentor-{learner}": ""}, {"trainer", "admin"}),
    "/cohorts/{cohort}/learners/{learner}/certify-trainer": ({}, {"trainer", "admin"}),
    "/cohorts/{cohort}/members/{learner}/remove": ({"role": "learner"}, {"trainer", "admin"}),  # last: she leaves
}


def as_role(app, role):
    client = app.test_client()
    if role != "visitor":
        assert client.submit("/sign-in", {"username": USERS[role], "password": factories.PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_which_page(app, world, role):
    client = as_role(app, role)
    for pattern, allowed in PAGES.items():
        url = pattern.format(**world)
        status = client.get(url).status_code
        if role == "visitor":
            assert status == 302, url
        elif role in allowed:
            assert status == 200, (role, url, status)
        else:
            assert status in (403, 404), (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_what(app, world, role):
    for pattern, (data, allowed) in POSTS.items():
        client = as_role(app, role)  # a fresh session per action: some actions change state
        url = pattern.format(**world)
        status = client.submit(url, {k.format(**world): v.format(**world) for k, v in data.items()}).status_code
        if role == "visitor":
            assert status == 302 and "/sign-in" in client.post(url).headers.get("Location", "/sign-in"), url
        elif role in allowed:
            assert status in (200, 302), (role, url, status)
        else:
            assert status in (403, 404), (role, url, status)


HUB_PAGES = ("/sync/centres", "/sync/centres/{centre}/revoke")
HUB_POSTS = {"/sync/centres/codes": {"name": "Thiès", "country": "SN"}, "/sync/centres/{centre}/revoke": {}}


@pytest.mark.parametrize("role", ("visitor", "learner", "mentor", "trainer", "admin", "centre_admin"))
def test_only_the_hubs_admin_sees_its_centres_revokes_one_or_makes_a_code(make_app, role):
    """A centre's admin whose account came to the hub by sync sees her own centre only, and changes nothing."""
    from lms.sync.models import SyncCentre
    from tests.conftest import reset_database

    hub = make_app(SITE_ROLE="hub")
    dakar, thies = "c3f1a2b4-0000-4000-8000-000000000001", "c3f1a2b4-0000-4000-8000-000000000002"
    with hub.app_context():
        reset_database()
        for name, roles in (("amina", ("admin",)), ("mariam", ("learner",)), ("awa", ("mentor",)),
                            ("fatou", ("trainer",)), ("khady", ("admin",))):
            factories.user(name, roles=roles)
        factories.user("khady-thies", roles=("admin",)).origin = thies  # came from Thiès by sync
        db.session.add_all([SyncCentre(centre_id=dakar, name="Dakar", public_key="k"),
                            SyncCentre(centre_id=thies, name="Thiès", public_key="k2")])
        db.session.commit()
        if role == "centre_admin":
            client = hub.test_client()
            signed_in = client.submit("/sign-in", {"username": "khady-thies", "password": factories.PASSWORD})
            assert signed_in.status_code == 302
        else:
            client = as_role(hub, role)
        for pattern in HUB_PAGES:
            status = client.get(pattern.format(centre=dakar)).status_code
            expected = {"visitor": (302,), "admin": (200,)}.get(role, (403,))
            if role == "centre_admin" and pattern == "/sync/centres":
                expected = (200,)  # her own centre's row only (below)
            assert status in expected, (role, pattern, status)
        if role == "centre_admin":
            page = client.get("/sync/centres").get_data(as_text=True)
            assert "Thiès" in page and "Dakar" not in page and "Revoke" not in page and "enrolment code" not in page
        for pattern, data in HUB_POSTS.items():
            status = client.submit(pattern.format(centre=dakar), data).status_code
            expected = {"visitor": (302,), "admin": (200, 302)}.get(role, (403,))
            assert status in expected, (role, pattern, status)
        revoked = db.session.execute(db.select(SyncCentre.revoked_at).filter_by(centre_id=dakar)).scalar()
        assert (revoked is not None) == (role == "admin")


@pytest.mark.parametrize("role", ("visitor", "learner", "trainer", "admin"))
def test_a_paths_course_archive_at_the_hub_needs_a_centres_signature_not_a_session(make_app, role):
    """GET /sync/courses/<path> answers a registered centre's signed request only; a session gives nothing."""
    from lms.sync.models import SyncCentre
    from tests.conftest import reset_database

    hub = make_app(SITE_ROLE="hub")
    dakar = "c3f1a2b4-0000-4000-8000-0000000000c1"
    with hub.app_context():
        reset_database()
        for name, roles in (("amina", ("admin",)), ("mariam", ("learner",)), ("fatou", ("trainer",))):
            factories.user(name, roles=roles)
        db.session.add(SyncCentre(centre_id=dakar, name="Dakar", public_key="k"))
        db.session.commit()
        client = as_role(hub, role)
        for headers in ({}, {"X-Sync-Centre": dakar}, {"X-Sync-Centre": dakar, "X-Sync-Signature": "forged"}):
            assert client.get("/sync/courses/market", headers=headers).status_code == 403, (role, headers)
    centre = make_app()  # a centre serves no course archive at all
    with centre.app_context():
        assert centre.test_client().get("/sync/courses/market").status_code == 404


PROGRAMME_PAGES = ("/programme/", "/programme/cascade", "/programme/centres.csv", "/programme/countries.csv",
                   "/programme/paths.csv", "/programme/cohorts.csv", "/programme/cascade.csv")


@pytest.mark.parametrize("role", ("visitor", "learner", "mentor", "trainer", "admin", "centre_admin"))
def test_only_admins_see_the_hubs_programme_reports_and_a_centres_admin_only_her_centre(make_app, role):
    from tests.conftest import reset_database

    hub = make_app(SITE_ROLE="hub")
    dakar, thies = "c3f1a2b4-0000-4000-8000-00000000000d", "c3f1a2b4-0000-4000-8000-00000000000e"
    with hub.app_context():
        reset_database()
        for name, roles, origin in (("amina", ("admin",), None), ("mariam", ("learner",), dakar),
                                    ("awa", ("mentor",), dakar), ("fatou", ("trainer",), None),
                                    ("khady", ("admin",), dakar), ("binta", ("learner",), thies)):
            factories.user(name, roles=roles).origin = origin
        db.session.commit()
        users = {**USERS, "centre_admin": "khady", "learner": "mariam", "admin": "amina"}
        client = hub.test_client()
        if role != "visitor":
            response = client.submit("/sign-in", {"username": users[role], "password": factories.PASSWORD})
            assert response.status_code == 302
        for url in PROGRAMME_PAGES + (f"/programme/?centre={thies}", f"/programme/centres.csv?centre={thies}"):
            status = client.get(url).status_code
            expected = {"visitor": (302,), "admin": (200,), "centre_admin": (200,)}.get(role, (403,))
            assert status in expected, (role, url, status)
        if role == "centre_admin":  # asking for another centre shows her own
            csv = client.get(f"/programme/centres.csv?centre={thies}").get_data(as_text=True)
            assert dakar in csv and thies not in csv
    if role == "admin":  # a centre (the same database, another role) has no programme reports
        centre = make_app()
        with centre.app_context():
            assert as_role(centre, "admin").get("/programme/").status_code == 404


def test_a_centres_admin_synced_to_the_hub_holds_no_power_over_the_programme(make_app):
    """At the hub, khady (admin of her centre, her account came by sync) is no admin of the hub:
    not its accounts, its backups, its clock or the programme-wide reports; she cannot reset amina."""
    from tests.conftest import reset_database

    hub = make_app(SITE_ROLE="hub")
    dakar = "c3f1a2b4-0000-4000-8000-0000000000d1"
    with hub.app_context():
        reset_database()
        amina = factories.user("amina", roles=("admin",))
        factories.user("khady", roles=("admin", "trainer")).origin = dakar
        db.session.commit()
        client = hub.test_client()
        assert client.submit("/sign-in", {"username": "khady", "password": factories.PASSWORD}).status_code == 302
        for url in ("/admin/users", "/admin/users/new", f"/admin/users/{amina.id}", "/admin/backups", "/admin/clock",
                    "/reports/reach", "/reports/overview", "/reports/reach.csv", "/sync/"):
            assert client.get(url).status_code == 403, url
        reset = client.submit(f"/admin/users/{amina.id}", {"action": "reset"})
        assert reset.status_code == 403
        assert 'aria-labelledby="people"' not in client.get("/search?q=amina").get_data(as_text=True)
        assert client.get("/programme/").status_code == 200  # her own centre's figures: the page made for her
