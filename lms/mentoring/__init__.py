"""Mentoring: practical work, mentors' reviews and feedback, the mentoring log."""


def init_app(app):
    from lms.mentoring import hooks, policy, views  # noqa: F401  (hooks and rules connect on import)

    app.register_blueprint(views.bp)
