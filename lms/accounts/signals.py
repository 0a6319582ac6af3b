"""What the accounts domain tells others."""
from blinker import Namespace

_signals = Namespace()

# Sent after self-registration, before commit. Keyword arguments: user, join_code (may be empty).
user_registered = _signals.signal("user-registered")
