"""Reports: read-only, cross-domain views — the cohort dashboard, the cascade's reach, the programme overview."""


def init_app(app):
    from lms.reports import views

    app.register_blueprint(views.bp)
