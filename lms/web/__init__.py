"""The web shell: home page, language switch, health check, error pages, and what makes it work offline."""


def init_app(app):
    from lms.core import http
    from lms.web import errors, listen, offline, savedata, views  # noqa: F401  (listen, savedata connect on import)

    http.init_app(app)
    app.register_blueprint(views.bp)
    offline.init_app(app)
    errors.init_app(app)
