"""A backup made while learners keep working restores into a fresh instance with everything acknowledged."""
import gzip
import io
import sqlite3
import tarfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from lms import create_app
from lms.accounts.models import User
from lms.core.disk import DiskFullError
from lms.extensions import db
from lms.operations import backup, restore
from lms.operations.backup import BackupError
from lms.progress.events import record_events
from lms.progress.models import ProgressEvent
from tests.conftest import DATABASE_URL, base_config

pytestmark = pytest.mark.skipif(bool(DATABASE_URL), reason="these tests back up and restore SQLite files; "
                                "the PostgreSQL path is test_pg_dump_backup_restores below")


def events(count, lesson="market-closing"):
    return [{"id": str(uuid.uuid4()), "type": "lesson_opened", "lesson": lesson,
             "at": "2026-11-20T10:00:00Z", "data": {}} for _ in range(count)]


@pytest.fixture
def centre(app, learner, course):
    """A centre with a photo, a course image, its certificate authority and a config file."""
    instance = Path(app.instance_path)
    (instance / "uploads").mkdir(exist_ok=True)
    (instance / "uploads" / "photo.jpg").write_bytes(b"\xff\xd8 a photo of a market stall")
    (instance / "tls").mkdir(exist_ok=True)
    (instance / "tls" / "ca.key").write_text("-----BEGIN PRIVATE KEY----- the centre's key")
    (instance / "config.py").write_text('SITE_NAME = "Centre de Thiès"\n')
    (instance / "secret_key").write_text("the-centre-secret")
    return app


def fresh_app(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return create_app(base_config(folder), instance_path=str(folder))


def ids_in(database):
    with sqlite3.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM progress_events")}


def test_backup_then_restore_into_a_fresh_instance(centre, learner, tmp_path):
    record_events(learner, events(3))
    db.session.commit()
    made = backup.make_backup(to=tmp_path / "usb")
    assert made.path.name.startswith("lms-backup-") and made.path.suffixes[-2:] == [".tar", ".gz"]
    manifest = backup.verify(made.path)
    assert {"database/lms.sqlite3", "instance/secret_key", "instance/config.py", "instance/tls/ca.key",
            "instance/uploads/photo.jpg"} <= set(manifest["files"])
    assert any(name.startswith("instance/media/") for name in manifest["files"])  # the course's images

    target = tmp_path / "elsewhere"
    other = fresh_app(target)
    with other.app_context():
        done = restore.restore(made.path)
    assert done["database"] == "sqlite" and done["files"] >= 4
    assert ids_in(target / "lms.sqlite3") == ids_in(Path(centre.instance_path) / "lms.sqlite3")
    assert (target / "secret_key").read_text() == "the-centre-secret"
    assert (target / "uploads" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo of a market stall"
    assert (target / "tls" / "ca.key").exists() and (target / "config.py").exists()
    with sqlite3.connect(target / "lms.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT username FROM users WHERE username = 'mariam'").fetchone() == ("mariam",)


def test_a_backup_made_under_write_load_holds_every_acknowledged_event(centre, learner, tmp_path):
    # Enough rows that the copy takes a while, so that writes really happen while it runs.
    lesson_id = db.session.execute(db.select(ProgressEvent.lesson_id)).scalar() or \
        db.session.execute(db.text("SELECT id FROM lessons LIMIT 1")).scalar()
    rows = [{"id": str(uuid.uuid4()), "user_id": learner.id, "lesson_id": lesson_id, "type": "time_spent",
             "occurred_at": datetime(2026, 11, 1, 10), "received_at": datetime(2026, 11, 1, 10),
             "data": {"seconds": 1}} for _ in range(30000)]
    db.session.execute(ProgressEvent.__table__.insert(), rows)
    db.session.commit()

    acknowledged, stop, failures = [], threading.Event(), []
    learner_id = learner.id

    def keep_writing():
        with centre.app_context():
            user = db.session.get(User, learner_id)
            while not stop.is_set():
                try:
                    batch = events(5)
                    result = record_events(user, batch)
                    db.session.commit()
                    acknowledged.append((time.monotonic(), result.accepted))
                except Exception as error:  # noqa: BLE001 — reported below
                    failures.append(error)
                    db.session.rollback()
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(acknowledged) < 10:
            time.sleep(0.01)
        began = time.monotonic()
        before = {i for at, ids in list(acknowledged) if at < began for i in ids}
        made = backup.make_backup(to=tmp_path / "backups")
        ended = time.monotonic()
    finally:
        stop.set()
        writer.join()
    assert not failures
    during = [ids for at, ids in acknowledged if began <= at <= ended]
    assert during, "no event was written while the backup ran"

    target = tmp_path / "restored"
    with fresh_app(target).app_context():
        restore.restore(made.path)
    restored = ids_in(target / "lms.sqlite3")
    assert before <= restored
    assert len(restored) >= 30000 + len(before)


def test_restore_refuses_an_archive_that_fails_its_checksum_and_changes_nothing(centre, tmp_path):
    made = backup.make_backup(to=tmp_path / "usb")
    tampered = tmp_path / "usb" / "lms-backup-20261201-000000.tar.gz"
    with tarfile.open(made.path, "r:gz") as source, tarfile.open(tampered, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "instance/secret_key":
                data = b"someone-else-s-key"
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))

    target = tmp_path / "fresh"
    app = fresh_app(target)
    (target / "secret_key").write_text("the-fresh-instance-key")
    with app.app_context(), pytest.raises(BackupError, match="instance/secret_key fails its checksum"):
        restore.restore(tampered)
    assert (target / "secret_key").read_text() == "the-fresh-instance-key"
    assert not (target / "lms.sqlite3").exists()
    assert not any(p.name.startswith((".restore-", "replaced-")) for p in target.iterdir())


def test_a_truncated_archive_is_refused(centre, tmp_path):
    made = backup.make_backup(to=tmp_path / "usb")
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="damaged archive"):
        backup.verify(made.path)


def test_restore_will_not_overwrite_accounts_without_force_and_keeps_what_it_replaces(centre, tmp_path):
    made = backup.make_backup(to=tmp_path / "usb")
    with pytest.raises(BackupError, match="already holds accounts"):
        restore.restore(made.path)
    done = restore.restore(made.path, force=True)
    replaced = Path(done["replaced"])
    assert (replaced / "lms.sqlite3").exists() and (replaced / "secret_key").exists()


def test_only_the_newest_backups_are_kept(centre, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"lms-backup-202611{day:02d}-020000.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup: never deleted")
    made = backup.make_backup(to=folder, keep=3)
    names = [b.name for b in backup.list_backups(folder)]
    assert names == [made.name, "lms-backup-20261105-020000.tar.gz", "lms-backup-20261104-020000.tar.gz"]
    assert (folder / "notes.txt").exists()


def test_a_full_disk_refuses_the_backup_and_leaves_nothing(centre, tmp_path, monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("lms.core.disk.shutil.disk_usage", lambda path: usage(10**9, 10**9 - 50_000, 50_000))
    folder = tmp_path / "backups"
    with pytest.raises(DiskFullError, match="not enough free space"):
        backup.make_backup(to=folder)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_backup_command_and_the_restore_command(centre, runner, tmp_path):
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "usb")])
    assert result.exit_code == 0, result.output
    assert "checked" in result.output
    archive = next((tmp_path / "usb").glob("lms-backup-*.tar.gz"))
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "already holds accounts" in result.output and "Traceback" not in result.output
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(gzip.compress(b"not a tar file"))
    result = runner.invoke(args=["restore", "--force", str(broken)])
    assert result.exit_code == 1 and "damaged archive" in result.output
