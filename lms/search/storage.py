"""Where the index lives, and whether it is current, without importing Whoosh.

instance/search/ holds one directory per full build (index-<time>-<random>), a CURRENT file
naming the live one, and a lock file. Readers follow CURRENT; a full build writes a new
directory and then replaces CURRENT in one rename, so no reader ever sees a half-built index.
Every writer (a build or an update) holds the lock, so only one process writes at a time.
Each directory carries stamp.json: the schema version, the languages and the catalogue
fingerprint it was built from.
"""
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from lms.search.documents import catalogue_fingerprint

# Bump when the fields or the analysers change: older indexes are then rebuilt at start.
SCHEMA_VERSION = 1
POINTER = "CURRENT"
STAMP = "stamp.json"


def search_folder(app=None):
    """Return the folder that holds the index: instance/search/."""
    return Path((app or current_app).instance_path) / "search"


def live_directory(folder):
    """Return the directory CURRENT names, or None when there is no index yet."""
    try:
        name = (folder / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    directory = folder / name
    return directory if name and directory.is_dir() else None


def read_stamp(directory):
    try:
        return json.loads((directory / STAMP).read_text())
    except (FileNotFoundError, ValueError):
        return None


def write_stamp(directory, languages, fingerprint):
    stamp = {"schema": SCHEMA_VERSION, "languages": list(languages), "catalogue": fingerprint}
    _write_atomically(directory / STAMP, json.dumps(stamp))


def mark_stale(folder):
    """Record that the live index missed changes, so that the next write rebuilds it whole."""
    directory = live_directory(folder)
    stamp = read_stamp(directory) if directory else None
    if stamp:
        _write_atomically(directory / STAMP, json.dumps({**stamp, "catalogue": None}))


def stamp_matches_schema(stamp, languages):
    return bool(stamp) and stamp.get("schema") == SCHEMA_VERSION and stamp.get("languages") == list(languages)


def new_directory(folder):
    """Return a fresh, empty directory for a full build."""
    directory = folder / f"index-{int(time.time())}-{secrets.token_hex(4)}"
    directory.mkdir(parents=True)
    return directory


def make_live(folder, directory):
    """Point CURRENT at this directory in one atomic rename."""
    _write_atomically(folder / POINTER, directory.name)


def remove_unused(folder):
    """Delete the directories CURRENT does not name: earlier builds and interrupted ones.

    Called by a writer before a full build: the directory it replaces stays until the build
    after, so that a request that opened it just before the switch can finish reading it.
    """
    live = live_directory(folder)
    for directory in folder.glob("index-*"):
        if directory.is_dir() and directory != live:
            shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def writing(folder):
    """Hold the search folder's write lock, waiting for another writer to finish."""
    from whoosh.util.filelock import FileLock

    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / "write.lock"))
    lock.acquire(blocking=True)
    try:
        yield
    finally:
        lock.release()


@dataclass
class Status:
    state: str  # current, empty (nothing to index yet), missing, outdated, behind
    detail: str

    @property
    def ok(self):
        return self.state in ("current", "empty")


def status(folder, languages):
    """Say whether the index exists, has this schema and reflects the catalogue."""
    directory = live_directory(folder)
    stamp = read_stamp(directory) if directory else None
    fingerprint = catalogue_fingerprint()
    if stamp is None:
        if fingerprint.startswith("0|"):
            return Status("empty", "no lessons to index")
        return Status("missing", "no index: run `lms reindex`")
    if not stamp_matches_schema(stamp, languages):
        return Status("outdated", "built by an older version: run `lms reindex`")
    if stamp.get("catalogue") != fingerprint:
        return Status("behind", "the catalogue changed since: run `lms reindex`")
    return Status("current", f"{fingerprint.split('|')[0]} lesson texts")


def _write_atomically(path, text):
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    partial.write_text(text)
    os.replace(partial, path)
