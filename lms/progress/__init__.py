"""Progress: the event log, lesson progress, graded checks, certificates and the progress API."""


def init_app(app):
    from lms.core import clock
    from lms.extensions import csrf
    from lms.progress import api, events, hooks, views  # noqa: F401  (hooks connect on import)

    if events.newest_received_at not in clock.RECORDED_TIMES:
        clock.RECORDED_TIMES.append(events.newest_received_at)

    app.register_blueprint(views.bp)
    csrf.exempt(api.bp)  # checked by the API itself, after authentication
    app.register_blueprint(api.bp)
