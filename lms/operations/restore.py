"""Bring an instance back from a backup archive, refusing one that fails its checksums.

Everything is checked before anything is replaced: the archive against its manifest,
then each member again as it is written to a staging folder inside the instance (same
disk, so moving it into place is a rename). An instance that already holds accounts is
only overwritten with `force`, and then what it held is moved to
instance/replaced-<time>/, never deleted.
"""
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect

from lms.core.clock import forget_floor, trusted_now
from lms.core.disk import ensure_free_space
from lms.extensions import db
from lms.operations import backup
from lms.operations.backup import BackupError


def restore(archive_path, force=False, app=None):
    """Restore a verified archive into this instance; return a summary dict."""
    app = app or current_app._get_current_object()
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file")
    manifest = backup.verify(archive_path)
    kind = manifest["database"]["kind"]
    here = backup.database_kind(app)
    if kind != here:
        raise BackupError(f"{archive_path.name} holds a {kind} database, and this instance uses {here}: "
                          f"set DATABASE_URL to a {kind} database first")
    if _holds_accounts() and not force:
        raise BackupError("this instance already holds accounts: stop the server, then run the restore again "
                          "with --force (what it holds now is moved to instance/replaced-<time>/, not deleted)")
    instance = Path(app.instance_path)
    ensure_free_space(instance, sum(entry["size"] for entry in manifest["files"].values()))
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance))
    try:
        _extract(archive_path, manifest, staging)
        db.session.remove()
        db.engine.dispose()
        replaced = instance / ("replaced-" + trusted_now().strftime("%Y%m%d-%H%M%S"))
        if kind == "sqlite":
            _put_sqlite(staging / backup.SQLITE_MEMBER, backup.sqlite_path(app), replaced)
        else:
            _pg_restore(app, staging / backup.PG_MEMBER)
        files = _put_instance_files(staging / "instance", instance, replaced)
        shutil.rmtree(instance / "search", ignore_errors=True)  # rebuilt from the restored catalogue
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    forget_floor()
    return {"archive": str(archive_path), "created_at": manifest["created_at"], "database": kind,
            "revision": manifest["database"].get("revision"), "files": files,
            "replaced": str(replaced) if replaced.exists() else None}


def _holds_accounts():
    try:
        if not inspect(db.engine).has_table("users"):
            return False
        return db.session.execute(db.text("SELECT 1 FROM users LIMIT 1")).first() is not None
    finally:
        db.session.rollback()


def _extract(archive_path, manifest, staging):
    """Write every listed member under staging, checking each digest again as it is written."""
    listed = manifest["files"]
    with tarfile.open(archive_path, "r:gz") as archive:
        for info in archive:
            if info.name == backup.MANIFEST or not info.isfile():
                continue
            entry = listed.get(info.name)
            if entry is None or info.name.startswith("/") or ".." in Path(info.name).parts:
                raise BackupError(f"{archive_path.name}: unexpected member {info.name}")
            target = staging / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = archive.extractfile(info)
            with open(target, "wb") as out:
                for chunk in iter(lambda: source.read(backup.CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"{archive_path.name}: {info.name} fails its checksum")
            os.chmod(target, 0o600)


def _move_aside(path, replaced, instance_root):
    if not path.exists() and not path.is_symlink():
        return
    try:
        relative = path.relative_to(instance_root)
    except ValueError:
        relative = Path(path.name)
    target = replaced / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), str(target))


def _put_sqlite(snapshot, target, replaced):
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        current = Path(f"{target}{suffix}")
        if current.exists():
            # A database that holds no account yet (a fresh `lms init`) is moved aside too: same rule.
            _move_aside(current, replaced, target.parent)
    shutil.move(str(snapshot), str(target))


def _pg_restore(app, dump):
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore is not installed: install the PostgreSQL client tools "
                          "(Debian: apt install postgresql-client)")
    url, env = backup.pg_connection(app)
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                           "--single-transaction", "--dbname", url, str(dump)],
                          env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed (the database is as it was): {done.stderr.strip()[-500:]}")


def _put_instance_files(staged, instance, replaced):
    count = 0
    if not staged.is_dir():
        return count
    for item in backup.INSTANCE_ITEMS:
        source = staged / item
        if not source.exists():
            continue
        _move_aside(instance / item, replaced, instance)
        shutil.move(str(source), str(instance / item))
        count += sum(1 for p in (instance / item).rglob("*") if p.is_file()) if (instance / item).is_dir() else 1
    return count
