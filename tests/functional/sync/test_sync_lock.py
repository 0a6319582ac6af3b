"""One sync at a time at a centre: while the timer's `lms sync now` runs, the Sync page's button and the USB
commands say so and change nothing, instead of numbering changes twice or sending a file half rewritten."""
import multiprocessing
import os
import signal

from lms.extensions import db
from lms.progress.models import ProgressEvent
from lms.sync import keys
from lms.sync.lock import one_sync_at_a_time
from tests.functional.sync.test_http_sync_pages import signed_in


def test_while_the_timer_syncs_the_button_and_the_usb_export_say_a_sync_is_running(hub, dakar, tmp_path):
    with dakar.app.app_context():
        web = signed_in(dakar, "amina")
        with one_sync_at_a_time("a sync with the hub"):
            page = web.submit("/sync/now", follow_redirects=True).get_data(as_text=True)
            assert "The sync did not finish: another sync is running at this centre (a sync with the hub, " \
                "started" in page
            result = dakar.cli(["sync", "now"], ok=False)
            assert result.exit_code == 1 and "another sync is running at this centre" in result.stderr
            export = dakar.cli(["sync", "export", "--to", str(tmp_path / "stick.lms")], ok=False)
            assert export.exit_code == 1 and "another sync is running" in export.stderr
            assert not (tmp_path / "stick.lms").exists()
    assert hub.count(ProgressEvent) == 0  # nothing was sent while the other sync ran
    assert "sent" in dakar.cli(["sync", "now"]).stdout  # once it ended, the next one goes through
    assert hub.count(ProgressEvent) == 2


def _hold_the_lock(instance, ready):
    from lms import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(instance), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/lms.sqlite3"},
                     instance_path=str(instance))
    with app.app_context(), one_sync_at_a_time("a sync cut by a power failure"):
        ready.set()
        signal.pause()


def test_a_sync_that_died_with_its_process_leaves_no_lock_behind(dakar):
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    holder = context.Process(target=_hold_the_lock, args=(str(dakar.folder), ready))
    holder.start()
    try:
        assert ready.wait(30)
        assert "a sync cut by a power failure" in dakar.cli(["sync", "now"], ok=False).stderr
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join()
    assert "sent" in dakar.cli(["sync", "now"]).stdout
    with dakar.app.app_context():
        assert (keys.sync_dir() / "sync.lock").read_text() == ""
        db.session.remove()


def test_a_link_in_place_of_the_lock_is_refused_and_its_target_kept(dakar, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("kept")
    with dakar.app.app_context():
        (keys.sync_dir() / "sync.lock").unlink(missing_ok=True)
        os.symlink(precious, keys.sync_dir() / "sync.lock")
    result = dakar.cli(["sync", "now"], ok=False)
    assert result.exit_code == 1 and "the sync lock instance/sync/sync.lock cannot be opened" in result.stderr
    assert precious.read_text() == "kept"
