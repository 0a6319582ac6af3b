"""Add a learner's session attendance to her progress page (progress is lower in the house than cohorts)."""
from lms.cohorts import sessions
from lms.core.hooks import page_context

RECENT = 5


@page_context.connect_via("progress.my_learning")
@page_context.connect_via("progress.learner_progress")
def learner_attendance(_sender, learner, **_extra):
    """Her sessions' attendance: how many she was present at of those recorded, and the latest few."""
    attendance = sessions.attendance_of(learner.id)
    recorded = [present for _session, present in attendance if present is not None]
    if not attendance:
        return None
    return {"attendance": attendance[:RECENT], "attended": sum(recorded), "attendance_taken": len(recorded),
            "panels": ["cohorts/_attendance_panel.html"]}
