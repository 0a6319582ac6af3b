"""The centre admin's Sync page and the hub admin's Centres page, used without JavaScript."""
from lms.extensions import db
from lms.progress.models import ProgressEvent
from lms.sync.models import SyncCentre
from tests import factories
from tests.conftest import Client
from tests.functional.sync.conftest import HUB_URL, activity, enrol
from tests.functional.sync.test_http_sync import centre_id


def signed_in(site, username, roles=("admin",)):
    """An administrator of this site, signed in with a client that posts forms with their CSRF token."""
    site.app.test_client_class = Client
    site.run(factories.user, username, roles=roles)
    web = site.app.test_client()
    assert web.submit("/sign-in", {"username": username, "password": factories.PASSWORD}).status_code == 302
    return web


def test_the_sync_page_says_what_waits_and_why_the_last_sync_failed_and_sync_now_sends_it(hub, dakar, network):
    with dakar.app.app_context():
        web = signed_in(dakar, "amina")
        network.cut_after = 0
        failed = web.submit("/sync/now", follow_redirects=True).get_data(as_text=True)
        assert "The sync did not finish: The hub did not answer at https://hub.example.org" in failed
        page = web.get("/sync/").get_data(as_text=True)
        assert "The last sync did not finish" in page and "check the internet connection" in page
        assert "Changes waiting for the hub" in page and "<dd>12" in page  # the admin's account counts too
        assert 'action="/sync/now"' in page and "lms sync export --to" in page
        assert '<a href="/sync/">Sync</a>' in page  # in the admin's menu

        network.cut_after = None
        done = web.submit("/sync/now", follow_redirects=True).get_data(as_text=True)
        assert "Sync done: 12 records sent, 0 decisions of the programme applied." in done
        assert "The last sync did not finish" not in done and "<dd>0" in done
    assert hub.count(ProgressEvent) == 2


def test_a_centre_not_registered_is_told_how_to_register(make_centre):
    centre = make_centre("thies")
    with centre.app.app_context():
        page = signed_in(centre, "amina").get("/sync/").get_data(as_text=True)
    assert "This centre is not registered with a hub yet." in page and "lms sync register CODE" in page


def test_the_hub_admin_sees_each_centre_revokes_one_and_makes_a_code_for_a_new_one(hub, dakar, make_centre,
                                                                                    network):
    dakar.cli(["sync", "now"])
    dakar.run(activity, "dk-learner0", "lesson_completed")
    with hub.app.app_context():
        web = signed_in(hub, "coordinatrice")
        page = web.get("/sync/centres").get_data(as_text=True)
        assert "Dakar" in page and "today" in page and "Revoke this centre" in page
        assert '<a href="/sync/">Centres</a>' in page  # in the hub admin's menu
        assert web.get("/sync/").headers["Location"].endswith("/sync/centres")

        bad = web.submit("/sync/centres/codes", {"name": "Thiès", "country": "S1"})
        assert bad.status_code == 400 and "Two letters, e.g. SN." in bad.get_data(as_text=True)
        made = web.submit("/sync/centres/codes", {"name": "Thiès", "country": "sn"}).get_data(as_text=True)
        code = made.split('<strong class="code">')[1].split("</strong>")[0]

        confirm = web.get(f"/sync/centres/{centre_id(dakar)}/revoke").get_data(as_text=True)
        assert "The hub will refuse every sync" in confirm
        web.submit(f"/sync/centres/{centre_id(dakar)}/revoke")
        assert "revoked" in web.get("/sync/centres").get_data(as_text=True)

    thies = make_centre("thies")
    thies.app.config.update(SYNC_HUB_URL=HUB_URL, SYNC_TRANSPORT=network)
    thies.cli(["sync", "register", code, "--name", "Thiès"])
    thies.cli(["sync", "now"])
    with hub.app.app_context():
        row = db.session.execute(db.select(SyncCentre).filter_by(name="Thiès")).scalar_one()
        assert row.country == "SN" and row.last_sync_at  # an empty centre registers with an empty push
    assert dakar.cli(["sync", "now"], ok=False).exit_code == 1  # revoked from the page


def test_the_centres_page_is_not_at_a_centre(make_centre):
    centre = make_centre("thies")
    with centre.app.app_context():
        web = signed_in(centre, "amina")
        assert web.get("/sync/centres").status_code == 404
        assert web.submit("/sync/centres/codes", {"name": "X"}).status_code == 404


def test_the_hub_admin_sees_the_losing_version_of_a_conflicting_edit(hub, dakar, make_centre, network):
    from lms.accounts.models import User

    dakar.cli(["sync", "now"])
    public_id = dakar.run(lambda: db.session.execute(
        db.select(User.public_id).filter_by(username="dk-learner0")).scalar())
    thies = make_centre("thies")
    thies.app.config.update(SYNC_HUB_URL=HUB_URL, SYNC_TRANSPORT=network)
    enrol(hub, thies, "Thiès")

    def copy_with_an_edit():
        factories.user("aicha-copy", display_name="Aïcha (edited at Thiès)").public_id = public_id
    thies.run(copy_with_an_edit)
    thies.cli(["sync", "now"])
    with hub.app.app_context():
        page = signed_in(hub, "coordinatrice").get("/sync/centres").get_data(as_text=True)
    assert "Conflicting edits kept" in page and '<a href="#conflicts">1</a>' in page
    assert "an edit of a record that belongs to another centre" in page
    assert "Aïcha (edited at Thiès)" in page and public_id in page
