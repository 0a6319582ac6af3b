"""Listen to this lesson: the lesson page loads the read-aloud script (the phone's own voices, no network)."""
from lms.core.hooks import page_context


@page_context.connect_via("catalogue.show_lesson")
def listen(_sender, **_objects):
    """Add the read-aloud script to every lesson page (every step: it reads the step shown); it shows its
    button only where a voice can read it."""
    return {"step_panels": ["web/_listen.html"]}
