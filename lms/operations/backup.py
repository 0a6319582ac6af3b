"""Back up a running centre into one dated, checksummed archive that is known to open.

The database is copied as one consistent snapshot while the server keeps writing:
SQLite through its online backup API (one step, from a separate connection: in
WAL mode the copy reads the state at its start while writers carry on), then
checked with `PRAGMA integrity_check`; PostgreSQL through `pg_dump`, which reads
one snapshot too. Beside it go the files a centre cannot rebuild: its
configuration, secret key, the centre's certificate authority and keys (a new
authority means every phone installs it again), learners' photos, course media,
and the search index's stamp (the index itself is rebuilt from the database).

`manifest.json`, the last member, lists every other member with its size and
SHA-256. The archive is written under a temporary name, read back and checked
against its manifest, and only then given its final name: a name in the backup
folder is a backup that opens.
"""
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from lms.core.clock import trusted_now
from lms.core.disk import ensure_free_space
from lms.extensions import db

FORMAT = 1
PREFIX = "lms-backup-"
SUFFIX = ".tar.gz"
NAME = re.compile(r"^lms-backup-(\d{8}-\d{6})(?:-\d+)?\.tar\.gz$")
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/lms.sqlite3"
PG_MEMBER = "database/lms.pgdump"
# What of instance/ goes into a backup (besides the database): what the centre cannot make again. sync/ holds the
# site's sync key and a centre's registration: a new key is another centre (or another hub) to the programme.
INSTANCE_ITEMS = ("config.py", "secret_key", "tls", "sync", "uploads", "media")
SEARCH_STAMP_MEMBER = "search-stamp.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be made or does not check out; the message says what to do."""


@dataclass
class Backup:
    path: Path
    size: int
    created_at: datetime
    manifest: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.path.name


def backup_folder(app=None):
    """Return where backups go: BACKUP_DIR, else instance/backups."""
    app = app or current_app
    return Path(app.config.get("BACKUP_DIR") or Path(app.instance_path) / "backups")


def database_kind(app=None):
    """Return "sqlite" or "postgresql" (the only two the platform runs on)."""
    return make_url((app or current_app).config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def sqlite_path(app=None):
    """Return the path of the SQLite database file."""
    return Path(make_url((app or current_app).config["SQLALCHEMY_DATABASE_URI"]).database)


def make_backup(to=None, keep=None, app=None):
    """Write a verified backup archive into `to` (default: the backup folder) and return it.

    Keeps the newest `keep` archives of that folder (default BACKUP_KEEP) and removes older ones.
    """
    app = app or current_app._get_current_object()
    folder = Path(to) if to else backup_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    instance = Path(app.instance_path)
    files = list(_instance_files(instance))
    kind = database_kind(app)
    database_size = _database_size(app, kind)
    # The snapshot and the archive exist together for a moment; files are counted uncompressed.
    ensure_free_space(folder, 2 * database_size + sum(size for _, _, size in files))

    started = trusted_now()
    final = _free_name(folder, started)
    work = Path(tempfile.mkdtemp(prefix=".lms-backup-", dir=folder))
    partial = work / (final.name + ".partial")
    try:
        snapshot, member, details = _snapshot_database(app, kind, work)
        manifest = {"format": FORMAT, "created_at": started.isoformat(timespec="seconds") + "Z",
                    "release": _release(), "database": {"kind": kind, "member": member, **details},
                    "files": {}}
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            _add_file(archive, manifest, snapshot, member)
            snapshot.unlink()
            for path, name, _size in files:
                _add_file(archive, manifest, path, name)
            stamp = _search_stamp(instance)
            if stamp is not None:
                _add_bytes(archive, manifest, SEARCH_STAMP_MEMBER, stamp)
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            archive.addfile(info, io.BytesIO(data))
        _fsync(partial)
        verify(partial)
        os.chmod(partial, 0o600)  # it holds the secret key and every account
        os.replace(partial, final)
        _fsync_folder(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    prune(folder, keep if keep is not None else app.config.get("BACKUP_KEEP", 7))
    return Backup(final, final.stat().st_size, started, manifest)


def verify(archive_path):
    """Open an archive, check every member against its manifest; return the manifest or raise BackupError."""
    archive_path = Path(archive_path)
    digests, manifest = {}, None
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for info in archive:
                _check_member(info)
                if not info.isfile():
                    continue
                handle = archive.extractfile(info)
                if info.name == MANIFEST:
                    manifest = json.loads(handle.read(4 * CHUNK))
                    continue
                digests[info.name] = (_sha256(handle), info.size)
    except (tarfile.TarError, OSError, EOFError, ValueError, zlib_error()) as error:
        raise BackupError(f"{archive_path.name}: damaged archive ({error.__class__.__name__}: {error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise BackupError(f"{archive_path.name}: not an lms backup (no manifest)")
    listed = manifest["files"]
    for name, entry in listed.items():
        found = digests.get(name)
        if found is None:
            raise BackupError(f"{archive_path.name}: {name} is missing from the archive")
        if found != (entry["sha256"], entry["size"]):
            raise BackupError(f"{archive_path.name}: {name} fails its checksum")
    extra = sorted(set(digests) - set(listed))
    if extra:
        raise BackupError(f"{archive_path.name}: {extra[0]} is not in the manifest")
    return manifest


def list_backups(folder):
    """Return the backups in a folder, newest first (dated by their names, which the clock cannot reorder)."""
    folder = Path(folder)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = NAME.match(path.name)
            if match and path.is_file():
                found.append(Backup(path, path.stat().st_size, datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")))
    return sorted(found, key=lambda b: b.name, reverse=True)


def latest_backup(app=None):
    """Return the newest backup in the backup folder, or None."""
    return next(iter(list_backups(backup_folder(app))), None)


def prune(folder, keep):
    """Delete all but the newest `keep` backups of a folder; return the deleted paths."""
    keep = max(1, int(keep))
    old = list_backups(folder)[keep:]
    for backup in old:
        backup.path.unlink(missing_ok=True)
    return [backup.path for backup in old]


def _free_name(folder, moment):
    stem = PREFIX + moment.strftime("%Y%m%d-%H%M%S")
    candidate, number = folder / (stem + SUFFIX), 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}{SUFFIX}"
    return candidate


def _instance_files(instance):
    """Yield (path, member name, size) for the instance files a backup carries; links are not followed."""
    for item in INSTANCE_ITEMS:
        top = instance / item
        if top.is_file() and not top.is_symlink():
            yield top, f"instance/{item}", top.stat().st_size
        elif top.is_dir() and not top.is_symlink():
            for root, dirs, names in os.walk(top):
                dirs.sort()
                for name in sorted(names):
                    path = Path(root) / name
                    if path.is_file() and not path.is_symlink() and not name.endswith(".part"):
                        yield path, "instance/" + path.relative_to(instance).as_posix(), path.stat().st_size


def _search_stamp(instance):
    from lms.search import storage

    directory = storage.live_directory(instance / "search")
    if directory and (directory / storage.STAMP).is_file():
        return (directory / storage.STAMP).read_bytes()
    return None


def _database_size(app, kind):
    if kind == "sqlite":
        path = sqlite_path(app)
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return int(db.session.execute(db.text("SELECT pg_database_size(current_database())")).scalar() or 0)


def _snapshot_database(app, kind, work):
    if kind == "sqlite":
        snapshot, revision = _sqlite_snapshot(sqlite_path(app), work / "lms.sqlite3")
        return snapshot, SQLITE_MEMBER, {"revision": revision}
    if kind == "postgresql":
        revision = db.session.execute(db.text(
            "SELECT version_num FROM alembic_version")).scalar() if _has_alembic_table() else None
        db.session.rollback()
        return _pg_dump(app, work / "lms.pgdump"), PG_MEMBER, {"revision": revision}
    raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")


def _sqlite_snapshot(source_path, target):
    """Copy a live SQLite database in one step of the online backup API, then check the copy."""
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}: run `lms init` first")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database under one read transaction, so writes made meanwhile
        # neither restart the copy nor appear half in it.
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        result = copy.execute("PRAGMA integrity_check").fetchall()
        revision = _sqlite_revision(copy)
    except sqlite3.Error as error:
        raise BackupError(f"the database could not be copied: {error}") from None
    finally:
        copy.close()
        source.close()
    if result != [("ok",)]:
        raise BackupError(f"the database copy fails its integrity check: {result[0][0]}")
    return target, revision


def _sqlite_revision(connection):
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _has_alembic_table():
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("alembic_version")


def pg_connection(app):
    """Return (URL for libpq without the password, environment with PGPASSWORD) for pg_dump and pg_restore."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _pg_dump(app, target):
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed: install the PostgreSQL client tools "
                          "(Debian: apt install postgresql-client)")
    url, env = pg_connection(app)
    done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
                           "--dbname", url], env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
    return target


def _add_file(archive, manifest, path, name):
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        digest = hashlib.sha256()
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(os.fstat(handle.fileno()).st_mtime), 0o600
        archive.addfile(info, _Hashing(handle, digest, size))
    manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}


def _add_bytes(archive, manifest, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(data))
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


class _Hashing:
    """A file reader that hashes what tarfile reads, and never gives more than the size it announced."""

    def __init__(self, handle, digest, size):
        self.handle, self.digest, self.left = handle, digest, size

    def read(self, count=-1):
        count = self.left if count is None or count < 0 else min(count, self.left)
        data = self.handle.read(count)
        self.left -= len(data)
        self.digest.update(data)
        return data


def _check_member(info):
    """Refuse members that could write outside the folder they are extracted into."""
    name = info.name
    if name.startswith("/") or ".." in Path(name).parts or not (info.isfile() or info.isdir()):
        raise ValueError(f"unsafe member {name!r}")


def _sha256(handle):
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def zlib_error():
    import zlib

    return zlib.error


def _release():
    from lms import RELEASE_DATE

    return RELEASE_DATE.isoformat()


def _fsync(path):
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
