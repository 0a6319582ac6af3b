"""A centre follows the hub's paths: each sync fetches the course folder of a path it lacks or has in another
version, checks it against the digest in the hub's signed answer, unpacks it safely and imports it.

The hub's own test client is the network (an injected transport), as in test_http_sync.
"""
import contextlib
import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.extensions import db
from lms.progress.models import ProgressEvent
from lms.sync import catalogue
from tests import course_tree, factories
from tests.functional.sync.conftest import Network, Site, activity, enrol, online
from tests.functional.sync.test_http_sync_pages import signed_in


@pytest.fixture
def own_courses(tmp_path):
    """What the centre had before it first synced: its own plain folder, not the hub's path."""
    return course_tree.plain_tree(tmp_path / "local")


@pytest.fixture
def dakar(tmp_path, hub, network, own_courses):
    site = online(Site(tmp_path / "dakar", "centre", own_courses), network)
    enrol(hub, site, "Dakar")
    yield site
    site.close()


def lessons(site, path="market"):
    with site.app.app_context():
        return sorted(db.session.execute(
            db.select(Lesson.slug).join(LearningPath).where(LearningPath.slug == path,
                                                            Lesson.retired_at.is_(None))).scalars())


def text_of(site, lesson, language="fr"):
    with site.app.app_context():
        return db.session.execute(db.select(LessonText.plain_text).join(Lesson).where(
            Lesson.slug == lesson, LessonText.language == language)).scalar_one()


def test_a_centre_gets_the_hubs_path_with_its_lessons_at_its_first_sync(hub, dakar):
    assert lessons(dakar) == []
    output = dakar.cli(["sync", "now"]).stdout
    assert "path market: installed from the hub (3 lessons added" in output
    assert lessons(dakar) == ["market-closing", "market-prices", "market-stall"]
    assert (dakar.folder / "hub-courses" / "market" / "path.yaml").is_file()
    assert "Awa vend des mangues" in text_of(dakar, "market-stall")
    assert any((dakar.folder / "media").rglob("*.*"))  # its lesson image came too
    second = dakar.cli(["sync", "now"]).stdout
    assert "path market" not in second and "other versions" not in second  # nothing new: nothing fetched


def test_the_hubs_update_of_a_lesson_reaches_the_centre_and_progress_is_kept(hub, dakar, courses):
    dakar.cli(["sync", "now"])

    def learner_opens_a_lesson():
        factories.user("dk-awa")
        activity("dk-awa", "lesson_opened", lesson="market-closing")
        with_progress = db.session.execute(db.select(Lesson).filter_by(slug="market-closing")).scalar_one()
        return with_progress.id

    lesson_id = dakar.run(learner_opens_a_lesson)
    closing = courses / "01-market" / "03-closing.fr.md"
    closing.write_text(closing.read_text().replace("comptez la caisse", "comptez deux fois la caisse"))
    hub.cli(["import-courses", str(courses)])

    output = dakar.cli(["sync", "now"]).stdout
    assert "path market: installed from the hub (0 lessons added, 1 updated" in output
    assert "comptez deux fois la caisse" in text_of(dakar, "market-closing")
    with dakar.app.app_context():
        lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-closing")).scalar_one()
        assert lesson.id == lesson_id
        assert db.session.execute(db.select(db.func.count()).select_from(ProgressEvent)
                                  .filter_by(lesson_id=lesson_id)).scalar() == 1
    with dakar.app.app_context():  # the Sync page's last run says it
        from lms.sync.catalogue import last_results

        assert last_results()["paths"] == [{"slug": "market", "ok": True, "added": 0, "updated": 1,
                                            "unchanged": 2, "retired": 0}]


def test_an_update_that_fails_to_import_leaves_the_old_folder_and_lessons(hub, dakar, courses, monkeypatch):
    dakar.cli(["sync", "now"])
    closing = courses / "01-market" / "03-closing.fr.md"
    closing.write_text(closing.read_text().replace("comptez la caisse", "comptez deux fois la caisse"))
    hub.cli(["import-courses", str(courses)])

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("lms.catalogue.importer.import_courses", broken)
    output = dakar.cli(["sync", "now"]).stdout
    assert "path market: not updated: the import stopped on an unexpected problem (RuntimeError: disk on fire)" \
        in output
    installed = (dakar.folder / "hub-courses" / "market" / "03-closing.fr.md").read_text()
    assert "comptez la caisse" in installed and "comptez la caisse" in text_of(dakar, "market-closing")
    assert sorted(p.name for p in (dakar.folder / "hub-courses").iterdir()) == ["market"]
    monkeypatch.undo()
    assert "path market: installed from the hub (0 lessons added, 1 updated" in dakar.cli(["sync", "now"]).stdout


class Tampering(Network):
    """A network that damages the course archives on the way."""

    def __call__(self, method, url, body, headers, timeout):
        status, data = super().__call__(method, url, body, headers, timeout)
        if "/sync/courses/" in url and status == 200:
            data = data[:-20] + bytes(20)
        return status, data


def test_a_tampered_archive_changes_nothing(hub, dakar):
    dakar.app.config["SYNC_TRANSPORT"] = Tampering(hub)
    output = dakar.cli(["sync", "now"]).stdout
    assert "path market: not updated: the archive received does not match the digest the hub signed" in output
    assert lessons(dakar) == [] and not (dakar.folder / "hub-courses" / "market").exists()
    dakar.app.config["SYNC_TRANSPORT"] = Network(hub)  # the next sync, on a sound line, installs it
    assert "path market: installed from the hub" in dakar.cli(["sync", "now"]).stdout


def hostile_archive(member):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed, tarfile.open(fileobj=packed, mode="w") as tar:
        data = b"id: market\ntitle:\n  fr: Piege\n"
        info = tarfile.TarInfo("path.yaml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        tar.addfile(member, io.BytesIO(b"evil\n") if member.isfile() else None)
    return out.getvalue()


def plant(hub, data):
    """The hub serves (and signs the digest of) this archive for 'market', as a compromised hub would."""
    with hub.app.app_context():
        path = db.session.execute(db.select(LearningPath).filter_by(slug="market")).scalar_one()
        members = catalogue._members(path.source_dir)
        folder = catalogue._cache_dir()
        (folder / "market.tar.gz").write_bytes(data)
        (folder / "market.json").write_text(json.dumps({
            "fingerprint": catalogue._fingerprint("market", Path(path.source_dir), members),
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}))


def climbing():
    member = tarfile.TarInfo("../outside.md")
    member.size = 5
    return member


def linked():
    member = tarfile.TarInfo("lesson.fr.md")
    member.type, member.linkname = tarfile.SYMTYPE, "/etc/passwd"
    return member


@pytest.mark.parametrize("member, words", [(climbing, "names a file outside its folder ('../outside.md')"),
                                           (linked, "holds a link or a device ('lesson.fr.md')")])
def test_an_archive_with_a_climbing_name_or_a_link_is_refused(hub, dakar, member, words):
    plant(hub, hostile_archive(member()))
    output = dakar.cli(["sync", "now"]).stdout
    assert f"path market: not updated: its archive {words}: refused" in output
    assert lessons(dakar) == [] and not (dakar.folder / "outside.md").exists()
    assert not (dakar.folder / "hub-courses" / "market").exists()
    assert [p.name for p in (dakar.folder / "hub-courses").iterdir()] == []  # no half-unpacked folder left


def test_a_local_path_with_the_same_id_from_another_source_is_not_taken_over(hub, dakar, own_courses):
    dakar.cli(["import-courses", str(own_courses), "--as", "market"])
    before = lessons(dakar)
    output = dakar.cli(["sync", "now"]).stdout
    assert "path market: not updated: this centre has a path 'market' from another source (dir:" in output
    assert "the hub's version does not take it over" in output
    assert lessons(dakar) == before and not (dakar.folder / "hub-courses" / "market").exists()
    with dakar.app.app_context():
        assert db.session.execute(db.select(LearningPath).filter_by(slug="market")).scalar_one() \
            .source_format == "plain"


def test_a_centre_follows_only_the_paths_it_names(hub, dakar):
    dakar.app.config["SYNC_FOLLOW_PATHS"] = ["another-path"]
    output = dakar.cli(["sync", "now"]).stdout
    assert "path market" not in output and "the hub has other versions of these paths: market" in output
    assert lessons(dakar) == []


def test_the_hubs_archive_is_the_same_for_the_same_files_and_only_for_signed_centres(hub, dakar):
    with hub.app.app_context():
        first = catalogue.archive("market")[1]
        (catalogue._cache_dir() / "market.json").unlink()
        assert catalogue.archive("market")[1] == first  # built again: the same bytes
    response = hub.app.test_client().get("/sync/courses/market", headers={"X-Sync-Centre": "nobody"})
    assert response.status_code == 403 and "does not know centre" in response.get_json()["errors"][0]["error"]


def test_the_sync_page_shows_each_paths_result(hub, dakar, own_courses):
    dakar.cli(["import-courses", str(own_courses), "--as", "market"])
    with dakar.app.app_context():
        web = signed_in(dakar, "amina")
        page = web.submit("/sync/now", follow_redirects=True).get_data(as_text=True)
        assert "Courses from the hub" in page and "market: not updated." in page
        assert "the hub&#39;s version does not take it over" in page


@pytest.mark.parametrize("setting, words", [
    ({"SYNC_MAX_COURSE_FILES": 3}, "its archive holds more than 3 files or"),
    ({"SYNC_MAX_COURSE_BYTES": 1000}, "its archive weighs more than the 1000 bytes this centre accepts")])
def test_a_centre_refuses_a_path_larger_than_its_limits(hub, dakar, setting, words):
    dakar.app.config.update(setting)
    output = dakar.cli(["sync", "now"]).stdout
    assert f"path market: not updated: {words}" in output
    assert lessons(dakar) == [] and not (dakar.folder / "hub-courses" / "market").exists()


@contextlib.contextmanager
def served(hub):
    """The hub behind a real HTTP server on a loopback port, so the centre uses its own urllib transport."""
    server = make_server("127.0.0.1", 0, hub.app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


def test_a_path_comes_through_a_real_loopback_server(tmp_path, hub, own_courses):
    centre = Site(tmp_path / "kaolack", "centre", own_courses)
    try:
        with served(hub) as url:
            enrol(hub, centre, "Kaolack")
            centre.app.config["SYNC_HUB_URL"] = url
            assert "path market: installed from the hub (3 lessons added" in centre.cli(["sync", "now"]).stdout
    finally:
        centre.close()
    assert lessons(centre) == ["market-closing", "market-prices", "market-stall"]


def test_a_hub_that_sends_more_than_it_announced_is_cut_off_at_the_centres_limit(tmp_path, hub, own_courses,
                                                                                   monkeypatch):
    data = os.urandom(300_000)
    (tmp_path / "big.tar.gz").write_bytes(data)
    lie = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": 1000}  # a hub that lies about its archive's size
    monkeypatch.setattr(catalogue, "archive", lambda slug: (tmp_path / "big.tar.gz", lie))
    centre = Site(tmp_path / "kaolack", "centre", own_courses)
    try:
        with served(hub) as url:
            enrol(hub, centre, "Kaolack")
            centre.app.config.update(SYNC_HUB_URL=url, SYNC_MAX_COURSE_BYTES=50_000)
            output = centre.cli(["sync", "now"]).stdout
    finally:
        centre.close()
    assert "path market: not updated: its archive is larger than 50000 bytes (SYNC_MAX_COURSE_BYTES)" in output
    assert lessons(centre) == [] and not any((centre.folder / "hub-courses").glob("*"))  # nothing left behind
