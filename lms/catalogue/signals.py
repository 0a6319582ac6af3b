"""What the catalogue tells other domains."""
from blinker import Namespace

_signals = Namespace()

# Sent after an import is committed. Keyword arguments: changed (lesson ids whose
# text changed or that were added), retired (lesson ids retired).
courses_imported = _signals.signal("courses-imported")
