"""The web shell: home page, language switch, health check, error pages."""


def init_app(app):
    from lms.web import errors, views

    app.register_blueprint(views.bp)
    errors.init_app(app)
