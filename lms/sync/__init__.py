"""Sync: a centre sends its records to a central hub, over the internet or on a USB stick (README: Many centres and a hub)."""


def init_app(app):
    from lms.sync import cli, models, views  # noqa: F401  (the tables belong to the schema)

    cli.init_app(app)
    app.register_blueprint(views.bp)
