"""A full disk: photos, imports and backups are refused before they start, and nothing is half-written."""
import io
import os
import subprocess
from collections import namedtuple
from pathlib import Path

import pytest

from lms.core import disk
from lms.extensions import db
from lms.mentoring.models import Submission
from lms.operations import backup
from tests import course_tree
from tests.conftest import DATABASE_URL
from tests.functional.mentoring.test_mentoring import photo_bytes, send_work

Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def nearly_full(monkeypatch):
    """A disk with 50 MB free: less than the 100 MB margin every write must leave."""
    monkeypatch.setattr("lms.core.disk.shutil.disk_usage", lambda path: Usage(16 * 10**9, 16 * 10**9, 50 * 10**6))


def test_ensure_free_space_counts_the_margin(app, monkeypatch):
    monkeypatch.setattr("lms.core.disk.shutil.disk_usage", lambda path: Usage(10**9, 0, 150 * 10**6))
    assert disk.ensure_free_space(app.instance_path, 40 * 10**6) == 150 * 10**6
    with pytest.raises(disk.DiskFullError) as error:
        disk.ensure_free_space(app.instance_path, 60 * 10**6)
    assert error.value.needed == 160 * 10**6 and "160.0 MB needed" in str(error.value)
    app.config["DISK_FREE_MARGIN_MB"] = 10
    assert disk.ensure_free_space(app.instance_path, 60 * 10**6)


def test_a_photo_on_a_full_disk_is_refused_clearly_and_nothing_is_stored(app, client, cohort, sign_in, nearly_full):
    sign_in("mariam")
    page = send_work(client, {"text": "Mon étal ce matin.", "photo": (io.BytesIO(photo_bytes()), "etal.jpg")})
    assert "The server&#39;s disk is full" in page.get_data(as_text=True) or \
        "The server's disk is full" in page.get_data(as_text=True)
    assert db.session.execute(db.select(Submission)).first() is None
    uploads = Path(app.instance_path) / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_an_import_on_a_full_disk_is_refused_and_imports_nothing(app, runner, tmp_path, nearly_full):
    from lms.catalogue.models import Lesson

    result = runner.invoke(args=["import-courses", str(course_tree.native_tree_with_reading(tmp_path / "courses"))])
    assert result.exit_code == 1
    assert "not enough free space" in result.output and "nothing was imported" in result.output
    assert db.session.execute(db.select(Lesson)).first() is None
    media = Path(app.instance_path) / "media"
    assert not media.exists() or list(media.iterdir()) == []


def test_the_backup_command_on_a_full_disk_writes_nothing(app, runner, admin, tmp_path, nearly_full):
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "usb")])
    assert result.exit_code == 1
    assert "not enough free space" in result.output and "Nothing was written" in result.output
    assert list((tmp_path / "usb").iterdir()) == []


def _tmpfs(folder, size):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.mark.skipif(bool(DATABASE_URL), reason="fills the SQLite file with randomblob(); on PostgreSQL the estimate is "
                    "the whole server's database, which test_backup_restore's PostgreSQL path does not fit on 8 MB")
def test_a_real_small_filesystem_refuses_the_backup_and_keeps_the_older_one(app, admin, tmp_path, monkeypatch):
    """An 8 MB tmpfs (a small USB stick): the backup that no longer fits is refused, the one there stays whole."""
    stick = tmp_path / "stick"
    _tmpfs(stick, "8m")
    try:
        app.config["DISK_FREE_MARGIN_MB"] = 0
        first = backup.make_backup(to=stick)
        free = disk.free_bytes(stick)
        db.session.execute(db.text("CREATE TABLE ballast (x BLOB)"))
        db.session.execute(db.text(f"INSERT INTO ballast VALUES (randomblob({free}))"))  # incompressible
        db.session.commit()
        with pytest.raises(disk.DiskFullError):
            backup.make_backup(to=stick)
        assert [p.name for p in stick.iterdir()] == [first.name]
        # Even when the check is wrong (another writer filled the disk meanwhile), a write that runs out
        # of space leaves no half archive behind.
        monkeypatch.setattr(backup, "ensure_free_space", lambda *args: None)
        with pytest.raises((OSError, backup.BackupError), match="full|space"):
            backup.make_backup(to=stick)
        assert [p.name for p in stick.iterdir()] == [first.name]
        assert backup.verify(first.path)
    finally:
        subprocess.run(["umount", str(stick)], capture_output=True)
