"""A centre restored from an old backup syncs again without losing or doubling anything.

Its database (with the sync counter and the hub's last acknowledged mark) goes back in time; the hub holds more of
it than the backup knows. The hub tells the centre what it holds; the centre sends only what is missing, and the
records made after the restore are sent as new, never mistaken for the ones the hub already has.
"""
import shutil

import pytest

from lms.progress.models import ProgressEvent
from lms.sync import outbox
from lms.sync.models import SyncCentre
from tests.functional.sync.conftest import activity, enrol, online, seed_cohort, sync_by_usb


@pytest.fixture
def dakar(make_centre, hub, network):
    centre = online(make_centre("dakar"), network)
    centre.cli(["db", "stamp", "head"])  # its schema is made by the fixture; `lms restore` migrates from it
    enrol(hub, centre, "Dakar")
    centre.run(seed_cohort, "dk")
    return centre


def back_up(centre, folder):
    """The centre's admin backs it up (`lms backup --to FOLDER`); return the archive."""
    said = centre.cli(["backup", "--to", str(folder)]).stdout
    return said.split("backup: ", 1)[1].split(" (", 1)[0]


def restore(centre, archive):
    """The disk died with the centre's sync key; the admin restores last week's backup (`lms restore --force`)."""
    shutil.rmtree(centre.folder / "sync")
    centre.cli(["restore", "--force", archive])


def test_over_the_internet_one_sync_after_the_restore_sends_what_is_new_and_nothing_twice(hub, dakar, network,
                                                                                      tmp_path):
    dakar.cli(["sync", "now"])
    archive = back_up(dakar, tmp_path / "usb")
    dakar.run(activity, "dk-learner0", "lesson_completed")
    dakar.run(activity, "dk-learner1", "lesson_completed")
    dakar.cli(["sync", "now"])
    assert hub.count(ProgressEvent) == 4

    restore(dakar, archive)
    for seconds in (30, 60, 90):  # more new records than the hub got after the backup
        dakar.run(activity, "dk-learner1", "time_spent", data={"seconds": seconds})
    assert "sent 3 records in 1 parts" in dakar.cli(["sync", "now"]).stdout
    assert hub.count(ProgressEvent) == 7
    assert dakar.run(outbox.waiting) == 0
    assert "sent 0 records" in dakar.cli(["sync", "now"]).stdout
    assert hub.count(ProgressEvent) == 7
    assert hub.count(SyncCentre) == 1  # the same centre, with its key from the backup


def test_by_usb_the_records_made_after_the_restore_are_not_taken_for_those_the_hub_has(hub, dakar, tmp_path):
    sync_by_usb(hub, dakar, tmp_path, "one.lms")
    archive = back_up(dakar, tmp_path / "usb")
    dakar.run(activity, "dk-learner0", "lesson_completed")
    dakar.run(activity, "dk-learner1", "lesson_completed")
    sync_by_usb(hub, dakar, tmp_path, "two.lms")
    assert hub.count(ProgressEvent) == 4

    restore(dakar, archive)
    # As many new records as the hub got after the backup: the same counter values, other records.
    dakar.run(activity, "dk-learner0", "time_spent", data={"seconds": 30})
    dakar.run(activity, "dk-learner1", "time_spent", data={"seconds": 60})
    sync_by_usb(hub, dakar, tmp_path, "three.lms")
    sync_by_usb(hub, dakar, tmp_path, "four.lms")
    assert hub.count(ProgressEvent) == 6
    assert dakar.run(outbox.waiting) == 0
