"""Progress: the event log, lesson progress, graded checks, certificates and the progress API."""


def init_app(app):
    from lms.extensions import csrf
    from lms.progress import api, hooks, views  # noqa: F401  (hooks connect on import)

    app.register_blueprint(views.bp)
    csrf.exempt(api.bp)  # checked by the API itself, after authentication
    app.register_blueprint(api.bp)
