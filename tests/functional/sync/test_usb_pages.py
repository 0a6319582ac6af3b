"""A centre admin who never opens a terminal syncs by USB stick from the Sync page: she saves the file for the hub,
and later chooses the hub's acknowledgement and the course files beside it. Plain forms, no JavaScript."""
import io
import re

from lms.sync import outbox
from tests.functional.sync.test_catalogue_pull import lessons
from tests.functional.sync.test_http_sync_pages import signed_in


def save_for_the_hub(web, stick):
    """Press "Save the file for the hub" and put the download on the stick; return its path."""
    response = web.submit("/sync/export")
    assert response.status_code == 200 and response.mimetype == "application/x-lms-sync-bundle"
    name = re.search(r'filename="?([^";]+)', response.headers["Content-Disposition"]).group(1)
    assert re.fullmatch(r"Thies-\d{4}-\d\d-\d\d-\d{4}\.lms", name)
    (stick / name).write_bytes(response.data)
    return stick / name


def choose(path):
    return (io.BytesIO(path.read_bytes()), path.name)


def test_a_round_trip_by_stick_from_the_sync_page(hub, thies, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    with thies.app.app_context():
        web = signed_in(thies, "amina")
        page = web.get("/sync/").get_data(as_text=True)
        assert "Save the file for the hub" in page and 'enctype="multipart/form-data"' in page
        bundle = save_for_the_hub(web, stick)
    assert not [p for p in (thies.folder / "sync").iterdir() if p.name.startswith(".download")]

    assert "applied from centre Thiès" in hub.cli(["sync", "import", str(bundle)]).stdout
    ack = bundle.with_name(bundle.name + ".ack")
    archives = sorted((stick / (ack.name + ".courses")).iterdir())
    assert [p.name for p in archives] == ["market.tar.gz"]

    with thies.app.app_context():
        page = web.submit("/sync/import-ack", {"ack": choose(ack), "courses": [choose(p) for p in archives]},
                          content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
        assert "Acknowledgement imported: the hub holds this centre&#39;s changes up to number" in page
        assert "market: installed from the hub (3 lessons added" in page
        again = web.submit("/sync/import-ack", {"ack": choose(ack)}, content_type="multipart/form-data",
                           follow_redirects=True).get_data(as_text=True)
        assert "This acknowledgement is older than one already imported" in again
    assert thies.run(outbox.waiting) == 0
    assert not [p for p in (thies.folder / "sync").iterdir() if p.is_dir()]  # the uploads were not kept
    assert lessons(thies) == ["market-closing", "market-prices", "market-stall"]


def test_a_missing_or_foreign_acknowledgement_is_said_on_the_form(hub, thies, tmp_path):
    with thies.app.app_context():
        web = signed_in(thies, "amina")
        empty = web.submit("/sync/import-ack", {}, content_type="multipart/form-data")
        assert empty.status_code == 200 and "Choose the acknowledgement file from the USB stick." in \
            empty.get_data(as_text=True)
        fake = web.submit("/sync/import-ack", {"ack": (io.BytesIO(b'{"ack": {}, "signature": "x"}'), "x.ack")},
                          content_type="multipart/form-data").get_data(as_text=True)
        assert 'aria-invalid="true"' in fake and "this is not an acknowledgement" in fake
        assert thies.run(outbox.acked_mark) == 0


def test_before_registration_the_page_says_so_and_no_file_is_made(make_centre):
    centre = make_centre("kaolack")
    with centre.app.app_context():
        web = signed_in(centre, "amina")
        assert "Once this centre is registered" in web.get("/sync/").get_data(as_text=True)
        page = web.submit("/sync/export", follow_redirects=True).get_data(as_text=True)
        assert "The export did not finish: this centre is not registered with a hub" in page


def test_an_upload_the_disk_cannot_hold_is_said_on_the_form(thies, tmp_path):
    thies.app.config["DISK_FREE_MARGIN_MB"] = 10**9
    with thies.app.app_context():
        web = signed_in(thies, "amina")
        page = web.submit("/sync/import-ack", {"ack": (io.BytesIO(b"{}"), "x.ack")},
                          content_type="multipart/form-data")
        assert page.status_code == 200 and "not enough free space in" in page.get_data(as_text=True)
