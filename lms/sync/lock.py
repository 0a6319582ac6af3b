"""One sync at a time at a centre.

The systemd timer's `lms sync now`, the Sync page's button (clicked twice on a slow line), a USB export and an
acknowledgement imported from a stick all count changes, write instance/sync/outgoing.lms and may swap course
folders: two at once would number changes twice or send a file half rewritten. Each takes this lock first; the
second is told, in words, that a sync is running. The lock is the kernel's (flock on instance/sync/sync.lock), so
it holds across processes and threads and is let go if the process dies: nothing to clean up after a power cut.
"""
import contextlib
import os

from lms.core.database import utcnow
from lms.sync import keys
from lms.sync.keys import SyncError

try:
    import fcntl
except ImportError:  # not a POSIX system: a centre runs on Linux; elsewhere there is no lock across processes
    fcntl = None


@contextlib.contextmanager
def one_sync_at_a_time(what):
    """Hold the centre's sync lock while the block runs; raise SyncError (409) if another sync holds it."""
    try:  # never through a link: instance/sync/ is the server's own, but a link there must not empty another file
        descriptor = os.open(keys.sync_dir() / "sync.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0),
                             0o600)
    except OSError as error:
        raise SyncError(f"the sync lock instance/sync/sync.lock cannot be opened ({error.strerror}): remove it if "
                        "it is a link") from None
    with open(descriptor, "a+", encoding="utf-8") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "started a moment ago"
                raise SyncError(f"another sync is running at this centre ({holder}): wait until it ends, "
                                "then try again", status=409) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what}, started at {utcnow():%H:%M} UTC by process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
