"""Community: peer circles, conversations and lesson questions, weekly pairs, the directory, What's new."""


def init_app(app):
    from lms.community import api, cli, directory_views, hooks, views  # noqa: F401  (hooks connect on import)
    from lms.extensions import csrf

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # checked by the API itself, after authentication
    hooks.init_app(app)
    cli.init_app(app)
