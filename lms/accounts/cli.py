"""`lms create-user`: make an account from the shell (the first admin, for instance)."""
import sys

import click
from flask.cli import with_appcontext

from lms.accounts import services
from lms.accounts.models import ROLES
from lms.extensions import db


@click.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), default=["learner"],
              show_default=True, help="Role to give; repeat for several.")
@click.option("--name", "display_name", help="Display name (default: the username).")
@click.option("--language", "locale", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(username, roles, display_name, locale, password_stdin):
    """Create an account; the password comes from a prompt or stdin."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    if not services.USERNAME_PATTERN.fullmatch(username):
        raise click.ClickException("the username must be 3-40 letters, digits, dots, dashes or underscores")
    try:
        user = services.create_user(username, password, display_name=display_name, roles=roles, locale=locale)
    except services.AccountError as error:
        raise click.ClickException(f"cannot create {username!r}: {error}") from None
    db.session.commit()
    click.echo(f"created {user.username} ({', '.join(sorted(user.roles))})")
