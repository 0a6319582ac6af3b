"""Refuse a write before it starts when the disk cannot hold it, instead of failing half-way.

A full disk in the middle of a write leaves a half-written photo, a truncated
backup, or a SQLite database that cannot grow its journal. So every writer of
something large (photos, course imports, backups) first asks ensure_free_space()
for its size plus a margin kept for the database itself (DISK_FREE_MARGIN_MB).
"""
import shutil
from pathlib import Path

from flask import current_app, has_app_context

DEFAULT_MARGIN_MB = 100  # room left for the database, its journal and the logs after any write


class DiskFullError(OSError):
    """Not enough free space: says where, how much is needed and how much is free."""

    def __init__(self, path, needed, free):
        self.path, self.needed, self.free = str(path), needed, free
        super().__init__(f"not enough free space in {self.path}: {megabytes(needed)} MB needed "
                         f"(with the margin), {megabytes(free)} MB free")


def megabytes(count):
    return round(count / 1_000_000, 1)


def margin_bytes():
    """Return the space every write must leave free, from DISK_FREE_MARGIN_MB."""
    margin = DEFAULT_MARGIN_MB
    if has_app_context():
        margin = current_app.config.get("DISK_FREE_MARGIN_MB", DEFAULT_MARGIN_MB)
    return int(float(margin) * 1_000_000)


def free_bytes(path):
    """Return the free space (for this user) on the filesystem that holds path, or will hold it."""
    path = Path(path).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free


def ensure_free_space(path, needed_bytes):
    """Raise DiskFullError unless writing needed_bytes under path still leaves the margin free."""
    needed = max(0, int(needed_bytes)) + margin_bytes()
    free = free_bytes(path)
    if free < needed:
        raise DiskFullError(path, needed, free)
    return free
