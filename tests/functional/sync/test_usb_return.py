"""A centre with no internet at all: what a pull would bring comes back on the USB stick with the acknowledgement.

The hub's acknowledgement carries the programme's decisions (signed), and the archives of the paths the centre
follows and has in another version lie in a folder beside it; `lms sync import-ack` applies and installs them.
"""
import shutil

from lms.extensions import db
from lms.progress.models import Certificate
from tests.functional.sync.conftest import certify, enrol, revoke_at_the_hub, seed_cohort
from tests.functional.sync.test_catalogue_pull import lessons, text_of


def round_trip(hub, centre, stick):
    """Export at the centre, import at the hub, import the acknowledgement back: (hub's output, centre's output)."""
    stick.mkdir(exist_ok=True)
    bundle = stick / "thies.lms"
    centre.cli(["sync", "export", "--to", str(bundle)])
    at_hub = hub.cli(["sync", "import", str(bundle)]).stdout
    at_centre = centre.cli(["sync", "import-ack", str(bundle) + ".ack"]).stdout
    return at_hub, at_centre


def test_a_centre_without_internet_gets_the_hubs_path_on_the_stick(hub, thies, tmp_path):
    at_hub, at_centre = round_trip(hub, thies, tmp_path / "stick")
    assert "courses for the centre in" in at_hub and "thies.lms.ack.courses/: market" in at_hub
    assert (tmp_path / "stick" / "thies.lms.ack.courses" / "market.tar.gz").is_file()
    assert "path market: installed from the hub (3 lessons added" in at_centre
    assert lessons(thies) == ["market-closing", "market-prices", "market-stall"]
    assert "Awa vend des mangues" in text_of(thies, "market-stall")

    at_hub, at_centre = round_trip(hub, thies, tmp_path / "stick")  # nothing new: nothing carried
    assert "courses for the centre" not in at_hub and "path market" not in at_centre
    assert list((tmp_path / "stick" / "thies.lms.ack.courses").glob("*.tar.gz")) == []


def test_an_update_comes_by_stick_and_an_older_acknowledgement_does_not_bring_the_old_text_back(
        hub, thies, tmp_path, courses):
    round_trip(hub, thies, tmp_path / "first")
    closing = courses / "01-market" / "03-closing.fr.md"
    closing.write_text(closing.read_text().replace("comptez la caisse", "comptez deux fois la caisse"))
    hub.cli(["import-courses", str(courses)])

    _at_hub, at_centre = round_trip(hub, thies, tmp_path / "second")
    assert "path market: installed from the hub (0 lessons added, 1 updated" in at_centre
    assert "comptez deux fois la caisse" in text_of(thies, "market-closing")

    again = thies.cli(["sync", "import-ack", str(tmp_path / "first" / "thies.lms.ack")]).stdout
    assert "older than one already imported: its decisions and courses are left alone" in again
    assert "comptez deux fois la caisse" in text_of(thies, "market-closing")


def test_a_damaged_or_missing_archive_is_refused_in_words_and_the_mark_still_moves(hub, thies, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    hub.cli(["sync", "import", str(stick / "thies.lms")])
    archive = stick / "thies.lms.ack.courses" / "market.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10] + bytes(10))
    output = thies.cli(["sync", "import-ack", str(stick / "thies.lms.ack")]).stdout
    assert "the hub holds this centre's changes up to" in output
    assert "path market: not updated: market.tar.gz does not match the digest the hub signed" in output
    assert lessons(thies) == [] and not (thies.folder / "hub-courses" / "market").exists()

    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    hub.cli(["sync", "import", str(stick / "thies.lms")])
    shutil.rmtree(stick / "thies.lms.ack.courses")  # only the acknowledgement was copied
    output = thies.cli(["sync", "import-ack", str(stick / "thies.lms.ack")]).stdout
    assert "path market: not updated: its archive is not beside the acknowledgement" in output
    assert "copy the folder thies.lms.ack.courses/ from the hub with the acknowledgement" in output
    assert lessons(thies) == []


def test_the_hub_puts_on_the_stick_only_the_paths_the_centre_follows(hub, thies, tmp_path):
    thies.app.config["SYNC_FOLLOW_PATHS"] = ["another-path"]
    at_hub, at_centre = round_trip(hub, thies, tmp_path / "stick")
    assert "courses for the centre" not in at_hub
    assert "path market" not in at_centre and "the hub has other versions of these paths: market" in at_centre


def test_a_certificate_revoked_by_the_programme_is_revoked_at_the_centre_by_the_stick(hub, make_centre, tmp_path):
    dakar = make_centre("dakar")
    enrol(hub, dakar, "Dakar")
    dakar.run(seed_cohort, "dk")

    dakar.run(certify, "dk-learner0", "DK-CERT-0001")
    round_trip(hub, dakar, tmp_path / "stick")
    hub.run(revoke_at_the_hub, "DK-CERT-0001", "Copied practical work")

    at_hub, at_centre = round_trip(hub, dakar, tmp_path / "stick")
    assert "(1 decisions for the centre)" in at_hub and "1 decisions of the programme applied" in at_centre
    with dakar.app.app_context():
        certificate = db.session.execute(db.select(Certificate).filter_by(code="DK-CERT-0001")).scalar_one()
        assert certificate.revoked_at and certificate.revoke_reason == "Copied practical work"
    assert "0 decisions of the programme applied" in round_trip(hub, dakar, tmp_path / "stick")[1]


def test_a_course_too_big_for_the_centres_free_space_is_refused_before_anything_is_written(hub, thies, tmp_path):
    thies.app.config["DISK_FREE_MARGIN_MB"] = 10**9  # a disk that is all but full
    _at_hub, at_centre = round_trip(hub, thies, tmp_path / "stick")
    assert "path market: not updated: not enough free space in" in at_centre
    assert lessons(thies) == [] and not any((thies.folder / "hub-courses").glob("*"))
