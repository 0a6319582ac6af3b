"""Signals by which lower layers tell higher ones what happened."""
from blinker import Namespace

_signals = Namespace()

# Sent by `lms init` after the schema is up to date (sender: the app).
site_initialised = _signals.signal("site-initialised")

# Sent by `lms serve` just before it starts serving (sender: the app), inside an app context.
server_starting = _signals.signal("server-starting")
