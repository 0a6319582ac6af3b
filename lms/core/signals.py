"""Signals by which lower layers tell higher ones what happened."""
from blinker import Namespace

_signals = Namespace()

# Sent by `lms serve` just before it starts serving (sender: the app), inside an app context.
server_starting = _signals.signal("server-starting")
