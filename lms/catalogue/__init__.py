"""Catalogue: learning paths and lessons written as Markdown, their importer and their pages."""


def init_app(app):
    from lms.catalogue import cli, hooks, views  # noqa: F401 (hooks: trainers' notes and import warnings)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.import_courses_command)
