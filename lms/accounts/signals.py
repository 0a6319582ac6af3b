"""What the accounts domain tells others."""
from blinker import Namespace

_signals = Namespace()

# Sent after self-registration, before commit. Keyword arguments: user, join_code (may be empty).
# A receiver that finds the registration wrong raises RegistrationRefused: nothing is kept, the form says why.
user_registered = _signals.signal("user-registered")


class RegistrationRefused(Exception):
    """A domain refuses a registration (e.g. a cohort code that no open cohort has); `field` names the form field."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
