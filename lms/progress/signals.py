"""What the progress domain tells others."""
from blinker import Namespace

_signals = Namespace()

# Sent after events are applied (before commit). Keyword args: user_id, lesson_ids.
progress_changed = _signals.signal("progress-changed")
# Sent when a certificate is issued. Keyword arg: certificate.
certificate_issued = _signals.signal("certificate-issued")
