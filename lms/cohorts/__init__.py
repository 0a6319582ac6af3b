"""Cohorts: trainers enrol learners, assign mentors, follow progress; the trainer cascade."""


def init_app(app):
    from lms.cohorts import hooks, policy, session_views, views  # noqa: F401  (policy registers visibility rules)

    app.register_blueprint(views.bp)
