"""What mentoring tells others."""
from blinker import Namespace

_signals = Namespace()

# Sent after a mentor reviews a submission. Keyword arguments: submission, review.
submission_reviewed = _signals.signal("submission-reviewed")
