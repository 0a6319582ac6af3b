"""Files that several processes may create at once: the site's secret key, its signing key."""
import os
import secrets
from pathlib import Path


def create_once(path, make, mode=0o600) -> bytes:
    """Return the contents of `path`, writing `make()` there first if the file does not exist.

    A hub starts several server processes, and an `lms` command may run beside them: each may
    find the file missing. Each writes its candidate whole to a private temporary file and links
    it into place; the link fails for all but the first, and they read the first one's file. So no
    process ever reads half a file, and all of them end up with the same secret.
    """
    path = Path(path)
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = make()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return path.read_bytes()
    finally:
        temporary.unlink(missing_ok=True)
    return data


def write_replacing(path, write, mode=0o644):
    """Write a file whole through a new temporary file beside it, then rename it into place.

    `write(out)` writes to a binary file. The temporary file is made new (O_EXCL, O_NOFOLLOW) and the rename
    replaces whatever stood at `path` — a symbolic link included — instead of writing through it: a file written
    to a folder others can write in (a USB stick) cannot be pointed at another file of the server. A reader never
    sees half a file; on any failure the temporary file is removed and `path` is left as it was.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
