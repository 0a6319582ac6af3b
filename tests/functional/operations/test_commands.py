"""`lms upgrade`, `lms install-service`, `lms status`, and the admin's Backups page."""
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from lms.extensions import db
from lms.operations import backup, service
from tests.conftest import DATABASE_URL, mark_schema_changed

BROKEN_MIGRATION = '''"""a migration that fails half-way"""
from alembic import op
import sqlalchemy as sa

revision = "9999_broken"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("users", sa.Column("nickname", sa.String(20)))
    raise RuntimeError("this migration fails after changing the schema")


def downgrade():
    pass
'''


@pytest.fixture
def migrated(app, runner):
    """A database built by the migrations, as on a real centre."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    mark_schema_changed()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    yield app
    mark_schema_changed()


def columns(table):
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.mark.skipif(bool(DATABASE_URL), reason="copies SQLite files; on PostgreSQL the migrations run in one transaction")
def test_a_failed_migration_leaves_the_database_as_it_was_and_names_the_backup(migrated, runner, tmp_path,
                                                                                monkeypatch):
    from lms.operations import upgrade

    head = upgrade.head_revision()
    broken = tmp_path / "migrations"
    import shutil

    shutil.copytree(migrated.config["MIGRATIONS_DIR"], broken, ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "versions" / "9999_broken.py").write_text(BROKEN_MIGRATION.format(head=head))
    migrated.config["MIGRATIONS_DIR"] = str(broken)
    migrated.extensions.pop("migrate", None)
    before = columns("users")

    result = runner.invoke(args=["upgrade", "--skip-courses"])
    assert result.exit_code == 1
    assert "the migration failed" in result.output and "as it was before" in result.output
    made = backup.latest_backup(migrated)
    assert made and f"lms restore --force {made.path}" in result.output
    db.engine.dispose()
    assert "half_done" not in inspect(db.engine).get_table_names()
    assert columns("users") == before
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
    assert not Path(f"{backup.sqlite_path(migrated)}.before-upgrade").exists()


def test_upgrade_backs_up_first_then_says_the_schema_is_current(migrated, runner):
    result = runner.invoke(args=["upgrade", "--skip-courses"])
    assert result.exit_code == 0, result.output
    assert "backup first:" in result.output and "already at" in result.output
    assert backup.latest_backup(migrated) is not None


def test_install_service_prints_the_unit_and_touches_nothing(app, runner, monkeypatch):
    monkeypatch.setattr(service, "can_install", lambda: False)
    monkeypatch.setattr(service, "RUN", lambda *a, **k: pytest.fail("nothing may run"))
    result = runner.invoke(args=["install-service", "--user", "lms", "--port", "80", "--https-port", "443"])
    assert result.exit_code == 0, result.output
    unit = result.stdout
    assert "User=lms\n" in unit and "Restart=always" in unit and "WantedBy=multi-user.target" in unit
    assert f"WorkingDirectory={Path(app.root_path).parent}" in unit
    assert "serve --host 0.0.0.0 --port 80 --threads 8 --https-port 443" in unit
    assert "AmbientCapabilities=CAP_NET_BIND_SERVICE" in unit
    assert f"Environment=LMS_INSTANCE_PATH={app.instance_path}" in unit


def test_status_says_where_it_answers_with_what_database_disk_and_last_backup(app, runner, admin, monkeypatch):
    monkeypatch.setattr(service, "service_state", lambda name="lms": None)
    monkeypatch.setattr("lms.site.addresses.lan_addresses", lambda: ["192.168.1.10"])
    result = runner.invoke(args=["status", "--port", "8080"])
    assert result.exit_code == 0, result.output
    assert "http://192.168.1.10:8080/" in result.output
    assert "database:" in result.output and "MB free" in result.output
    assert "last backup: none" in result.output
    backup.make_backup()
    assert "last backup: " + str(backup.backup_folder()) in runner.invoke(args=["status"]).output


def test_the_backups_page_warns_when_there_is_none_and_backs_up_now(client, admin, sign_in):
    sign_in("amina")
    html = client.get("/admin/backups").get_data(as_text=True)
    assert "There is no backup yet" in html
    response = client.submit("/admin/backups", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Backup made and checked" in html and "Last backup" in html
    assert "There is no backup yet" not in html
    name = backup.latest_backup().name
    download = client.get(f"/admin/backups/{name}")
    assert download.status_code == 200 and download.data[:2] == b"\x1f\x8b"


def test_the_backups_page_warns_after_seven_days(client, admin, sign_in, app):
    folder = backup.backup_folder()
    folder.mkdir(parents=True)
    (folder / "lms-backup-20261101-020000.tar.gz").write_bytes(b"x")
    sign_in("amina")
    assert "days old. Back up now." in client.get("/admin/backups").get_data(as_text=True)


def test_learners_cannot_see_or_download_backups(client, admin, learner, sign_in):
    folder = backup.backup_folder()
    folder.mkdir(parents=True)
    (folder / "lms-backup-20261101-020000.tar.gz").write_bytes(b"secret")
    sign_in("mariam")
    for url in ("/admin/backups", "/admin/backups/lms-backup-20261101-020000.tar.gz"):
        assert client.get(url).status_code in (302, 403)
    assert client.submit("/admin/backups").status_code in (302, 403)
    assert len(list(folder.iterdir())) == 1


def test_a_backup_name_cannot_reach_outside_the_folder(client, admin, sign_in, app):
    (Path(app.instance_path) / "secret_key").write_text("k")
    sign_in("amina")
    assert client.get("/admin/backups/..%2Fsecret_key").status_code == 404
    assert client.get("/admin/backups/secret_key").status_code == 404


def test_the_sqlite_copy_is_checked(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    with sqlite3.connect(broken) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(backup.BackupError, match="no database"):
        backup._sqlite_snapshot(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    snapshot, _revision = backup._sqlite_snapshot(broken, tmp_path / "copy.sqlite3")
    assert snapshot.exists()


def test_admins_of_an_older_site_without_a_recent_backup_see_a_banner_to_the_backups_page(client, admin, sign_in):
    from datetime import timedelta

    from lms.core.database import utcnow

    sign_in("amina")
    assert "no backup yet" not in client.get("/admin/users").get_data(as_text=True)  # a new site: no nagging
    admin.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    html = client.get("/admin/users").get_data(as_text=True)
    assert "This centre has no backup yet." in html and 'href="/admin/backups"' in html
    backup.make_backup()
    assert "no backup yet" not in client.get("/admin/users").get_data(as_text=True)
