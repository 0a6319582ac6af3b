"""Signals by which lower layers tell higher ones what happened."""
from blinker import Namespace

_signals = Namespace()

# Sent by `lms serve` just before it starts serving (sender: the app), inside an app context.
server_starting = _signals.signal("server-starting")

# Sent by `lms restore` once a backup is back in place and its schema is up to date (sender: the app), inside an
# app context, with created_at: when the backup was made. What the site did since is lost; whoever kept a mark
# of it elsewhere (the hub of a centre) may know more than the restored database.
backup_restored = _signals.signal("backup-restored")
