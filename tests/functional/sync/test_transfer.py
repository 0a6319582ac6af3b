"""A learner moves from Dakar to Thiès through the hub, with her history and her password."""
import gzip

import pytest

from lms.accounts.models import User
from lms.cohorts.models import Membership
from lms.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent
from lms.sync.models import SyncConflict
from lms.sync.transfer import Transfer
from tests import factories
from tests.conftest import Client
from tests.functional.sync.conftest import activity, enrol, seed_cohort, sync_by_usb


@pytest.fixture
def centres(hub, make_centre, tmp_path):
    dakar, thies = make_centre("dakar"), make_centre("thies")
    enrol(hub, dakar, "Dakar")
    enrol(hub, thies, "Thies")
    for site, name in ((dakar, "dk-admin"), (thies, "th-admin")):  # past the first-run setup
        site.run(factories.user, name, roles=("admin",))
    dakar.run(seed_cohort, "dk")
    dakar.run(activity, "dk-learner0", "lesson_completed")
    thies.run(seed_cohort, "th")
    sync_by_usb(hub, dakar, tmp_path, "dakar.lms")
    sync_by_usb(hub, thies, tmp_path, "thies.lms")
    return dakar, thies


def centre_id(site):
    from lms.sync import keys

    with site.app.app_context():
        return keys.registration()["centre_id"]


def move(hub, who, to, tmp_path, *sites):
    """The hub decides; each centre imports its transfer file; return the centres' outputs."""
    hub.cli(["sync", "transfer", "decide", who, "--to", to, "--by", "coordinator"])
    outputs = []
    for site in sites:
        file = tmp_path / f"transfers-{site.folder.name}.lms"
        hub.cli(["sync", "transfer", "export", "--centre", centre_id(site), "--to", str(file)])
        outputs.append(site.cli(["sync", "transfer", "import", str(file)]).stdout)
    return outputs


def signs_in(site, username):
    site.app.test_client_class = Client
    with site.app.app_context():
        client = site.app.test_client()
        response = client.submit("/sign-in", {"username": username, "password": factories.PASSWORD})
        return response.status_code == 302 and "/sign-in" not in response.headers["Location"]


def get_user(username):
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def test_a_learner_moves_with_her_history_and_signs_in_at_her_new_centre(hub, centres, tmp_path):
    dakar, thies = centres
    assert signs_in(dakar, "dk-learner0") and not signs_in(thies, "dk-learner0")
    arrived, left = move(hub, "dk-learner0", "Thies", tmp_path, thies, dakar)
    assert "1 accounts arrived" in arrived and "1 left" in left

    assert signs_in(thies, "dk-learner0"), "the same password works at her new centre"
    assert not signs_in(dakar, "dk-learner0"), "her old centre's account is closed"
    with thies.app.app_context():
        learner = get_user("dk-learner0")
        assert learner.origin is None and learner.active  # Thiès owns her account now
        assert db.session.execute(db.select(db.func.count()).select_from(ProgressEvent)
                                  .filter_by(user_id=learner.id)).scalar() == 2
        progress = db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalar_one()
        assert progress.completed_at is not None  # derived from the history she brought
    with dakar.app.app_context():
        learner = get_user("dk-learner0")
        assert not learner.active
        assert db.session.execute(db.select(Membership).filter_by(user_id=learner.id)).scalar_one().left_at
        assert db.session.execute(db.select(ProgressEvent).filter_by(user_id=learner.id)).first()  # kept, read-only


def test_after_the_move_both_centres_sync_without_conflict_and_her_new_work_reaches_the_hub(hub, centres, tmp_path):
    dakar, thies = centres
    move(hub, "dk-learner0", "Thies", tmp_path, thies, dakar)
    assert "0 records" in thies.cli(["sync", "export", "--to", str(tmp_path / "nothing.lms")]).stdout
    sync_by_usb(hub, dakar, tmp_path, "dakar2.lms")  # her memberships ended at Dakar
    thies.run(activity, "dk-learner0", "time_spent", data={"seconds": 60})

    def rename():
        get_user("dk-learner0").display_name = "Awa at Thiès"
    thies.run(rename)
    sync_by_usb(hub, thies, tmp_path, "thies2.lms")
    assert hub.count(SyncConflict) == 0
    with hub.app.app_context():
        learner = get_user("dk-learner0")
        assert learner.display_name == "Awa at Thiès" and learner.origin == centre_id(thies)
        assert db.session.execute(db.select(db.func.count()).select_from(ProgressEvent)
                                  .filter_by(user_id=learner.id)).scalar() == 3
        assert db.session.execute(db.select(Membership.left_at).filter_by(user_id=learner.id)).scalar()
    assert hub.count(User, username="dk-learner0") == 1  # one person, one account


def test_a_transfer_file_applied_twice_changes_nothing(hub, centres, tmp_path):
    dakar, thies = centres
    move(hub, "dk-learner1", "Thies", tmp_path, thies)
    before = (thies.count(User), thies.count(ProgressEvent), thies.count(Transfer))
    again = thies.cli(["sync", "transfer", "import", str(tmp_path / "transfers-thies.lms")]).stdout
    assert "1 already applied" in again
    assert (thies.count(User), thies.count(ProgressEvent), thies.count(Transfer)) == before


def test_a_username_taken_at_the_new_centre_gets_a_suffix(hub, centres, tmp_path):
    dakar, thies = centres
    thies.run(factories.user, "dk-learner0")  # another woman, same username, at Thiès
    move(hub, "dk-learner0", "Thies", tmp_path, thies)
    with thies.app.app_context():
        names = sorted(db.session.execute(db.select(User.username).where(User.username.like("dk-learner0%")))
                       .scalars())
    assert len(names) == 2 and names[0] == "dk-learner0" and names[1].startswith("dk-learner0-")


def test_a_transfer_file_for_another_centre_or_a_changed_one_is_refused(hub, centres, tmp_path):
    dakar, thies = centres
    move(hub, "dk-learner0", "Thies", tmp_path)
    file = tmp_path / "for-thies.lms"
    hub.cli(["sync", "transfer", "export", "--centre", "Thies", "--to", str(file)])
    result = dakar.cli(["sync", "transfer", "import", str(file)], ok=False)
    assert result.exit_code == 1 and "for another centre" in result.stderr and "Traceback" not in result.output
    lines = gzip.decompress(file.read_bytes()).decode().splitlines(keepends=True)
    file.write_bytes(gzip.compress("".join([lines[0], lines[1].replace("dk-learner0", "dk-intruder")] + lines[2:])
                                   .encode()))
    result = thies.cli(["sync", "transfer", "import", str(file)], ok=False)
    assert f"{file}:2: the signature does not match" in result.stderr
    assert thies.count(User, username="dk-learner0") == 0 and thies.count(Transfer) == 0


def test_the_hub_refuses_a_transfer_it_cannot_make(hub, centres, tmp_path):
    for args, message in ((["nobody", "--to", "Thies"], "no account 'nobody'"),
                          (["dk-learner0", "--to", "Kaolack"], "no centre 'Kaolack'"),
                          (["dk-learner0", "--to", "Dakar"], "already belongs to centre Dakar")):
        result = hub.cli(["sync", "transfer", "decide", *args], ok=False)
        assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert hub.count(Transfer) == 0


def test_over_the_internet_the_next_sync_brings_her_account_to_her_new_centre_and_closes_the_old(hub, centres):
    from tests.functional.sync.conftest import Network, online

    dakar, thies = centres
    network = Network(hub)
    online(dakar, network), online(thies, network)
    hub.cli(["sync", "transfer", "decide", "dk-learner0", "--to", "Thies"])
    thies.cli(["sync", "now"])
    dakar.cli(["sync", "now"])
    assert signs_in(thies, "dk-learner0") and not signs_in(dakar, "dk-learner0")
    with thies.app.app_context():
        learner = get_user("dk-learner0")
        assert db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalar_one().completed_at
    thies.cli(["sync", "now"])  # pulled again: nothing changes
    assert thies.count(Transfer) == 1 and thies.count(User, username="dk-learner0") == 1
    assert hub.count(SyncConflict) == 0
