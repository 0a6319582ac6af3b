"""Search: a Whoosh index of the lessons in every language, the /search page, and finding people."""


def init_app(app):
    """Register the search page, `lms reindex`, the health check and the signal receivers."""
    from lms.search import cli, hooks, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.reindex_command)
    app.extensions.setdefault("lms.health_checks", {})["search"] = hooks.health
    hooks.connect()
