"""Files people send (photos of work, voice notes): written whole or not at all, and served only privately.

Every kind of upload ends the same way: ask the disk for room first (a full disk
must not leave half a file), write under a random name that nobody can guess,
then move it into place in one rename. The owning domain decides who may read
it; this module only sends it, marked private so no shared cache keeps it.
"""
import secrets
from pathlib import Path

from flask import send_from_directory

from lms.core.disk import ensure_free_space


def store_new(folder, data, extension):
    """Write data under a new random name in folder; return the name. Raise DiskFullError before writing."""
    folder = Path(folder)
    ensure_free_space(folder, len(data))
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{extension}"
    partial = folder / f"{name}.part"
    partial.write_bytes(data)
    partial.replace(folder / name)
    return name


def remove(folder, name):
    """Delete a stored file, when what it belonged to was refused after all."""
    if name:
        (Path(folder) / name).unlink(missing_ok=True)


def send_private(folder, name, mimetype=None):
    """Answer with a stored file, never cached by anything but her own browser."""
    response = send_from_directory(folder, name, mimetype=mimetype, max_age=0)
    response.cache_control.private = True
    return response
