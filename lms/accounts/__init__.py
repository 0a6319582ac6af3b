"""Accounts: users, roles, sign-in, password resets and the administration of users."""


def init_app(app):
    """Register the accounts blueprints, CLI and sign-in machinery."""
    from lms.accounts import cli, guards, views, admin_views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.cli.add_command(cli.create_user_command)
    guards.init_app(app)
