"""Attacks on the USB return trip and the hub's course archives that must fail.

Whoever carries the stick between a centre and the hub can leave links and files on it; a course folder at the
hub may hold a loop of links; a hostile centre can put any number in its bundle's header; an old acknowledgement
can be kept aside and imported later. None of these may write outside the stick, crash an import or bring an old
lesson back.
"""
import json
import os
import shutil

import pytest

from lms.sync import catalogue, outbox
from lms.sync.models import SyncCentre
from tests import course_tree
from tests.functional.sync.conftest import Network, online
from tests.functional.sync.test_catalogue_pull import lessons, text_of


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def test_links_left_on_the_stick_do_not_make_the_hub_write_outside_it(hub, thies, stick, tmp_path):
    database, backups = tmp_path / "hub-database", tmp_path / "hub-backups"
    database.write_text("the hub's data")
    backups.mkdir()
    (backups / "monday.tar.gz").write_bytes(b"a backup")
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    os.symlink(database, stick / "thies.lms.ack")  # the acknowledgement's name points at a file of the hub
    hub.cli(["sync", "import", str(stick / "thies.lms")])
    assert database.read_text() == "the hub's data"
    assert not (stick / "thies.lms.ack").is_symlink() and "signature" in (stick / "thies.lms.ack").read_text()
    assert [p.name for p in (stick / "thies.lms.ack.courses").iterdir()] == ["market.tar.gz"]

    shutil.rmtree(stick / "thies.lms.ack.courses")
    os.symlink(backups, stick / "thies.lms.ack.courses")  # the courses' folder points at the hub's backups
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms"), "--all"])
    result = hub.cli(["sync", "import", str(stick / "thies.lms")], ok=False)
    assert result.exit_code == 1 and "thies.lms.ack.courses is a link or a file, not a folder" in result.stderr
    assert sorted(p.name for p in backups.iterdir()) == ["monday.tar.gz"]


def test_a_link_left_where_the_centre_writes_its_bundle_is_replaced_not_followed(thies, stick):
    centre_database = thies.folder / "precious.sqlite3"
    centre_database.write_bytes(b"the centre's data")
    os.symlink(centre_database, stick / "thies.lms")
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    assert centre_database.read_bytes() == b"the centre's data"
    assert not (stick / "thies.lms").is_symlink() and (stick / "thies.lms").read_bytes()[:2] == b"\x1f\x8b"
    assert [p.name for p in stick.iterdir()] == ["thies.lms"]  # no temporary file left


def test_an_acknowledgement_kept_aside_does_not_undo_a_newer_update_pulled_over_the_internet(
        hub, thies, stick, tmp_path, courses):
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    hub.cli(["sync", "import", str(stick / "thies.lms")])
    kept = shutil.copytree(stick, tmp_path / "kept")  # made, never imported: it lists the first version
    closing = courses / "01-market" / "03-closing.fr.md"
    closing.write_text(closing.read_text().replace("comptez la caisse", "comptez deux fois la caisse"))
    hub.cli(["import-courses", str(courses)])
    online(thies, Network(hub)).cli(["sync", "now"])
    assert "comptez deux fois la caisse" in text_of(thies, "market-closing")

    output = thies.cli(["sync", "import-ack", str(kept / "thies.lms.ack")]).stdout
    assert "older than one already imported" in output
    assert "comptez deux fois la caisse" in text_of(thies, "market-closing")


def test_a_loop_of_links_in_a_hub_course_folder_is_left_out_and_syncs_go_on(hub, thies, stick, courses):
    os.symlink("loop-b", courses / "01-market" / "loop-a")
    os.symlink("loop-a", courses / "01-market" / "loop-b")
    hub.cli(["import-courses", str(courses)])
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    assert "market" in hub.cli(["sync", "import", str(stick / "thies.lms")]).stdout
    assert "path market: installed from the hub" in thies.cli(["sync", "import-ack",
                                                               str(stick / "thies.lms.ack")]).stdout
    assert lessons(thies) == ["market-closing", "market-prices", "market-stall"]


def test_folders_nested_too_deep_at_the_hub_are_said_in_words(hub, courses, monkeypatch):
    def too_deep(folder):
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(catalogue, "_members", too_deep)
    with hub.app.app_context():
        with pytest.raises(catalogue.SyncError, match="cannot read the folder of the path 'market' \\(folders nested"):
            catalogue.archive("market")
        assert "folders nested too deep" in catalogue.hub_paths()[0]["problem"]


def test_a_file_opened_outside_the_path_folder_while_packing_is_refused(tmp_path):
    inside, outside = tmp_path / "course", tmp_path / "site_key.pem"
    inside.mkdir()
    outside.write_text("secret")
    with open(outside, "rb") as handle, pytest.raises(OSError, match="left the folder while it was packed"):
        catalogue._still_inside(handle, inside.resolve(), "images/photo.png")


@pytest.mark.parametrize("key, value", [("pulled", 10**30), ("pulled", -1), ("top", 10**30)])
def test_numbers_beyond_any_counter_in_a_bundle_header_change_nothing_they_should_not(hub, thies, stick, key, value):
    def poison():
        if key == "pulled":
            outbox.set_state("pulled", str(value))
    thies.run(poison)
    if key == "top":
        original = outbox._top
        outbox._top = lambda: value
    try:
        thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    finally:
        if key == "top":
            outbox._top = original
    output = hub.cli(["sync", "import", str(stick / "thies.lms")]).stdout
    assert "applied from centre Thiès" in output and (stick / "thies.lms.ack").is_file()
    assert hub.count(SyncCentre) == 1


@pytest.mark.parametrize("content, words", [
    (b"[" * 100_000 + b"]" * 100_000, "this is not an acknowledgement file from a hub"),
    (b'{"ack": ' + b"9" * 5000 + b"}", "this is not an acknowledgement file from a hub"),
    (b" " * (17 * 1024 * 1024), "larger than an acknowledgement can be (16 MB)")])
def test_a_damaged_or_monstrous_acknowledgement_is_refused_in_words(thies, stick, content, words):
    (stick / "thies.lms.ack").write_bytes(content)
    result = thies.cli(["sync", "import-ack", str(stick / "thies.lms.ack")], ok=False)
    assert result.exit_code == 1 and words in result.stderr and "Traceback" not in result.stderr


def test_a_bundle_line_nested_too_deep_is_refused_at_its_line(hub, thies, stick):
    import gzip

    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    lines = gzip.decompress((stick / "thies.lms").read_bytes()).split(b"\n")
    lines[1] = lines[1].split(b" ", 1)[0] + b" " + b"[" * 100_000 + b"]" * 100_000
    (stick / "thies.lms").write_bytes(gzip.compress(b"\n".join(lines)))
    result = hub.cli(["sync", "import", str(stick / "thies.lms")], ok=False)
    assert result.exit_code == 1 and "thies.lms:2: this line is not JSON" in result.stderr
    response = hub.app.test_client().post("/sync/push", data=(stick / "thies.lms").read_bytes(),
                                          content_type="application/x-lms-sync-bundle")
    assert response.status_code == 400 and "this line is not JSON" in json.dumps(response.get_json())


def test_a_path_id_of_a_hundred_characters_travels_to_a_centre(hub, thies, stick, tmp_path):
    long_id = "parcours-" + "a" * 91
    folder = course_tree.plain_tree(tmp_path / "long")
    hub.cli(["import-courses", str(folder), "--as", long_id])
    thies.cli(["sync", "export", "--to", str(stick / "thies.lms")])
    hub.cli(["sync", "import", str(stick / "thies.lms")])
    output = thies.cli(["sync", "import-ack", str(stick / "thies.lms.ack")]).stdout
    assert f"path {long_id}: installed from the hub" in output
